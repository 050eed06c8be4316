"""File → Export: the current watchlist, a symbol's ticks of a day, or bars of an interval over a
date range, to CSV or Excel. The tables and writers are those of ``hkdesk export``, so a file
made here is the file the command line makes from the same database; the query and the writing
run on the history worker thread, never on the event loop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)
from sqlalchemy import Engine

from hkdesk.domain.symbols import SymbolInfo, display_code, search, try_normalise
from hkdesk.export import tables
from hkdesk.export.writers import write_table
from hkdesk.ui.chart import INTERVAL_LABELS

WHAT = ("watchlist", "ticks", "bars")
SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class ExportRequest:
    what: str
    symbol: str
    list_name: str
    symbols: tuple[str, ...]
    first: date
    last: date
    interval: str
    suffix: str

    def file_name(self) -> str:
        if self.what == "watchlist":
            name = "".join("_" if ch in '/\\:*?"<>|' else ch for ch in self.list_name)
            return f"{name}-{self.first}{self.suffix}"
        code = display_code(self.symbol)
        if self.what == "ticks":
            return f"{code}-{self.first}-ticks{self.suffix}"
        span = str(self.first) if self.first == self.last else f"{self.first}_{self.last}"
        return f"{code}-{span}-{self.interval}{self.suffix}"


def write_export(engine: Engine, request: ExportRequest, path: Path, universe: dict[str, SymbolInfo]) -> int:
    """Make the table and write it to ``path`` (a blocking call: run it on a worker thread)."""
    r = request
    if r.what == "ticks":
        table = tables.tick_table(engine, r.symbol, r.first)
    elif r.what == "bars":
        table = tables.bar_table(engine, r.symbol, r.interval, r.first, r.last)
    else:
        table = tables.watchlist_table(engine, r.list_name, list(r.symbols), r.first, universe)
    return write_table(table, path)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ExportDialog(QDialog):
    #: The :class:`ExportRequest` chosen (OK pressed with valid fields).
    chosen = Signal(object)

    def __init__(
        self,
        universe: dict[str, SymbolInfo],
        lists: list[tuple[str, str]],
        *,
        what: str,
        symbol: str,
        list_name: str,
        list_symbols: dict[str, list[str]],
        day: date,
        parent: QWidget | None = None,
    ) -> None:
        """``lists``: (name, title) of every watchlist; ``list_symbols``: their symbols."""
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export"))
        self._universe = universe
        self._list_symbols = list_symbols
        self.what = QComboBox(objectName="exportWhat")
        for key, label in zip(
            WHAT, (self.tr("Watchlist"), self.tr("Ticks of a day"), self.tr("Bars")), strict=True
        ):
            self.what.addItem(label, key)
        self.what.setCurrentIndex(WHAT.index(what))
        self.symbol = QLineEdit(display_code(symbol) if symbol else "", objectName="exportSymbol")
        self.lists = QComboBox(objectName="exportList")
        for name, title in lists:
            self.lists.addItem(title, name)
        self.lists.setCurrentIndex(max(0, self.lists.findData(list_name)))
        self.first = QDateEdit(_qdate(day), objectName="exportFirst", calendarPopup=True)
        self.last = QDateEdit(_qdate(day), objectName="exportLast", calendarPopup=True)
        for edit in (self.first, self.last):
            edit.setDisplayFormat("yyyy-MM-dd")
        self.interval = QComboBox(objectName="exportInterval")
        for name in tables.INTERVALS:
            self.interval.addItem(QCoreApplication.translate("ChartPanel", INTERVAL_LABELS[name]), name)
        self.format = QComboBox(objectName="exportFormat")
        self.format.addItem(self.tr("CSV (.csv)"), ".csv")
        self.format.addItem(self.tr("Excel (.xlsx)"), ".xlsx")
        self.problem = QLabel("", objectName="exportProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout(self)
        form.addRow(self.tr("Export"), self.what)
        form.addRow(self.tr("Symbol"), self.symbol)
        form.addRow(self.tr("Watchlist"), self.lists)
        form.addRow(self.tr("Date"), self.first)
        form.addRow(self.tr("To"), self.last)
        form.addRow(self.tr("Interval"), self.interval)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.problem)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.what.currentIndexChanged.connect(self._what_changed)
        self._what_changed()

    def _what_changed(self) -> None:
        what = self.what.currentData()
        self.symbol.setEnabled(what != "watchlist")
        self.lists.setEnabled(what == "watchlist")
        self.last.setEnabled(what == "bars")
        self.interval.setEnabled(what == "bars")

    def _symbol(self) -> str | None:
        text = self.symbol.text().strip()
        if not text:
            return None
        found = search(text.split()[0], self._universe.values(), limit=1)
        return found[0].symbol if found else try_normalise(text)

    def request(self) -> ExportRequest | str:
        """The export the fields describe, or why there is none."""
        what = self.what.currentData()
        first, last = _date(self.first.date()), _date(self.last.date())
        symbol = ""
        if what != "watchlist":
            found = self._symbol()
            if found is None:
                return self.tr("Give a Hong Kong code or a name the app knows.")
            symbol = found
        if what != "bars":
            last = first
        elif last < first:
            return self.tr("The last date is before the first.")
        name = self.lists.currentData()
        return ExportRequest(
            what,
            symbol,
            name,
            tuple(self._list_symbols.get(name, ())),
            first,
            last,
            self.interval.currentData(),
            self.format.currentData(),
        )

    def accept(self) -> None:
        request = self.request()
        if isinstance(request, str):
            self.problem.setText(request)
            return
        super().accept()
        self.chosen.emit(request)
