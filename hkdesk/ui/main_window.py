"""The main window: docks for watchlist, chart, depth, time & sales and log; one frame timer.

The docks share the window in proportions (:mod:`hkdesk.ui.dock_layout`), set when the window
first shows with no saved layout and kept as it is resized.

Nothing here is driven per tick. A ~30 Hz frame timer takes the hub's dirty symbols and
pushes them into the watchlist model (visible rows only), the selected symbol's tape and
chart buffers, and the depth ladder; a slower timer refreshes the status bar and re-sorts.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QWidget,
)

from hkdesk.domain.symbols import SymbolInfo, display_code
from hkdesk.sources.token_store import make_redactor
from hkdesk.ui.about_dialog import AboutDialog
from hkdesk.ui.chart import INTERVALS
from hkdesk.ui.colours import make_palette
from hkdesk.ui.dock_layout import CHART_MIN_HEIGHT, DockShares, apply_default_layout
from hkdesk.ui.docks import Dock
from hkdesk.ui.index_strip import IndexStrip
from hkdesk.ui.list_actions import ListActions
from hkdesk.ui.log_panel import LogPanel
from hkdesk.ui.menus import build_menus
from hkdesk.ui.settings_dialog import SettingsDialog
from hkdesk.ui.status_bar import StatusPanel
from hkdesk.ui.support_report import save_report_as
from hkdesk.ui.symbol_panels import SymbolPanels
from hkdesk.ui.theme import apply_theme
from hkdesk.ui.translations import shown_chinese_name
from hkdesk.ui.unlisted import add_unlisted
from hkdesk.ui.watchlist_model import WatchlistModel
from hkdesk.ui.watchlist_panel import WatchlistPanel, list_title
from hkdesk.ui.window_tools import WindowTools

if TYPE_CHECKING:
    from hkdesk.app.alert_service import AlertService
    from hkdesk.app.market import MarketService
    from hkdesk.app.settings import AppSettings
    from hkdesk.app.watchlists import WatchlistService
    from hkdesk.sources.token_store import TokenStore

log = logging.getLogger(__name__)

FRAME_MS = 33
STATUS_MS = 250
RESORT_MS = 250  # the calm sorter looks this often, and re-sorts at most once a second
STATE_VERSION = 1


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(
        self,
        market: MarketService,
        settings: AppSettings,
        watchlists: WatchlistService,
        universe: dict[str, SymbolInfo],
        tokens: TokenStore,
        *,
        overridden: dict[str, str] | None = None,
        alerts: AlertService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``overridden``: setting key → the command-line option that fixes it for this run;
        ``alerts``: the alerts its Alerts dock shows and edits."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.market = market
        self.settings = settings
        self.watchlists = watchlists
        self.overridden = dict(overridden or {})
        self.universe = universe
        self.tokens = tokens
        self.palette_ = make_palette(settings.colours, settings.theme)
        self.selected: str | None = None
        self._list_shown = watchlists.current
        self.frames = 0
        self._dirty: set[str] = set()
        self._layout_restored = False
        self._shown_once = False

        hub = market.hub
        self.model = WatchlistModel(hub, universe, self.palette_, parent=self)
        self.watchlist = WatchlistPanel(self.model, universe)
        self.panels = SymbolPanels(hub, self.palette_, market.reads, market.filler.history_changed, self)
        self.chart, self.depth = self.panels.chart, self.panels.depth
        self.tape_model, self.tape = self.panels.tape_model, self.panels.tape
        self.indices = IndexStrip(hub, universe, self.palette_)
        index_bar = self.addToolBar(self.tr("Indices"))
        index_bar.setObjectName("indexBar")
        index_bar.setMovable(False)
        index_bar.addWidget(self.indices)
        self.log_panel = LogPanel()
        self.status = StatusPanel()
        self.setStatusBar(self.status)
        self.lists = ListActions(self.watchlists, self.status, self)

        self.chart.setMinimumHeight(CHART_MIN_HEIGHT)
        self.setCentralWidget(self.chart)
        self.setDockNestingEnabled(True)
        self.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        area = Qt.DockWidgetArea
        top, right, bottom = area.TopDockWidgetArea, area.RightDockWidgetArea, area.BottomDockWidgetArea
        self.dock_watchlist = self._dock("watchlist", self.tr("Watchlist"), self.watchlist, top)
        self.dock_depth = self._dock("depth", self.tr("Depth"), self.depth, right)
        self.dock_tape = self._dock("time_sales", self.tr("Time & Sales"), self.tape, right)
        self.dock_log = self._dock("log", self.tr("Log"), self.log_panel, bottom)
        self.dock_shares = DockShares(self, self._tallest)
        self.about_action: QAction | None = None
        build_menus(self)
        self.tools = WindowTools(self, alerts)

        self.watchlist.symbol_selected.connect(self.select_symbol)
        self.watchlist.remove_requested.connect(self.remove_symbol)
        self.watchlist.search.symbol_chosen.connect(self.add_or_jump)
        self.watchlist.search.rejected.connect(lambda t: log.warning("not a Hong Kong code or name: %r", t))
        self.watchlist.view.typed.connect(self.start_typing)
        self.watchlist.list_chosen.connect(self.watchlists.switch)
        self.watchlist.new_list_requested.connect(self.lists.new_list)
        self.watchlists.changed.connect(self._follow_lists)
        self.settings.changed.connect(self._follow_settings)
        self.chart.interval_changed.connect(self._remember_interval)

        self.frame_timer = QTimer(self)
        self.frame_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.frame_timer.timeout.connect(self.on_frame)
        self.status_timer = QTimer(self)
        self.status_timer.timeout.connect(self.refresh_status)
        self.resort_timer = QTimer(self)
        self.resort_timer.timeout.connect(self.watchlist.calm.tick)

        self.watchlist.set_lists(watchlists.names(), watchlists.current)
        self.model.set_symbols(watchlists.symbols())
        if settings.chart_interval in INTERVALS and settings.chart_interval != self.chart.mode:
            self.chart.set_mode(settings.chart_interval)
        self._restore_layout()
        self._update_title()

    # ------------------------------------------------------------ construction
    def _dock(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> Dock:
        dock = Dock(key, title, widget, self)
        self.addDockWidget(area, dock)
        return dock

    def _docks(self) -> tuple[Dock, ...]:
        return (self.dock_watchlist, self.dock_depth, self.dock_tape, self.dock_log)

    def _restore_layout(self) -> None:
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self._layout_restored = self.restoreState(state, STATE_VERSION)
            for dock in self._docks():
                dock.keep_on_screen()

    def save_layout(self) -> None:
        self.settings.save_window_state(self.saveGeometry(), self.saveState(STATE_VERSION))
        charts = self.tools.charts
        self.settings.save_chart_windows(charts.saved(), charts.main_chip.group)
        self.tools.columns.save(self.watchlists.current)
        self.settings.sync()

    def _tallest(self) -> dict[Dock, int]:
        """The ladder draws its levels in at most its size hint; more height would stay empty."""
        title = self.dock_depth.height() - self.depth.height()
        return {self.dock_depth: self.depth.sizeHint().height() + max(0, title)}

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not self._layout_restored:
                apply_default_layout(
                    self,
                    watchlist=self.dock_watchlist,
                    log=self.dock_log,
                    depth=self.dock_depth,
                    tape=self.dock_tape,
                    tallest=self._tallest(),
                )
            self.layout().activate()  # lay the docks out now, so their shares are noted as set
            self.dock_shares.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.dock_shares.window_resized(event.size())

    # ------------------------------------------------------------ lifecycle
    def start_timers(self) -> None:
        self.frame_timer.start(FRAME_MS)
        self.status_timer.start(STATUS_MS)
        self.resort_timer.start(RESORT_MS)
        if self.model.rowCount() and self.selected is None:
            self.watchlist.select_symbol(self.model.symbol_at(0))
        self.refresh_status()

    def stop_timers(self) -> None:
        for t in (self.frame_timer, self.status_timer, self.resort_timer):
            t.stop()
        self.panels.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.stop_timers()
        self.tools.close()
        event.accept()
        self.closed.emit()

    # ------------------------------------------------------------ frames
    def on_frame(self) -> None:
        """Alternate the two heavy paints: the watchlist on one frame, the selected symbol's
        chart, depth and tape on the next. Painted together they made the longest stalls of
        the loop; apart, each panel still refreshes 15 times a second."""
        hub = self.market.hub
        self._dirty |= hub.take_dirty()
        self.frames += 1
        if self.frames % 2:
            self.model.apply_frame(self._dirty, self.watchlist.visible_source_rows())
            self.indices.refresh(self._dirty)
            self._dirty = set()
            return
        books = hub.take_dirty_books()
        self.panels.refresh(books)
        self.tools.refresh(books)

    def refresh_status(self) -> None:
        self.status.show_snapshot(self.market.status_snapshot())

    # ------------------------------------------------------------ symbols
    def info_title(self, sym: str) -> str:
        info = self.universe.get(sym)
        name = f"{info.name_en}  {shown_chinese_name(info)}" if info else ""
        return f"{display_code(sym)}  {name}".strip()

    def select_symbol(self, sym: str) -> None:
        if sym == self.selected:
            return
        self.selected = sym
        info = self.universe.get(sym)
        self.panels.show(sym, self.info_title(sym), is_index=bool(info and info.is_index))
        self.tools.selected(sym)
        self._update_title()

    def add_or_jump(self, sym: str) -> None:
        if sym not in self.universe and sym not in self.watchlists.symbols():
            self._lookup = asyncio.ensure_future(add_unlisted(self, sym))
            return
        self.watchlist.answer("")
        self.add_known(sym)

    def add_known(self, sym: str) -> None:
        if self.watchlists.add(sym):
            log.info("added %s to %s", display_code(sym), self.watchlists.current)
        self.watchlist.select_symbol(sym)
        self.watchlist.view.setFocus()

    def remove_symbol(self, sym: str) -> None:
        row = self.model.row_of(sym)
        if row < 0:
            return
        proxy_row = self.watchlist.proxy.mapFromSource(self.model.index(row, 0)).row()
        if not self.watchlists.remove(sym):
            return
        log.info("removed %s from %s", display_code(sym), self.watchlists.current)
        n = self.watchlist.proxy.rowCount()
        if n:
            idx = self.watchlist.proxy.index(min(proxy_row, n - 1), 0)
            self.watchlist.select_symbol(self.model.symbol_at(self.watchlist.proxy.mapToSource(idx).row()))
        else:
            self._unselect()

    def _unselect(self) -> None:
        self.selected = None
        self.panels.clear()

    def _follow_lists(self) -> None:
        """The watch lists changed: show the current one (a switch starts at its first row)."""
        switched = self.watchlists.current != self._list_shown
        self.tools.lists_changed(self._list_shown, self.watchlists.current)
        self._list_shown = self.watchlists.current
        self.watchlist.set_lists(self.watchlists.names(), self.watchlists.current)
        self.model.sync_symbols(self.watchlists.symbols())
        if switched:
            self._unselect()
            if self.model.rowCount():
                self.watchlist.select_symbol(self.model.symbol_at(0))
        self._update_title()

    def start_typing(self, text: str) -> None:
        box = self.watchlist.search
        if box.hasFocus():
            box.insert(text)
        else:
            box.setFocus()
            box.setText(text)
        box.textEdited.emit(box.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text and text.isalnum() and not (event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier):
            self.start_typing(text)
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------ settings
    def open_settings(self) -> SettingsDialog:
        """Window-modal, without blocking the event loop. Settings flow one way: the dialog writes
        them when accepted; followers react to ``settings.changed``."""
        dlg = SettingsDialog(self.settings, self.tokens, self, overridden=self.overridden)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(dlg.apply)
        dlg.open()
        return dlg

    def _follow_settings(self, keys: frozenset[str]) -> None:
        if keys & {"ui/colours", "ui/theme"}:
            self._apply_looks(theme_changed="ui/theme" in keys)
        if "ui/index_codes" in keys:
            self.show_indices()

    def show_indices(self) -> None:
        codes = self.settings.index_codes
        self.indices.set_codes(codes)
        self.market.set_indices(codes)

    def _remember_interval(self, mode: str) -> None:
        self.settings.chart_interval = mode
        self.settings.sync()

    def save_diagnostics(self) -> None:
        """Help → Save diagnostics…: the support file, written where the user says."""
        if answer := save_report_as(self, make_redactor(self.tokens)):
            self.status.showMessage(answer, 8000)

    def open_about(self) -> AboutDialog:
        """Window-modal, without blocking the event loop (quotes keep updating behind it)."""
        dlg = AboutDialog(self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def set_looks(self, *, colours: str | None = None, theme: str | None = None) -> None:
        """The View menu's choices: saved as settings, applied by :meth:`_follow_settings`."""
        if colours:
            self.settings.colours = colours
        if theme:
            self.settings.theme = theme
        self.settings.sync()

    def _apply_looks(self, *, theme_changed: bool) -> None:
        self.palette_ = make_palette(self.settings.colours, self.settings.theme)
        app = QApplication.instance()
        if theme_changed and isinstance(app, QApplication):
            apply_theme(app, self.settings.theme, self.settings.font_zoom)
        self.model.set_palette(self.palette_)
        self.indices.set_palette(self.palette_)
        self.panels.set_palette(self.palette_)
        self.tools.set_palette()

    def _update_title(self) -> None:
        parts = ["hkdesk", list_title(self.watchlists.current)]
        if self.selected:
            parts.append(self.info_title(self.selected))
        self.setWindowTitle(" — ".join(parts))
