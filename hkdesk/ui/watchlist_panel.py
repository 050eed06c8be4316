"""The watchlist dock: list selector, search box, filter and the quote table."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hkdesk.domain.symbols import SymbolInfo
from hkdesk.ui.calm_sort import CalmSorter
from hkdesk.ui.column_shares import ColumnShares
from hkdesk.ui.symbol_search import SymbolSearchBox
from hkdesk.ui.watchlist_model import SYMBOL_ROLE, Col, WatchlistModel
from hkdesk.ui.watchlist_proxy import WatchlistProxy
from hkdesk.ui.watchlist_rows import OPTIONAL

COLUMN_WIDTHS = {
    Col.CODE: 52,
    Col.NAME: 116,
    Col.NAME_ZH: 92,
    Col.LAST: 74,
    Col.CHANGE: 70,
    Col.CHANGE_PCT: 64,
    Col.VOLUME: 70,
    Col.TURNOVER: 72,
    Col.BID: 70,
    Col.ASK: 70,
    Col.HIGH: 70,
    Col.LOW: 70,
    Col.TIME: 74,
    Col.STATE: 64,
    Col.BID_SIZE: 66,
    Col.ASK_SIZE: 66,
    Col.OPEN: 70,
    Col.PREV_CLOSE: 70,
    Col.VWAP: 70,
    Col.AMPLITUDE: 60,
    Col.LOT_SIZE: 56,
    Col.HIGH_52W: 72,
    Col.LOW_52W: 72,
    Col.MARKET_CAP: 72,
    Col.PE: 56,
    Col.DIV_YIELD: 62,
}


class WatchlistTable(QTableView):
    """Delete removes the current symbol; arrows, Page Up/Down, Home and End move through the
    rows; Enter opens the symbol's chart; Escape clears the search; typing goes to the search box."""

    delete_pressed = Signal()
    open_pressed = Signal()
    escape_pressed = Signal()
    typed = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_pressed.emit()
            return
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and self.model().rowCount():
            row = 0 if key == Qt.Key.Key_Home else self.model().rowCount() - 1
            index = self.model().index(row, max(0, self.currentIndex().column()))
            self.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.scrollTo(index)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_pressed.emit()
            return
        if key == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        text = event.text()
        if text and text.isalnum() and not (event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier):
            self.typed.emit(text)
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:
        # typed text is routed to the symbol search by the window; no jump-by-first-letter here
        return


