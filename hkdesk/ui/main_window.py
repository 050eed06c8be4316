"""The main window: docks for watchlist, chart, depth, time & sales and log; one frame timer.

Nothing here is driven per tick. A ~30 Hz frame timer takes the hub's dirty symbols and
pushes them into the watchlist model (visible rows only), the selected symbol's tape and
chart buffers, and the depth ladder; a slower timer refreshes the status bar and re-sorts.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QInputDialog, QMainWindow, QWidget

from hkdesk.domain.symbols import SymbolInfo, display_code
from hkdesk.domain.types import Tick
from hkdesk.ui.about_dialog import AboutDialog
from hkdesk.ui.chart import INTERVALS, ChartPanel
from hkdesk.ui.colours import make_palette
from hkdesk.ui.depth import DepthLadder
from hkdesk.ui.log_panel import LogPanel
from hkdesk.ui.menus import build_menus
from hkdesk.ui.settings_dialog import SettingsDialog
from hkdesk.ui.status_bar import StatusPanel
from hkdesk.ui.tape import TapeModel, TapePanel
from hkdesk.ui.theme import apply_theme
from hkdesk.ui.watchlist_model import WatchlistModel
from hkdesk.ui.watchlist_panel import WatchlistPanel

if TYPE_CHECKING:
    from hkdesk.app.market import MarketService
    from hkdesk.app.settings import AppSettings
    from hkdesk.app.token_store import TokenStore
    from hkdesk.app.watchlists import Watchlists, WatchlistStore

log = logging.getLogger(__name__)

FRAME_MS = 33
STATUS_MS = 250
RESORT_MS = 1000
STATE_VERSION = 1


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(
        self,
        market: MarketService,
        settings: AppSettings,
        store: WatchlistStore,
        watchlists: Watchlists,
        universe: dict[str, SymbolInfo],
        tokens: TokenStore,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.market = market
        self.settings = settings
        self.store = store
        self.watchlists = watchlists
        self.universe = universe
        self.tokens = tokens
        self.palette_ = make_palette(settings.colours, settings.theme)
        self.selected: str | None = None
        self._last_tape_tick: Tick | None = None
        self._history_task: asyncio.Task[None] | None = None
        self._reconfigure_task: asyncio.Future[None] | None = None
        self.frames = 0
        self._dirty: set[str] = set()

        hub = market.hub
        self.model = WatchlistModel(hub, universe, self.palette_, parent=self)
        self.watchlist = WatchlistPanel(self.model, universe)
        self.chart = ChartPanel(self.palette_)
        self.depth = DepthLadder(self.palette_)
        self.tape_model = TapeModel(palette=self.palette_, parent=self)
        self.tape = TapePanel(self.tape_model)
        self.log_panel = LogPanel()
        self.status = StatusPanel()
        self.setStatusBar(self.status)

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
        self.resizeDocks([self.dock_watchlist], [430], Qt.Orientation.Vertical)
        self.resizeDocks([self.dock_depth, self.dock_tape], [470, 420], Qt.Orientation.Vertical)
        self.resizeDocks([self.dock_depth], [300], Qt.Orientation.Horizontal)
        self.resizeDocks([self.dock_log], [110], Qt.Orientation.Vertical)
        self.about_action: QAction | None = None
        build_menus(self)

        self.watchlist.symbol_selected.connect(self.select_symbol)
        self.watchlist.remove_requested.connect(self.remove_symbol)
        self.watchlist.search.symbol_chosen.connect(self.add_or_jump)
        self.watchlist.search.rejected.connect(lambda t: log.warning("not a Hong Kong code or name: %r", t))
        self.watchlist.view.typed.connect(self.start_typing)
        self.watchlist.list_chosen.connect(self.switch_list)
        self.watchlist.new_list_requested.connect(self.new_list)
        self.chart.interval_changed.connect(lambda m: setattr(self.settings, "chart_interval", m))

        self.frame_timer = QTimer(self)
        self.frame_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.frame_timer.timeout.connect(self.on_frame)
        self.status_timer = QTimer(self)
        self.status_timer.timeout.connect(self.refresh_status)
        self.resort_timer = QTimer(self)
        self.resort_timer.timeout.connect(self.watchlist.proxy.resort)

        self.watchlist.set_lists(watchlists.names(), watchlists.current)
        self.model.set_symbols(watchlists.symbols())
        if settings.chart_interval in INTERVALS and settings.chart_interval != self.chart.mode:
            self.chart.set_mode(settings.chart_interval)
        self._restore_layout()
        self._update_title()

    # ------------------------------------------------------------ construction
    def _dock(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        """``key`` names the dock in the saved layout, so it must not change with the language."""
        dock = QDockWidget(title.replace("&", "&&"), self)
        dock.setObjectName(f"dock_{key}")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _restore_layout(self) -> None:
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state, STATE_VERSION)
        header = self.settings.header_state()
        if header is not None:
            self.watchlist.view.horizontalHeader().restoreState(header)

    def save_layout(self) -> None:
        self.settings.save_window_state(self.saveGeometry(), self.saveState(STATE_VERSION))
        self.settings.save_header_state(QByteArray(self.watchlist.view.horizontalHeader().saveState()))
        self.settings.sync()

    # ------------------------------------------------------------ lifecycle
    def start_timers(self) -> None:
        self.frame_timer.start(FRAME_MS)
        self.status_timer.start(STATUS_MS)
        self.resort_timer.start(RESORT_MS)
        self.market.set_symbols(self.model.symbols())
        if self.model.rowCount() and self.selected is None:
            self.watchlist.select_symbol(self.model.symbol_at(0))
        self.refresh_status()

    def stop_timers(self) -> None:
        for t in (self.frame_timer, self.status_timer, self.resort_timer):
            t.stop()
        if self._history_task is not None and not self._history_task.done():
            self._history_task.cancel()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.store.save(self.watchlists)
        self.stop_timers()
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
            self._dirty = set()
            return
        sym = self.selected
        if sym is None:
            hub.take_dirty_books()
            return
        self._pull_trades(sym)
        q = hub.quotes.get(sym)
        if q is not None and q.prev_close is not None:
            pc = float(q.prev_close)
            if pc != self.chart.prev_close:
                self.chart.set_previous_close(pc)
        if sym in hub.take_dirty_books():
            self.depth.set_book(hub.books.get(sym))
        self.chart.redraw()

    def _pull_trades(self, sym: str) -> None:
        tape = self.market.hub.tapes.get(sym)
        if not tape:
            return
        fresh: list[Tick] = []
        last = self._last_tape_tick
        for t in reversed(tape):
            if t is last:
                break
            fresh.append(t)
        if not fresh:
            return
        fresh.reverse()
        self._last_tape_tick = tape[-1]
        self.tape_model.prepend(fresh)
        self.chart.append([(t.ts / 1000, float(t.price), float(t.volume)) for t in fresh])

    def refresh_status(self) -> None:
        self.status.show_snapshot(self.market.status_snapshot())

    # ------------------------------------------------------------ symbols
    def _info_title(self, sym: str) -> str:
        info = self.universe.get(sym)
        name = f"{info.name_en}  {info.name_zh}" if info else ""
        return f"{display_code(sym)}  {name}".strip()

    def select_symbol(self, sym: str) -> None:
        if sym == self.selected:
            return
        self.selected = sym
        info = self.universe.get(sym)
        is_index = bool(info and info.is_index)
        hub = self.market.hub
        self.market.set_depth_symbols([sym])
        self.depth.set_symbol(sym, is_index=is_index)
        self.depth.set_book(hub.books.get(sym))
        tape = hub.tape(sym)
        self.tape_model.reset(tape, is_index=is_index)
        self._last_tape_tick = tape[-1] if tape else None
        self.chart.set_symbol(sym, self._info_title(sym), is_index=is_index)
        self._load_chart_from_tape(sym)
        q = hub.quotes.get(sym)
        self.chart.set_previous_close(float(q.prev_close) if q and q.prev_close is not None else None)
        self.chart.redraw(force=True)
        if self._history_task is not None and not self._history_task.done():
            self._history_task.cancel()
        self._history_task = asyncio.ensure_future(self._load_history(sym))
        self._update_title()

    def _load_chart_from_tape(self, sym: str, after_ts: int = -1, base=None) -> None:
        ticks = [t for t in self.market.hub.tape(sym) if t.ts > after_ts]
        t = np.fromiter((x.ts / 1000 for x in ticks), float, len(ticks))
        p = np.fromiter((float(x.price) for x in ticks), float, len(ticks))
        v = np.fromiter((float(x.volume) for x in ticks), float, len(ticks))
        if base is not None:
            t, p, v = (np.concatenate((b, a)) for b, a in zip(base, (t, p, v), strict=True))
        self.chart.load(t, p, v)

    async def _load_history(self, sym: str) -> None:
        """Today's stored trades for the chart, read off the GUI thread, joined to the live tape."""
        try:
            arrays = await self.market.load_today(sym)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("could not load today's history for %s: %s", sym, exc)
            return
        if arrays is None or sym != self.selected or len(arrays[0]) == 0:
            return
        t, p, v = arrays
        last_ms = round(float(t[-1]) * 1000)
        self._load_chart_from_tape(sym, after_ts=last_ms, base=(t, p, v))
        self.chart.redraw(force=True)
        log.info("chart %s: %d stored trades loaded", display_code(sym), len(t))

    def add_or_jump(self, sym: str) -> None:
        if self.model.row_of(sym) < 0:
            self.model.add_symbol(sym)
            self.watchlists.symbols().append(sym)
            self.market.set_symbols(self.model.symbols())
            self.store.save(self.watchlists)
            log.info("added %s to %s", display_code(sym), self.watchlists.current)
        self.watchlist.select_symbol(sym)
        self.watchlist.view.setFocus()

    def remove_symbol(self, sym: str) -> None:
        row = self.model.row_of(sym)
        if row < 0:
            return
        proxy_row = self.watchlist.proxy.mapFromSource(self.model.index(row, 0)).row()
        self.model.remove_symbol(sym)
        lst = self.watchlists.symbols()
        if sym in lst:
            lst.remove(sym)
        self.market.set_symbols(self.model.symbols())
        self.store.save(self.watchlists)
        log.info("removed %s from %s", display_code(sym), self.watchlists.current)
        n = self.watchlist.proxy.rowCount()
        if n:
            idx = self.watchlist.proxy.index(min(proxy_row, n - 1), 0)
            self.watchlist.select_symbol(self.model.symbol_at(self.watchlist.proxy.mapToSource(idx).row()))
        else:
            self.selected = None

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

    # ------------------------------------------------------------ named lists
    def switch_list(self, name: str) -> None:
        if name not in self.watchlists.lists:
            return
        self.watchlists.current = name
        self.model.set_symbols(self.watchlists.symbols())
        self.market.set_symbols(self.model.symbols())
        self.store.save(self.watchlists)
        self.watchlist.set_lists(self.watchlists.names(), name)
        self.selected = None
        if self.model.rowCount():
            self.watchlist.select_symbol(self.model.symbol_at(0))
        self._update_title()

    def new_list(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New watchlist"), self.tr("Name:"))
        name = name.strip()
        if ok and name and name not in self.watchlists.lists:
            self.watchlists.lists[name] = []
            self.switch_list(name)

    def rename_list(self) -> None:
        old = self.watchlists.current
        name, ok = QInputDialog.getText(self, self.tr("Rename watchlist"), self.tr("Name:"), text=old)
        name = name.strip()
        if ok and name and name not in self.watchlists.lists:
            self.watchlists.lists = {(name if k == old else k): v for k, v in self.watchlists.lists.items()}
            self.watchlists.current = name
            self.store.save(self.watchlists)
            self.watchlist.set_lists(self.watchlists.names(), name)
            self._update_title()

    def delete_list(self) -> None:
        if len(self.watchlists.lists) <= 1:
            log.warning("the last watchlist cannot be deleted")
            return
        del self.watchlists.lists[self.watchlists.current]
        self.switch_list(next(iter(self.watchlists.lists)))

    # ------------------------------------------------------------ settings
    def open_settings(self) -> None:
        dlg = SettingsDialog(self.settings, self.tokens, self)
        if dlg.exec() != SettingsDialog.DialogCode.Accepted:
            return
        change = dlg.apply()
        if change.looks_changed:
            self.set_looks(colours=self.settings.colours, theme=self.settings.theme)
        if change.feed_changed or change.db_changed:
            self._reconfigure_task = asyncio.ensure_future(self.market.reconfigure())

    def open_about(self) -> AboutDialog:
        """Window-modal, without blocking the event loop (quotes keep updating behind it)."""
        dlg = AboutDialog(self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def set_looks(self, *, colours: str | None = None, theme: str | None = None) -> None:
        if colours:
            self.settings.colours = colours
        if theme:
            self.settings.theme = theme
        self.palette_ = make_palette(self.settings.colours, self.settings.theme)
        app = QApplication.instance()
        if theme and isinstance(app, QApplication):
            apply_theme(app, theme)
        self.model.set_palette(self.palette_)
        self.tape_model.set_palette(self.palette_)
        self.depth.set_palette(self.palette_)
        self.chart.set_palette(self.palette_)
        self.chart.redraw(force=True)

    def _update_title(self) -> None:
        parts = ["hkdesk", self.watchlists.current]
        if self.selected:
            parts.append(self._info_title(self.selected))
        self.setWindowTitle(" — ".join(parts))
