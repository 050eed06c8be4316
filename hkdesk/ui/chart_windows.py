"""The chart windows of the main window and the link groups they and the main window follow.

The main window is one member of the link groups (its chip sits by the watchlist): choosing a
row makes that symbol its group's. Each chart window is another member. A group's new symbol
is shown by every member of the group except the one that chose it; the main window selects
its row when the list has it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, SignalInstance

from hkdesk.app.settings import SavedChart
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.symbols import SymbolInfo
from hkdesk.ui.chart import INTERVALS
from hkdesk.ui.chart_window import ChartWindow
from hkdesk.ui.colours import Palette
from hkdesk.ui.link_groups import GROUPS, MAIN_GROUP, UNLINKED, LinkChip, LinkGroups
from hkdesk.ui.symbol_panels import DayReads, SymbolPanels

MAIN = "main"


class ChartWindows(QObject):
    def __init__(
        self,
        hub: QuoteHub,
        palette: Callable[[], Palette],
        reads: DayReads,
        universe: dict[str, SymbolInfo],
        title_of: Callable[[str], str],
        equip: Callable[[SymbolPanels], None],
        main_follows: Callable[[str], None],
        ladders_changed: Callable[[list[str]], None],
        history_changed: SignalInstance,
        parent: QObject,
    ) -> None:
        """``equip(panels)`` gives a window's chart its menus and overlays; ``main_follows(symbol)``
        shows a symbol in the main window; ``ladders_changed(symbols)``: the symbols shown with a
        depth ladder (they stream ten levels); ``history_changed(symbol)``: a symbol's stored day
        changed (minutes filled from the provider), so a window showing it reads it again."""
        super().__init__(parent)
        self._history_changed = history_changed
        self._hub = hub
        self._palette = palette
        self._reads = reads
        self._universe = universe
        self._title_of = title_of
        self._equip = equip
        self._main_follows = main_follows
        self._ladders_changed = ladders_changed
        self.links = LinkGroups(self)
        self.links.changed.connect(self._follow)
        self.main_chip = LinkChip(MAIN_GROUP)
        self.main_chip.group_chosen.connect(self._main_regrouped)
        self.main_symbol: str | None = None
        self.windows: list[ChartWindow] = []

    # ------------------------------------------------------------ the main window
    def main_selected(self, symbol: str) -> None:
        self.main_symbol = symbol
        self.links.publish(self.main_chip.group, symbol, MAIN)
        self._ladders()

    def _main_regrouped(self, group: str) -> None:
        symbol = self.links.symbol(group)
        if symbol is not None and symbol != self.main_symbol:
            self._main_follows(symbol)
        elif self.main_symbol is not None:
            self.links.publish(group, self.main_symbol, MAIN)

    # ------------------------------------------------------------ chart windows
    def open(self, symbol: str, group: str = "") -> ChartWindow:
        """A new chart window on ``symbol`` (in ``group``; not linked by default)."""
        w = ChartWindow(
            self._hub,
            self._palette(),
            self._reads,
            self._history_changed,
            self._universe,
            self._title_of,
            group,
            self.parent(),
        )
        self._equip(w.panels)
        w.symbol_chosen.connect(lambda win, sym: self._chosen(win, sym))
        w.group_changed.connect(lambda win, g: self._regrouped(win, g))
        w.closed.connect(self._closed)
        self.windows.append(w)
        w.show_symbol(symbol)
        w.show()
        w.raise_()
        self._ladders()
        return w

    def saved(self) -> list[SavedChart]:
        """The open chart windows, for the next start."""
        return [
            SavedChart(
                w.symbol, w.group, w.chart.mode, w.saveGeometry(), w.body.saveState(), w.side.saveState()
            )
            for w in self.windows
            if w.symbol
        ]

    def restore(self, charts: Sequence[SavedChart], main_group: str | None) -> None:
        """Open the chart windows of the last run again, each on its symbol, group, interval,
        place and splitters, and put the main window back in its group (a group or interval not known to this
        version is left at the default)."""
        if main_group is not None and (main_group in GROUPS or main_group == UNLINKED):
            self.main_chip.show_group(main_group)
        for chart in charts:
            w = self.open(chart.symbol, chart.group if chart.group in GROUPS else UNLINKED)
            if chart.interval in INTERVALS and chart.interval != w.chart.mode:
                w.chart.set_mode(chart.interval)
            if chart.geometry is not None:
                w.restoreGeometry(chart.geometry)
            for splitter, state in ((w.body, chart.body), (w.side, chart.side)):
                if state is not None:
                    splitter.restoreState(state)

    def _chosen(self, w: ChartWindow, symbol: str) -> None:
        self.links.publish(w.group, symbol, w)
        self._ladders()

    def _regrouped(self, w: ChartWindow, group: str) -> None:
        symbol = self.links.symbol(group)
        if symbol is not None:
            w.show_symbol(symbol)
        elif w.symbol is not None:
            self.links.publish(group, w.symbol, w)
        self._ladders()

    def _follow(self, group: str, symbol: str, origin: object) -> None:
        for w in self.windows:
            if w.group == group and w is not origin:
                w.show_symbol(symbol)
        if self.main_chip.group == group and origin != MAIN:
            self._main_follows(symbol)
        self._ladders()

    def _closed(self, w: ChartWindow) -> None:
        if w in self.windows:
            self.windows.remove(w)
        self._ladders()

    def _ladders(self) -> None:
        shown = [self.main_symbol, *(w.symbol for w in self.windows)]
        self._ladders_changed(list(dict.fromkeys(s for s in shown if s)))

    # ------------------------------------------------------------ every frame, looks, the end
    def refresh(self, dirty_books: set[str]) -> None:
        for w in self.windows:
            w.refresh(dirty_books)

    def set_palette(self, palette: Palette) -> None:
        for w in self.windows:
            w.panels.set_palette(palette)

    def close_all(self) -> None:
        for w in list(self.windows):
            w.close()