class WatchlistPanel(QWidget):
    symbol_selected = Signal(str)
    remove_requested = Signal(str)
    list_chosen = Signal(str)
    new_list_requested = Signal()

    def __init__(self, model: WatchlistModel, universe: dict[str, SymbolInfo], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("watchlistPanel")
        self.model = model
        self.proxy = WatchlistProxy(self)
        self.proxy.setSourceModel(model)

        self.lists = QComboBox(objectName="watchlistCombo")
        self.lists.setMinimumWidth(140)
        self.lists.setToolTip(self.tr("Named watchlists"))
        self.lists.activated.connect(lambda i: self.list_chosen.emit(self.lists.itemData(i)))
        self.new_list = QToolButton(text="+", objectName="newListButton")
        self.new_list.setToolTip(self.tr("New watchlist"))
        self.new_list.clicked.connect(self.new_list_requested.emit)
        self.search = SymbolSearchBox(universe)
        self.search.setMinimumWidth(300)
        self.filter = QLineEdit(objectName="watchlistFilter")
        self.filter.setPlaceholderText(self.tr("Filter"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(180)
        self.filter.textChanged.connect(self._filter_changed)
        self.filter.installEventFilter(self)

        #: The bar above the table (the window adds its link chip here).
        self.top = top = QHBoxLayout()
        top.setContentsMargins(4, 4, 4, 2)
        top.setSpacing(4)
        top.addWidget(self.lists)
        top.addWidget(self.new_list)
        top.addSpacing(8)
        top.addWidget(self.search, 2)
        self.search_note = QLabel(objectName="searchNote")  # the answer to what was typed
        self.search_note.setVisible(False)
        top.addWidget(self.search_note)
        top.addStretch(1)
        top.addWidget(self.filter)

        self.view = WatchlistTable(objectName="watchlistView")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setCornerButtonEnabled(False)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vh = self.view.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(21)
        hh = self.view.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setHighlightSections(False)
        hh.setSectionsMovable(True)
        hh.setStretchLastSection(False)
        for col, width in COLUMN_WIDTHS.items():
            self.view.setColumnWidth(col, width)
        hh.moveSection(hh.visualIndex(Col.STATE), 1)  # where the figures come from, next to the code
        hh.moveSection(hh.visualIndex(Col.BID_SIZE), hh.visualIndex(Col.BID))  # size, bid, ask, size
        hh.moveSection(hh.visualIndex(Col.ASK_SIZE), hh.visualIndex(Col.ASK) + 1)
        for col in OPTIONAL:
            self.view.setColumnHidden(col, True)
        self.columns = ColumnShares(
            self.view, {c: self.view.columnWidth(c) for c in range(model.columnCount())}
        )
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.delete_pressed.connect(self._delete_current)
        self.view.escape_pressed.connect(self.clear_search)
        self.search.escaped.connect(self.view.setFocus)
        #: The symbol the user chose; a re-sort or a filter never changes it.
        self.chosen: str | None = None
        self._settling = 0
        self.proxy.layoutAboutToBeChanged.connect(self._begin_settling)
        self.proxy.layoutChanged.connect(self._end_settling)
        self.calm = CalmSorter(self.view, (self.view, self.search, self.filter), self._resort)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)

    # ------------------------------------------------------------ selection
    def current_symbol(self) -> str | None:
        idx = self.view.currentIndex()
        return idx.data(SYMBOL_ROLE) if idx.isValid() else None

    def select_symbol(self, symbol: str) -> bool:
        row = self.model.row_of(symbol)
        if row < 0:
            return False
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not proxy_index.isValid():
            self.filter.clear()
            proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.selectionModel().setCurrentIndex(
            proxy_index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(proxy_index)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._settling:
            self.chosen = current.data(SYMBOL_ROLE)
            self.symbol_selected.emit(self.chosen)

    # ------------------------------------------------------------ sorting and filtering, calmly
    def _begin_settling(self) -> None:
        self._settling += 1

    def _end_settling(self) -> None:
        """After a re-sort or a filter the chosen symbol stays selected (or, filtered out, stays
        shown in the panels with no row selected): nothing jumps."""
        self._settling -= 1
        if self._settling or self.chosen is None:
            return
        row = self.model.row_of(self.chosen)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
        selection = self.view.selectionModel()
        self._settling += 1
        try:
            if index.isValid():
                if selection.currentIndex().row() != index.row() or not selection.isRowSelected(index.row()):
                    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
                    selection.setCurrentIndex(index, flags | QItemSelectionModel.SelectionFlag.Rows)
            else:
                selection.clear()
        finally:
            self._settling -= 1

    def _resort(self) -> bool:
        if self.proxy.sortColumn() < 0:
            return False
        self.proxy.resort()
        return True

    def _filter_changed(self, text: str) -> None:
        self._begin_settling()
        try:
            self.proxy.set_filter_text(text)
        finally:
            self._end_settling()

    def clear_search(self) -> None:
        """Escape: the search and the filter emptied, the list focused."""
        self.search.clear()
        self.filter.clear()
        self.view.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        escape = event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape  # type: ignore[attr-defined]
        if watched is self.filter and escape:
            self.clear_search()
            return True
        return False

    def _delete_current(self) -> None:
        sym = self.current_symbol()
        if sym:
            self.remove_requested.emit(sym)

    # ------------------------------------------------------------ frame support
    def visible_source_rows(self) -> set[int]:
        """Source rows currently on screen; only these get repainted on a tick."""
        n = self.proxy.rowCount()
        if n == 0 or not self.view.isVisible():
            return set()
        top = self.view.rowAt(0)
        bottom = self.view.rowAt(self.view.viewport().height() - 1)
        top = 0 if top < 0 else top
        bottom = n - 1 if bottom < 0 else bottom
        m = self.proxy.mapToSource
        idx = self.proxy.index
        return {m(idx(r, 0)).row() for r in range(top, bottom + 1)}

    def answer(self, text: str, *, problem: bool = False) -> None:
        """Say, beside the search box, what became of what was typed (empty: say nothing)."""
        self.search_note.setText(text)
        self.search_note.setProperty("problem", problem)
        self.search_note.style().unpolish(self.search_note)
        self.search_note.style().polish(self.search_note)
        self.search_note.setVisible(bool(text))

    def set_lists(self, names: list[str], current: str) -> None:
        """The lists by name (shown in the interface language when the app made them)."""
        self.lists.blockSignals(True)
        self.lists.clear()
        for name in names:
            self.lists.addItem(list_title(name), name)
        self.lists.setCurrentIndex(self.lists.findData(current))
        self.lists.blockSignals(False)


def list_title(name: str) -> str:
    """A watch list's name as shown: the lists the app makes are named in the interface language."""
    return QCoreApplication.translate("WatchlistService", name)
