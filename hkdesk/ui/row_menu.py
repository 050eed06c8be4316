"""The watchlist row's context menu, and the quote it copies to the clipboard."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from hkdesk.domain import formatting as fmt
from hkdesk.domain.quotes import Quote
from hkdesk.domain.symbols import SymbolInfo, display_code

translate = QCoreApplication.translate


class RowHost(Protocol):
    """What the menu asks of the window."""

    def new_alert_for(self, symbol: str) -> object: ...
    def open_chart_window(self, symbol: str) -> object: ...
    def copy_quote(self, symbol: str) -> str: ...
    def move_symbol(self, symbol: str, list_name: str) -> None: ...
    def remove_symbol(self, symbol: str) -> None: ...
    def clear_alert_mark(self, symbol: str) -> None: ...


def row_menu(
    host: RowHost, symbol: str, other_lists: list[tuple[str, str]], marked: bool, parent: QWidget
) -> QMenu:
    """``other_lists``: (name, title) of the lists the symbol can move to."""
    menu = QMenu(parent)
    menu.setObjectName("rowMenu")

    def add(key: str, text: str, slot) -> QAction:
        action = QAction(text, menu, objectName=f"row_{key}")
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    add("alert", translate("RowMenu", "Add alert…"), lambda: host.new_alert_for(symbol))
    add("chart", translate("RowMenu", "Open chart in new window"), lambda: host.open_chart_window(symbol))
    add("copy", translate("RowMenu", "Copy quote"), lambda: host.copy_quote(symbol))
    move = menu.addMenu(translate("RowMenu", "Move to list"))
    move.setObjectName("row_move")
    move.setEnabled(bool(other_lists))
    for name, title in other_lists:
        action = QAction(title, move)
        action.setData(name)
        action.triggered.connect(lambda _=False, n=name: host.move_symbol(symbol, n))
        move.addAction(action)
    if marked:
        add("unmark", translate("RowMenu", "Clear alert mark"), lambda: host.clear_alert_mark(symbol))
    menu.addSeparator()
    add("remove", translate("RowMenu", "Remove from list"), lambda: host.remove_symbol(symbol))
    return menu


QUOTE_FIELDS = ("code", "name", "last", "change", "change_pct", "bid", "ask", "volume", "turnover", "time")


def quote_text(symbol: str, info: SymbolInfo | None, q: Quote | None, state: str) -> str:
    """One tab-separated line with a header line above it (pastes into a spreadsheet as a row):
    code, name, last, change, change %, bid, ask, volume, turnover, the trade's time (exchange
    time, Hong Kong), when the figures are not live their state, and when the day before the
    quote's first trade is not known the time its counts start (``counted_since``)."""

    def dec(v) -> str:
        return "" if v is None else str(v)

    pct = None if q is None or q.change_pct is None else f"{q.change_pct:.2f}"
    values = (
        display_code(symbol),
        info.name_en if info else "",
        dec(q.last if q else None),
        dec(q.change if q else None),
        pct or "",
        dec(q.bid if q else None),
        dec(q.ask if q else None),
        dec(q.volume if q and q.trades else None),
        dec(q.turnover if q and q.trades else None),
        fmt.time_text(q.last_ts) if q and q.last_ts else "",
    )
    header, row = list(QUOTE_FIELDS), list(values)
    if state:
        header.append("state")
        row.append(state)
    if q is not None and q.part_day_since:  # volume and turnover from then on only
        header.append("counted_since")
        row.append(fmt.time_text(q.part_day_since))
    return "\t".join(header) + "\n" + "\t".join(row) + "\n"
