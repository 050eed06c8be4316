"""The market pipeline behind the window: simulator process, feed client, quote hub, writer.

Qt-aware wiring only (no widgets). The feed runs on the qasync loop and its callbacks do
nothing but ``hub.apply_ticks`` and ``writer.put_ticks``; the writer runs its blocking loop
in a ``QThread``; the built-in simulator runs in its own process. Views read the hub on
their frame timer and this object's :meth:`status_snapshot` on a slower one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThread

from hkdesk.app.settings import FeedSource
from hkdesk.app.status import SESSION_TEXT, LinkLevel, StatusSnapshot, TickRate, clock_text, link_text
from hkdesk.app.token_store import TokenStore
from hkdesk.domain import formatting as fmt
from hkdesk.domain.bars import DAY, bar_start
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.sessions import phase_at
from hkdesk.domain.types import Gap
from hkdesk.feed.client import FeedClient
from hkdesk.feed.http import HttpError, QuoteHttp
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState, FeedStatus, FeedTimings
from hkdesk.pipeline import Pipeline

log = logging.getLogger(__name__)

GAP_MARKER_SECONDS = 120.0


SIM_TOKEN = "hkdesk-simulator"


@dataclass
class MarketConfig:
    """Everything needed to (re)build the pipeline; resolved from settings and command line."""

    source: FeedSource = FeedSource.SIMULATOR
    url: str = ""
    plan: str = "free"
    db_url: str | None = None
    spill_dir: Path | None = None
    sim_args: list[str] = field(default_factory=list)
    timings: FeedTimings = field(default_factory=FeedTimings)
    record_depth: bool = False
    #: Limits to use instead of the named plan (tests use fast reconnects).
    plan_override: Plan | None = None


class WriterThread(QThread):
    """Runs ``BatchWriter.run()`` (a blocking loop) off the GUI thread."""

    def __init__(self, writer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.writer = writer
        self.setObjectName("hkdesk-writer")

    def run(self) -> None:
        try:
            self.writer.run()
        except Exception:
            log.exception("the database writer stopped with an error")


class MarketService(QObject):
    def __init__(
        self, config: MarketConfig, tokens: TokenStore, hub: QuoteHub | None = None, parent=None
    ) -> None:
        super().__init__(parent)
        self.config = config
        self.tokens = tokens
        self.hub = hub or QuoteHub()
        self.pipeline: Pipeline | None = None
        self.feed: FeedClient | None = None
        self.sim = None
        self.engine = None
        self.writer = None
        self.writer_thread: WriterThread | None = None
        self._unfinished_threads: list[WriterThread] = []
        self._feed_task: asyncio.Task[None] | None = None
        self._http: QuoteHttp | None = None
        self._snapshot_task: asyncio.Task[None] | None = None
        self._snapshotted: set[str] = set()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hkdesk-history")
        self._symbols: list[str] = []
        self._depth: list[str] = []
        self._status = FeedStatus(FeedState.CLOSED, reason="not started")
        self._rate = TickRate()
        self._last_gap: tuple[float, str] | None = None
        self.gaps: list[Gap] = []
        self.source_text = ""
        self.started = False
        self._lifecycle = asyncio.Lock()
        #: Set by the app: builds a fresh MarketConfig from the settings (for reconfigure()).
        self.rebuild_config = None

    # ------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        async with self._lifecycle:
            await self._start()

    async def stop(self) -> None:
        """Stop the feed, flush the writer, stop the simulator (in that order)."""
        async with self._lifecycle:
            await self._stop()

    async def reconfigure(self, config: MarketConfig | None = None) -> None:
        """Apply new settings: tear the pipeline down and build it again.

        Start, stop and reconfigure take turns (settings applied twice in a row, or the window
        closing during a rebuild, must not run two teardowns or leave a second pipeline behind).
        """
        async with self._lifecycle:
            if config is not None:
                self.config = config
            elif self.rebuild_config is not None:
                self.config = self.rebuild_config()
            log.info("applying new feed/database settings")
            await self._stop()
            await self._start()

    async def _start(self) -> None:
        loop = asyncio.get_running_loop()
        self._start_writer()
        cfg = self.config
        if cfg.source is FeedSource.SIMULATOR:
            from hkdesk.sim.process import SimulatorStartError, start_simulator_process

            self.source_text = "Built-in simulator"
            try:
                self.sim = await loop.run_in_executor(
                    self._executor, start_simulator_process, list(cfg.sim_args)
                )
            except SimulatorStartError as exc:
                self._status = FeedStatus(FeedState.FAILED, reason="the built-in simulator did not start")
                log.error("the built-in simulator did not start: %s", exc)
                self.started = True
                return
            url, token, plan = self.sim.ws_url, SIM_TOKEN, cfg.plan_override or Plan.named("professional")
            log.info("built-in simulator running at %s", url)
        else:
            url, token = cfg.url, self.tokens.get()
            plan = cfg.plan_override or Plan.named(cfg.plan)
            self.source_text = f"AllTick ({plan.name})"
            if not token:
                self._status = FeedStatus(
                    FeedState.FAILED, reason="no AllTick token (Settings or HKDESK_TOKEN)"
                )
                log.error("no AllTick token: enter one in Settings or set HKDESK_TOKEN")
                self.started = True
                return
        try:
            self.pipeline = Pipeline(
                url=url,
                token=token,
                plan=plan,
                writer=self.writer,
                hub=self.hub,
                timings=cfg.timings,
                on_status=self._on_status,
                on_gap=self._on_gap,
            )
        except ValueError as exc:
            self._status = FeedStatus(FeedState.FAILED, reason=str(exc))
            log.error("feed not started: %s", exc)
            self.started = True
            return
        self.feed = self.pipeline.feed
        await self._restore_today(list(self._symbols))
        self.feed.set_symbols(self._symbols)
        self.feed.set_depth_symbols(self._depth)
        self._feed_task = loop.create_task(self._run_feed(self.feed))
        self._http = self._make_http(url, token, plan)
        self._schedule_snapshots()
        self.started = True

    def _make_http(self, url: str, token: str, plan: Plan) -> QuoteHttp | None:
        try:
            if self.config.source is FeedSource.SIMULATOR:
                return QuoteHttp(url, token, min_interval=0.0, codes_per_request=200)
            return QuoteHttp.for_plan(url, token, plan)
        except ValueError as exc:
            log.warning("previous closes unavailable: %s", exc)
            return None

    def _schedule_snapshots(self) -> None:
        if self._http is None or (self._snapshot_task is not None and not self._snapshot_task.done()):
            return
        if any(s not in self._snapshotted for s in self._symbols):
            self._snapshot_task = asyncio.get_running_loop().create_task(self._fetch_snapshots(self._http))

    async def _fetch_snapshots(self, http: QuoteHttp) -> None:
        """Previous close and latest trade of newly watched symbols (the stream carries neither)."""
        hub = self.hub
        while True:
            pending = [s for s in self._symbols if s not in self._snapshotted]
            if not pending:
                return
            self._snapshotted.update(pending)
            try:
                closes = await http.fetch_previous_close(pending)
                for sym, close in closes.items():
                    hub.set_previous_close(sym, close)
                quiet = [s for s in pending if (q := hub.quotes.get(s)) is None or q.last is None]
                if quiet:
                    latest = await http.fetch_latest_trades(quiet)
                    hub.apply_ticks(
                        [t for s, t in latest.items() if (q := hub.quotes.get(s)) is None or q.last is None]
                    )
            except HttpError as exc:
                log.warning("previous close / latest trade: %s", exc)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("previous close / latest trade lookup failed")
                return

    async def _restore_today(self, symbols: list[str]) -> None:
        """Today's day statistics from the database, so the board is right after a restart."""
        if self.engine is None or not symbols:
            return
        from hkdesk.store.history import last_session_days

        found = await asyncio.get_running_loop().run_in_executor(
            self._executor, last_session_days, self.engine, symbols
        )
        for sym, (bar, last) in found.items():
            q = self.hub.quote(sym)
            if q.trades:
                continue
            self.hub.apply_ticks([last])
            q.open, q.high, q.low = bar.open, bar.high, bar.low
            q.volume, q.turnover = bar.volume, bar.turnover
            q.trades = bar.trades
            q.tick_move = 0
        if found:
            log.info("restored today's figures for %d symbols from the database", len(found))

    async def _run_feed(self, feed: FeedClient) -> None:
        try:
            await feed.run()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the feed stopped with an error")

    def _start_writer(self) -> None:
        from hkdesk.store.engine import make_engine
        from hkdesk.store.writer import BatchWriter

        try:
            self.engine = make_engine(self.config.db_url)
            self.writer = BatchWriter(
                self.engine, spill_dir=self.config.spill_dir, record_depth=self.config.record_depth
            )
        except Exception as exc:
            log.error("database unavailable, ticks will not be stored: %s", exc)
            self.engine = self.writer = None
            return
        self.writer_thread = WriterThread(self.writer, parent=self)
        self.writer_thread.start()

    async def _stop(self) -> None:
        loop = asyncio.get_running_loop()
        if self.feed is not None:
            try:
                await asyncio.wait_for(self.feed.close(), 5)
            except Exception as exc:
                log.warning("feed did not close cleanly: %s", exc)
        if self._feed_task is not None:
            self._feed_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._feed_task
        self.feed = None
        self.pipeline = None
        self._feed_task = None
        if self._snapshot_task is not None and not self._snapshot_task.done():
            # a cancelled HTTP lookup can sit in a worker thread until its request times out; the
            # task holds nothing we need, so give it a moment and then let it finish on its own
            self._snapshot_task.cancel()
            await asyncio.wait({self._snapshot_task}, timeout=1.0)
        self._snapshot_task = None
        self._http = None
        self._snapshotted.clear()
        if self.writer is not None:
            writer, thread = self.writer, self.writer_thread
            finished = await loop.run_in_executor(self._executor, writer.stop, 30.0)
            if thread is not None:
                finished = await loop.run_in_executor(self._executor, thread.wait, 5000) and finished
                if not finished:
                    # a QThread destroyed while running aborts the process: keep it referenced
                    self._unfinished_threads.append(thread)
            if not finished:
                log.error("the database writer did not finish in time; its spill files keep the rest")
            self.writer = self.writer_thread = None
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
        if self.sim is not None:
            sim, self.sim = self.sim, None
            await loop.run_in_executor(self._executor, sim.stop)
        self.started = False

    def close_executor(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    # ------------------------------------------------------------ subscriptions
    def set_symbols(self, symbols: list[str]) -> None:
        """The whole watch list; the feed debounces it into one replace request."""
        self._symbols = list(symbols)
        if self.feed is not None:
            self.feed.set_symbols(self._symbols)
            self._schedule_snapshots()

    def set_depth_symbols(self, symbols: list[str]) -> None:
        self._depth = list(symbols)
        if self.feed is not None:
            self.feed.set_depth_symbols(self._depth)

    # ------------------------------------------------------------ feed callbacks (cheap)
    def _on_status(self, status: FeedStatus) -> None:
        if status.state != self._status.state:
            detail = f": {status.reason}" if status.reason else ""
            level = (
                logging.WARNING if status.state in (FeedState.FAILED, FeedState.BACKING_OFF) else logging.INFO
            )
            log.log(level, "feed %s%s", status.state.value, detail)
        self._status = status

    def _on_gap(self, gap: Gap) -> None:
        self.gaps.append(gap)
        del self.gaps[:-100]
        text = f"gap? {gap.symbol} {fmt.time_text(gap.start_ts)}–{fmt.time_text(gap.end_ts)}"
        self._last_gap = (time.monotonic(), text)

    def set_previous_close(self, symbol: str, price: Decimal) -> None:
        self.hub.set_previous_close(symbol, price)

    # ------------------------------------------------------------ history
    async def load_today(self, symbol: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Today's (HK) stored trades: (epoch seconds, price, volume), read on a worker thread."""
        if self.engine is None:
            return None
        from hkdesk.store.history import tick_arrays

        q = self.hub.quotes.get(symbol)
        ref = q.last_ts if q is not None and q.last_ts else int(time.time() * 1000)
        start = bar_start(ref, DAY)
        loop = asyncio.get_running_loop()
        engine = self.engine

        def read():
            try:
                return tick_arrays(engine, symbol, start, start + DAY * 1000)
            except Exception as exc:  # no schema yet on a brand-new database, etc.
                log.debug("history for %s unavailable: %s", symbol, exc)
                return None

        arrays = await loop.run_in_executor(self._executor, read)
        if arrays is None:
            return None
        ts, price, volume = arrays
        return ts / 1000.0, price, volume

    # ------------------------------------------------------------ status
    @property
    def feed_status(self) -> FeedStatus:
        return self._status

    def link(self) -> tuple[str, LinkLevel]:
        return link_text(self._status)

    def status_snapshot(self) -> StatusSnapshot:
        now = time.monotonic()
        received = self.pipeline.ticks_received if self.pipeline is not None else 0
        exchange_ts = self.pipeline.last_ts if self.pipeline is not None else 0
        link_text, level = self.link()
        stats = self.writer.stats() if self.writer is not None else None
        clock, hk = clock_text(self.config.source is FeedSource.SIMULATOR, exchange_ts)
        gap = ""
        if self._last_gap is not None and now - self._last_gap[0] < GAP_MARKER_SECONDS:
            gap = self._last_gap[1]
        return StatusSnapshot(
            link_text=link_text,
            link_level=level,
            source=self.source_text,
            rtt_ms=self._status.rtt_ms,
            ticks_per_s=self._rate.update(received),
            writer_queue=(stats.queued + stats.spilled) if stats else 0,
            rows_stored=stats.stored_total if stats else 0,
            writer_ok=stats.db_ok if stats else False,
            session_text=SESSION_TEXT.get(phase_at(hk), ""),
            clock_text=clock,
            gap_text=gap,
        )
