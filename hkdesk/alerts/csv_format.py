"""The alerts CSV: ``symbol,kind,value,minutes,repeat``, one alert a line.

- ``symbol``: any form the app accepts (``700``, ``00700``, ``0700.HK``); exported canonical.
- ``kind``: ``above``, ``below``, ``change_above``, ``change_below``, ``move``, ``volume_surge``.
- ``value``: a price (above/below), a percent (change_*, move) or a multiple (volume_surge),
  as a plain decimal; kept exactly as written.
- ``minutes``: the window of ``move`` and ``volume_surge``; empty for the other kinds.
- ``repeat``: ``once``, or a cooldown in whole minutes after which the alert re-arms.

The header line is optional on import and always written on export. Blank lines are skipped.
A file is read whole before anything is stored: one bad line rejects the file, and every bad
line is reported with its line number.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TextIO

from hkdesk.alerts.model import Alert, AlertError, Kind
from hkdesk.domain.symbols import SymbolError, normalise
from hkdesk.store.schema import decimal_text

COLUMNS = ("symbol", "kind", "value", "minutes", "repeat")
_KINDS = ", ".join(k.value for k in Kind)


class AlertFileError(ValueError):
    """A file with bad lines; ``problems`` holds ``(line number, reason)`` for each."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"line {n}: {reason}" for n, reason in problems))


def read_alerts(fh: TextIO) -> list[Alert]:
    """Parse a whole alerts CSV; raises :class:`AlertFileError` listing every bad line."""
    alerts: list[Alert] = []
    problems: list[tuple[int, str]] = []
    reader = csv.reader(fh)
    first = True
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if first and cells[0].strip().lower() == COLUMNS[0]:
                first = False
                if tuple(c.strip().lower() for c in cells) != COLUMNS:
                    problems.append((line, f"the header must be {','.join(COLUMNS)}"))
                continue
            first = False
            try:
                alerts.append(parse_row(cells))
            except AlertError as exc:
                problems.append((line, str(exc)))
    except (csv.Error, UnicodeDecodeError) as exc:
        problems.append((reader.line_num + 1, f"unreadable: {exc}"))
    if problems:
        raise AlertFileError(problems)
    return alerts


def parse_row(cells: list[str]) -> Alert:
    """One line's cells as an alert; raises ``AlertError`` naming the bad cell."""
    if len(cells) != len(COLUMNS):
        raise AlertError(f"expected {len(COLUMNS)} columns ({','.join(COLUMNS)}), found {len(cells)}")
    symbol_text, kind_text, value_text, minutes_text, repeat_text = (c.strip() for c in cells)
    try:
        symbol = normalise(symbol_text)
    except SymbolError as exc:
        raise AlertError(str(exc)) from None
    try:
        kind = Kind(kind_text.lower())
    except ValueError:
        raise AlertError(f"unknown kind {kind_text!r} (one of: {_KINDS})") from None
    try:
        value = Decimal(value_text)
    except InvalidOperation:
        raise AlertError(f"value {value_text!r} is not a decimal number") from None
    minutes = _whole_minutes(minutes_text, "minutes") if minutes_text else None
    repeat = None if repeat_text.lower() == "once" else _whole_minutes(repeat_text, "repeat")
    return Alert(symbol, kind, value, minutes, repeat)


def _whole_minutes(text: str, column: str) -> int:
    if not text.isascii() or not text.isdigit():
        hint = " or 'once'" if column == "repeat" else ""
        raise AlertError(f"{column} must be a whole number of minutes{hint}, not {text!r}")
    return int(text)


def write_alerts(alerts: Iterable[Alert], fh: TextIO) -> int:
    """Write the header and one line per alert; returns the number of alerts written."""
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for a in alerts:
        minutes = "" if a.minutes is None else str(a.minutes)
        writer.writerow((a.symbol, a.kind.value, decimal_text(a.value), minutes, a.repeat_text()))
        n += 1
    return n
