"""A symbol's chart in a window of its own, with its depth ladder and time & sales beside it.

Its panels are a :class:`SymbolPanels` like the main window's, refreshed on the same frame timer.
A code typed in its search box shows that symbol here and, when the window is in a link group,
in every other member of the group.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QVBoxLayout, QWidget

from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.symbols import SymbolInfo
from hkdesk.ui.colours import Palette
from hkdesk.ui.link_groups import LinkChip
from hkdesk.ui.symbol_panels import DayReads, SymbolPanels
from hkdesk.ui.symbol_search import SymbolSearchBox

#: The depth ladder's and time & sales' width in a new chart window (the main window's docks).
SIDE_WIDTH = 320


class ChartWindow(QWidget):
    #: A symbol chosen here (typed in the search box): (window, symbol).
    symbol_chosen = Signal(object, str)
    #: The window's link group changed: (window, group).
    group_changed = Signal(object, str)
    closed = Signal(object)

    def __init__(
        self,
        hub: QuoteHub,
        palette: Palette,
        reads: DayReads,
        history_changed: SignalInstance,
        universe: dict[str, SymbolInfo],
        title_of: Callable[[str], str],
        group: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("chartWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._universe = universe
        self._title_of = title_of
        self.panels = SymbolPanels(hub, palette, reads, history_changed, self)
        self.chart = self.panels.chart
        self.chip = LinkChip(group)
        self.chip.group_chosen.connect(lambda g: self.group_changed.emit(self, g))
        self.search = SymbolSearchBox(universe)
        self.search.setPlaceholderText(self.tr("Show: code or name"))
        self.search.symbol_chosen.connect(self._typed)

        top = QHBoxLayout()
        top.setContentsMargins(4, 4, 4, 2)
        top.addWidget(self.chip)
        top.addWidget(self.search, 1)
        #: The ladder over the tape, and the chart beside them (their states are saved).
        self.side = side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.panels.depth)
        side.addWidget(self.panels.tape)
        self.body = body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.chart)
        body.addWidget(side)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        # the chart's size hint is wide: left to it, the ladder got its minimum, ~130 px, and
        # its levels, prices and the spread line ran into each other
        body.setSizes([SIDE_WIDTH * 3, SIDE_WIDTH])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(top)
        lay.addWidget(body, 1)
        self.resize(1100, 640)

    @property
    def group(self) -> str:
        return self.chip.group

    @property
    def symbol(self) -> str | None:
        return self.panels.symbol

    def show_symbol(self, symbol: str) -> None:
        if symbol == self.panels.symbol:
            return
        info = self._universe.get(symbol)
        title = self._title_of(symbol)
        self.panels.show(symbol, title, is_index=bool(info and info.is_index))
        self.setWindowTitle(f"{title} — hkdesk")

    def _typed(self, symbol: str) -> None:
        self.show_symbol(symbol)
        self.symbol_chosen.emit(self, symbol)

    def refresh(self, dirty_books: set[str]) -> None:
        self.panels.refresh(dirty_books)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.panels.stop()
        self.closed.emit(self)
        super().closeEvent(event)
