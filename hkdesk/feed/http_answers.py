"""Typed records from the HTTP API's answers: K-line bars, static facts, books and trades.

Numbers arrive as strings and become ``Decimal``; an entry that does not make a valid record is
left out (and counted by the caller's log), never guessed at.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from hkdesk.domain.bars import DAY
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.static_info import StaticInfo
from hkdesk.domain.types import SECONDS_THRESHOLD, Bar, Book, Tick

log = logging.getLogger("hkdesk.feed.http")

MINUTE_KLINE = 1
DAILY_KLINE = 8
#: AllTick's K-line types with a fixed length, in seconds (weeks and months have none).
KLINE_SECONDS: dict[int, int] = {1: 60, 2: 300, 3: 900, 4: 1800, 5: 3600, DAILY_KLINE: DAY}


@dataclass(frozen=True)
class Klines:
    """K-lines of one code and type, oldest first. ``in_progress``: the newest bar's period had
    not ended at the time given to the query (its close is then the last price so far)."""

    code: str
    interval_s: int
    bars: list[Bar]
    in_progress: bool

    @property
    def complete(self) -> list[Bar]:
        """The bars whose period is over."""
        return self.bars[:-1] if self.in_progress else self.bars


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def bar_start_ms(raw: Any) -> int | None:
    """A K-line's ``timestamp`` (seconds, or milliseconds) in epoch ms."""
    try:
        ts = int(raw["timestamp"])
    except (KeyError, ValueError, TypeError):
        return None
    return ts * 1000 if ts < SECONDS_THRESHOLD else ts


def hk_day(start_ms: int) -> date:
    return datetime.fromtimestamp(start_ms / 1000, HK_TZ).date()


_BAR_FIELDS = ("open_price", "high_price", "low_price", "close_price", "volume", "turnover")


def _bar_values(item: dict[str, Any]) -> list[Decimal] | None:
    """Open, high, low, close, volume and turnover of a K-line, or None if one is unusable."""
    values = []
    for name in _BAR_FIELDS:
        value = _decimal(item.get(name))
        if value is None or value < 0:
            return None
        values.append(value)
    return values if min(values[:4]) > 0 else None


def kline_bars(code: str, interval_s: int, raw: Any) -> list[Bar]:
    """The valid bars of a ``kline_list`` / ``kline_data``, oldest first."""
    bars: list[Bar] = []
    for item in raw if isinstance(raw, list) else []:
        start = bar_start_ms(item) if isinstance(item, dict) else None
        values = _bar_values(item) if start is not None else None
        if start is None or values is None:
            log.info("%s: skipped an unreadable K-line %r", code, item)
            continue
        bars.append(Bar(code, start, interval_s, *values, provided=True))
    bars.sort(key=lambda b: b.start)
    return bars


def decode_static_info(item: dict[str, Any], fetched_at: float) -> StaticInfo | None:
    """One entry of ``static_info_list`` (its code under ``symbol`` or ``code``)."""
    code = item.get("symbol") or item.get("code")
    if not isinstance(code, str) or not code:
        return None
    try:
        lot = int(str(item.get("lot_size", "0")))
    except ValueError:
        lot = 0

    def text(name: str) -> str:
        value = item.get(name)
        return value if isinstance(value, str) else ""

    def number(name: str) -> Decimal | None:
        return None if item.get(name) in (None, "") else _decimal(item[name])

    return StaticInfo(
        symbol=code,
        name_en=text("name_en"),
        name_cn=text("name_cn"),
        lot_size=max(lot, 0),
        currency=text("currency"),
        exchange=text("exchange"),
        total_shares=number("total_shares"),
        eps=number("eps"),
        eps_ttm=number("eps_ttm"),
        bps=number("bps"),
        dividend_yield=number("dividend_yield"),
        fetched_at=fetched_at,
    )


def records(items: Any, kind: type[Tick] | type[Book], received_at: float, what: str) -> list[Any]:
    """The entries of a ``tick_list`` as trades or books (the push messages' shapes)."""
    out = []
    for item in items if isinstance(items, list) else []:
        try:
            record = msgspec.convert(item, kind, strict=False)
        except (msgspec.ValidationError, TypeError, ValueError) as exc:
            log.warning("%s: skipped a bad entry (%s)", what, exc)
            continue
        record.received_at = received_at
        out.append(record)
    return out
