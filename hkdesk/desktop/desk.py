"""The app's lifecycle: build everything, open the window, run, shut down in order.

Order on the way out matters (PySide6 + qasync were seen to abort at interpreter exit when
tasks and widgets were left alive): stop the timers, close the feed, flush the writer thread,
stop the simulator process, then delete the widgets and drop the hooks and log handlers.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from hkdesk.app.diagnostics import ExceptionHooks, remove_handlers, setup_logging
from hkdesk.app.gui_gc import GuiThreadCollector
from hkdesk.app.market import MarketConfig, MarketService
from hkdesk.app.settings import AppSettings, FeedSource
from hkdesk.app.token_store import TokenStore, make_redactor
from hkdesk.app.watchlists import WatchlistStore
from hkdesk.domain.symbols import default_universe, try_normalise
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedTimings
from hkdesk.ui.log_panel import QtLogHandler
from hkdesk.ui.main_window import MainWindow
from hkdesk.ui.theme import app_icon, apply_theme
from hkdesk.ui.translations import install_translation

log = logging.getLogger(__name__)


def default_config_dir() -> Path:
    return Path(platformdirs.user_config_dir("hkdesk"))


def parse_symbols(text: str | None) -> list[str]:
    out: list[str] = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        code = try_normalise(part)
        if code is None:
            log.warning("ignoring %r from --symbols: not a Hong Kong code", part.strip())
        elif code not in out:
            out.append(code)
    return out


class Desk:
    """One running app. Tests drive it directly: ``await desk.open()`` … ``await desk.close()``."""

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
        self._timings = timings or FeedTimings()
        self._sim_args = list(sim_args or [])
        self._plan = plan
        self.store = WatchlistStore(self.config_dir)
        self.watchlists = self.store.load(parse_symbols(getattr(options, "symbols", None)))
        self.universe = default_universe()
        self.hooks = ExceptionHooks()
        self.collector = GuiThreadCollector()
        self.log_handler = QtLogHandler(self.redact)
        self.market = MarketService(self.market_config(), self.tokens)
        self.market.rebuild_config = self.market_config
        self.window: MainWindow | None = None
        self._closed: asyncio.Future[None] | None = None
        self._quit_handle: asyncio.TimerHandle | None = None
        self.exit_code = 0

    def market_config(self) -> MarketConfig:
        opts = self.options
        url = getattr(opts, "url", None)
        source = FeedSource.ALLTICK if url else self.settings.feed_source
        plan = getattr(opts, "plan", None) or self.settings.plan
        explicit_dir = getattr(opts, "config_dir", None)
        return MarketConfig(
            source=source,
            url=url or self.settings.alltick_url,
            plan=plan,
            db_url=getattr(opts, "db", None) or self.settings.db_url or None,
            spill_dir=Path(explicit_dir) / "spill" if explicit_dir else None,
            sim_args=self._sim_args,
            timings=self._timings,
            plan_override=self._plan,
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
            apply_theme(app, self.settings.theme)
            app.setWindowIcon(app_icon())
        self.window = MainWindow(
            self.market, self.settings, self.store, self.watchlists, self.universe, self.tokens
        )
        self.window.log_panel.attach(self.log_handler)
        if getattr(self.options, "startup_probe", False):
            from hkdesk.app.startup_probe import StartupProbe

            StartupProbe(self.window, self.request_quit, getattr(self.options, "probe_chart_ticks", 0))
        if self.store.problem:
            log.warning(self.store.problem)
        self._closed = loop.create_future()
        self.window.closed.connect(self._on_window_closed)
        if self.window.settings.window_state()[0] is None:
            self.window.resize(1600, 1000)
        self.window.show()
        self.market.set_symbols(self.window.model.symbols())
        await self.market.start()
        self.window.start_timers()
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

    async def close(self) -> None:
        if self._quit_handle is not None:
            self._quit_handle.cancel()
        win = self.window
        if win is not None and win.isVisible():
            win.close()
        if win is not None:
            win.stop_timers()
        await self.market.stop()
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


def _stderr_handler() -> logging.Handler:
    h = logging.StreamHandler(sys.stderr)
    h.setLevel(logging.WARNING if not os.environ.get("HKDESK_DEBUG") else logging.DEBUG)
    h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return h
