"""What the tools (:mod:`hkdesk.ui.window_tools`) need of the main window they are fitted to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMenuBar

if TYPE_CHECKING:
    from hkdesk.app.market import MarketService
    from hkdesk.app.settings import AppSettings
    from hkdesk.app.watchlists import WatchlistService
    from hkdesk.domain.symbols import SymbolInfo
    from hkdesk.ui.chart import ChartPanel
    from hkdesk.ui.colours import Palette
    from hkdesk.ui.depth import DepthLadder
    from hkdesk.ui.log_panel import LogPanel
    from hkdesk.ui.status_bar import StatusPanel
    from hkdesk.ui.symbol_panels import SymbolPanels
    from hkdesk.ui.tape import TapePanel
    from hkdesk.ui.watchlist_model import WatchlistModel
    from hkdesk.ui.watchlist_panel import WatchlistPanel


class ToolHost(Protocol):
    market: MarketService
    settings: AppSettings
    watchlists: WatchlistService
    universe: dict[str, SymbolInfo]
    model: WatchlistModel
    watchlist: WatchlistPanel
    panels: SymbolPanels
    chart: ChartPanel
    depth: DepthLadder
    tape: TapePanel
    log_panel: LogPanel
    status: StatusPanel
    palette_: Palette
    selected: str | None
    dock_watchlist: QDockWidget
    dock_depth: QDockWidget
    dock_tape: QDockWidget
    dock_log: QDockWidget
    dock_alerts: QDockWidget

    def menuBar(self) -> QMenuBar: ...
    def addDockWidget(self, area: Qt.DockWidgetArea, dock: QDockWidget) -> None: ...
    def tabifyDockWidget(self, first: QDockWidget, second: QDockWidget) -> None: ...
    def resizeDocks(
        self, docks: list[QDockWidget], sizes: list[int], orientation: Qt.Orientation
    ) -> None: ...
    def height(self) -> int: ...
    def info_title(self, symbol: str) -> str: ...
    def select_symbol(self, symbol: str) -> None: ...
    def remove_symbol(self, symbol: str) -> None: ...
