"""One running app: build the services and the window, wire them, run, shut down in order.

Order on the way out matters (PySide6 + qasync were seen to abort at interpreter exit when
tasks and widgets were left alive): stop the timers, close the feed, flush the writer thread,
stop the simulator process, then delete the widgets and drop the hooks and log handlers.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from hkdesk.app.alert_service import AlertService
from hkdesk.app.config import ConfigFollower, Launch, market_config
from hkdesk.app.diagnostics import ExceptionHooks, remove_handlers, setup_logging
from hkdesk.app.gui_gc import GuiThreadCollector
from hkdesk.app.market import MarketService
from hkdesk.app.settings import AppSettings
from hkdesk.app.watchlists import WatchlistService
from hkdesk.domain.symbols import default_universe, parse_symbol_list
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedTimings
from hkdesk.folders import default_config_dir
from hkdesk.sources.token_store import TokenStore, make_redactor
from hkdesk.ui.log_panel import QtLogHandler
from hkdesk.ui.main_window import MainWindow
from hkdesk.ui.support_report import save_report
from hkdesk.ui.theme import app_icon, apply_theme
from hkdesk.ui.translations import install_translation
from hkdesk.watchlist_file import WatchlistStore

log = logging.getLogger(__name__)


def launch_from(
    options: argparse.Namespace,
    *,
    timings: FeedTimings | None = None,
    sim_args: list[str] | None = None,
    plan: Plan | None = None,
) -> Launch:
    explicit_dir = getattr(options, "config_dir", None)
    return Launch(
        url=getattr(options, "url", None) or None,
        plan=getattr(options, "plan", None) or None,
        db_url=getattr(options, "db", None) or None,
        data_dir=Path(explicit_dir) if explicit_dir else None,
        desk=getattr(options, "desk", None) or None,
        desktop_id=getattr(options, "desktop_id", None) or None,
        nats_creds=getattr(options, "nats_creds", None) or None,
        desk_db=getattr(options, "desk_db", None) or None,
        sim_args=tuple(sim_args or ()),
        timings=timings or FeedTimings(),
        plan_limits=plan,
    )


class Desk:
    """One running app. Tests drive it directly: ``await desk.open()`` … ``await desk.close()``.

    ``timings``, ``sim_args`` and ``plan`` tune the feed for tests and benchmarks.
    """

    def __init__(
        self,
        options: argparse.Namespace,
        *,
        timings: FeedTimings | None = None,
        sim_args: list[str] | None = None,
        plan: Plan | None = None,
    ) -> None:
        self.options = options
        self.config_dir = Path(getattr(options, "config_dir", None) or default_config_dir())
        self.settings = AppSettings(self.config_dir)
        self.tokens = TokenStore(getattr(options, "token", None))
        self.redact = make_redactor(self.tokens)
        self.tokens.get()  # remember the current token so log lines can be redacted from the start
        self.launch = launch_from(options, timings=timings, sim_args=sim_args, plan=plan)
        symbols, bad = parse_symbol_list(getattr(options, "symbols", None))
        for part in bad:
            log.warning("ignoring %r from --symbols: not a Hong Kong code", part)
        self.watchlists = WatchlistService(WatchlistStore(self.config_dir), symbols)
        self.universe = default_universe()
        self.hooks = ExceptionHooks()
        self.collector = GuiThreadCollector()
        self.log_handler = QtLogHandler(self.redact)
        self.alerts = AlertService(self.config_dir)
        self.market = MarketService(
            market_config(self.settings, self.launch), self.tokens, alerts=self.alerts
        )
        self.config = ConfigFollower(self.settings, self.launch, self.market)
        self.watchlists.changed.connect(self._follow_lists)
        self.window: MainWindow | None = None
        self._closed: asyncio.Future[None] | None = None
        self._quit_handle: asyncio.TimerHandle | None = None
        self.exit_code = 0

    def _follow_lists(self) -> None:
        self.market.set_symbols(self.watchlists.symbols())

    def build_window(self) -> MainWindow:
        return MainWindow(
            self.market,
            self.settings,
            self.watchlists,
            self.universe,
            self.tokens,
            overridden=self.launch.overridden(),
            alerts=self.alerts,
        )

    async def open(self) -> MainWindow:
        loop = asyncio.get_running_loop()
        self.hooks.install(loop)
        self.collector.start()
        setup_logging(self.redact, self.log_handler)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)  # the loop ends when close() is done, not before
            install_translation(app, self.settings.language)
            apply_theme(app, self.settings.theme, self.settings.font_zoom)
            app.setWindowIcon(app_icon())
        self.window = self.build_window()
        self.window.log_panel.attach(self.log_handler)
        if getattr(self.options, "startup_probe", False):
            from hkdesk.desktop.startup_probe import StartupProbe

            StartupProbe(self.window, self.request_quit, getattr(self.options, "probe_chart_ticks", 0))
        if self.watchlists.problem:
            log.warning(self.watchlists.problem)
        self._closed = loop.create_future()
        self.window.closed.connect(self._on_window_closed)
        if self.window.settings.window_state()[0] is None:
            self.window.resize(1600, 1000)
        self.window.show()
        self.market.set_symbols(self.watchlists.symbols())
        self.window.show_indices()
        await self.alerts.open()
        self.alerts.on_symbols(self.market.set_alert_symbols)
        await self.market.start()
        looked_up = await self.market.reads.stored_symbols()  # codes outside the shipped list, from before
        if looked_up.keys() - self.universe.keys():
            self.universe.update({k: v for k, v in looked_up.items() if k not in self.universe})
            self.window.model.set_symbols(self.window.model.symbols())
        self.window.start_timers()
        settings = self.window.settings
        self.window.tools.charts.restore(settings.chart_windows(), settings.main_link_group)
        quit_after = getattr(self.options, "quit_after", None)
        if quit_after is not None:
            self._quit_handle = loop.call_later(max(0.0, float(quit_after)), self.request_quit)
        log.info("hkdesk ready: %d symbols in %s", len(self.watchlists.symbols()), self.watchlists.current)
        return self.window

    def _on_window_closed(self) -> None:
        if self._closed is not None and not self._closed.done():
            self._closed.set_result(None)

    def request_quit(self) -> None:
        """The automation hook: save a screenshot if asked, then close the window."""
        shot = getattr(self.options, "screenshot", None)
        if shot and self.window is not None:
            path = Path(shot)
            path.parent.mkdir(parents=True, exist_ok=True)
            if not self.window.grab().save(str(path), "PNG"):
                log.error("could not save the screenshot to %s", path)
                self.exit_code = 1
        if self.window is not None:
            self.window.close()

    async def wait_closed(self) -> None:
        if self._closed is not None:
            await self._closed

    def save_diagnostics(self) -> None:
        path = getattr(self.options, "diagnostics", None)
        if path and self.window is not None:
            try:
                save_report(self.window, Path(path), self.redact)
            except OSError as exc:
                log.error("could not write the diagnostics file %s: %s", path, exc)
                self.exit_code = 1

    async def close(self) -> None:
        if self._quit_handle is not None:
            self._quit_handle.cancel()
        self.save_diagnostics()
        win = self.window
        if win is not None and win.isVisible():
            win.close()
        if win is not None:
            win.stop_timers()
        await self.market.stop()
        await self.alerts.close()
        self.market.close_executor()
        if win is not None:
            win.hide()
            win.deleteLater()
            self.window = None
            # let Qt delete the widgets now, then collect Python cycles at this safe point rather
            # than at a random later moment while other widgets are painting
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            del win
            gc.collect()
        self.collector.stop()
        self.settings.sync()
        remove_handlers(self.log_handler)
        self.hooks.uninstall()

    async def run(self) -> int:
        try:
            await self.open()
            await self.wait_closed()
        finally:
            await self.close()
        return self.exit_code
