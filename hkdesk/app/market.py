"""The market pipeline behind the window: simulator process, feed client, quote hub, writer.

Qt-aware wiring only (no widgets). The feed runs on the qasync loop and its callbacks do
nothing but ``hub.apply_ticks`` and ``writer.put_ticks``; the writer runs its blocking loop
in a ``QThread``; the built-in simulator runs in its own process. Views read the hub on
their frame timer and this object's :meth:`status_snapshot` on a slower one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from PySide6.QtCore import QObject, QTimer

from hkdesk.app.alert_service import AlertService
from hkdesk.app.day_filler import DayFiller
from hkdesk.app.day_history import restore_today, simulator_resume_args
from hkdesk.app.desk_session import apply_desk_session
from hkdesk.app.lookup import Lookup, look_up
from hkdesk.app.market_config import MarketConfig, resolve_upstream
from hkdesk.app.overflow import OverflowSnapshots
from hkdesk.app.snapshots import SnapshotFetcher
from hkdesk.app.status import (
    GAP_WORD,
    SESSION_TEXT,
    LinkLevel,
    StatusSnapshot,
    TickRate,
    clock_text,
    link_text,
    source_line,
    why_not_streaming,
)
from hkdesk.app.store_reads import StoreReads
from hkdesk.app.streamed import StreamedLists
from hkdesk.app.writer_thread import WriterThread, report_stray_spills, stop_writer
from hkdesk.desk.feed import DeskFeed
from hkdesk.domain import formatting as fmt
from hkdesk.domain.quotes import QuoteHub, hk_day
from hkdesk.domain.sessions import phase_at
from hkdesk.domain.symbols import display_code
from hkdesk.domain.types import Gap, SessionSoFar
from hkdesk.feed.client import FeedClient
from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.status import FeedState, FeedStatus
from hkdesk.feed.task_stop import stop_task
from hkdesk.pipeline import Pipeline
from hkdesk.sources.runner import SourceRunner
from hkdesk.sources.spec import SourceError
from hkdesk.sources.token_store import TokenStore
from hkdesk.sources.upstream import Upstream
from hkdesk.store.engine import make_engine
from hkdesk.store.failures import describe
from hkdesk.store.meta import claim_source
from hkdesk.store.writer import BatchWriter

log = logging.getLogger(__name__)

GAP_MARKER_SECONDS = 120.0
#: How often the quotes learn which streams flow (well inside a liveness interval).
FRESHNESS_MS = 250


class MarketService(QObject):
    def __init__(
        self,
        config: MarketConfig,
        tokens: TokenStore,
        hub: QuoteHub | None = None,
        parent=None,
        alerts: AlertService | None = None,
    ) -> None:
        """``alerts``: judged on every live batch, and their symbols streamed with the list."""
        super().__init__(parent)
        #: The configuration asked for, and the one in use (an AllTick URL may reach the simulator).
        self.asked = self.config = config
        self._simulators: set[str] = set()
        self._rebuild: asyncio.Future[None] | None = None
        self.tokens = tokens
        self.hub = hub or QuoteHub()
        self.alerts = alerts
        self.pipeline: Pipeline | None = None
        self.feed: FeedClient | DeskFeed | None = None
        self.source: SourceRunner | None = None
        self.engine = None
        self.writer: BatchWriter | None = None
        self.writer_thread: WriterThread | None = None
        self._unfinished_threads: list[WriterThread] = []
        self._feed_task: asyncio.Task[None] | None = None
        self._snapshots: SnapshotFetcher | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hkdesk-history")
        self.lists = StreamedLists()
        self._status = FeedStatus(FeedState.CLOSED, reason="not started")
        #: Our wall clock (epoch ms) when the feed entered its current state.
        self.feed_since_ms = int(time.time() * 1000)
        self._rate = TickRate()
        self._last_gap: tuple[float, str] | None = None
        self.gaps: list[Gap] = []
        self.source_text = ""
        self.started = False
        #: Why the database is not in use, in words (empty when it is).
        self.store_problem = ""
        self._lifecycle = asyncio.Lock()
        #: Fills the day from the provider (or a desk's database); says when a symbol's day changed.
        self.filler = DayFiller(self)
        #: The database's reads for the window (chart, its holes, past days, looked-up codes, tools).
        self.reads = StoreReads(self.hub, self._executor, lambda: self.engine, self.filler.day_fill)
        self.http: QuoteHttp | None = None
        self._overflow: OverflowSnapshots | None = None
        self._freshness_timer = QTimer(self)
        self._freshness_timer.timeout.connect(self.refresh_freshness)

    @property
    def sim(self):
        """The built-in simulator's process, when that is the source."""
        return self.source.sim if self.source is not None else None

    # ------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        async with self._lifecycle:
            await self._start()

    async def stop(self) -> None:
        """Stop the feed, flush the writer, stop the source (in that order)."""
        async with self._lifecycle:
            await self._stop()

    async def reconfigure(self, config: MarketConfig | None = None) -> None:
        """Tear the pipeline down and build it again (with ``config``, else the same one).

        Start, stop and reconfigure take turns (settings applied twice in a row, or the window
        closing during a rebuild, must not run two teardowns or leave a second pipeline behind).
        """
        async with self._lifecycle:
            if not self.started:  # stopped (closing): a setting saved on the way out starts nothing
                self.asked = self.config = config or self.asked
                return
            log.info("applying new feed/database settings")
            await self._stop()
            self.asked = config or self.asked
            await self._start()

    def _forget_source(self) -> None:
        """Nothing of the old source stays on screen or in the alerts' windows."""
        self.hub.clear()
        if self.alerts is not None:
            self.alerts.restart()

    def _fail(self, reason: str) -> None:
        self._on_status(FeedStatus(FeedState.FAILED, reason=reason))
        log.error("feed not started: %s", reason)

    async def _start(self) -> None:
        self.started = True
        self._freshness_timer.start(FRESHNESS_MS)
        cfg = await resolve_upstream(self.asked, self._simulators)
        if cfg.source != self.config.source:  # another source, or the same found to be a simulator
            self._forget_source()  # after the old feed stopped: a batch of its would set the day
        self.config = cfg
        await self._start_writer()
        self.source = SourceRunner(
            cfg.source, self.tokens, self._executor, sim_args=self._resume_args, on_moved=self._source_moved
        )
        self.source_text = cfg.source.label
        try:
            upstream = await self.source.start()
            self.pipeline = Pipeline(
                upstream,
                writer=self.writer,
                hub=self.hub,
                timings=cfg.timings,
                on_status=self._on_status,
                on_gap=self._on_gap,
                alerts=self.alerts.pump if self.alerts is not None else None,
                on_session=self._desk_session,
                on_simulator=self._found_simulator,
            )
        except (SourceError, ValueError) as exc:
            self._fail(str(exc))
            return
        self.feed = self.pipeline.feed
        try:
            self.http = http = upstream.http()
        except ValueError as exc:
            log.warning("previous closes unavailable: %s", exc)
            self.http = http = None
        if self.alerts is not None:
            self.alerts.set_source(cfg.source.store_source)
        if self.engine is not None:
            await restore_today(self.hub, self.engine, self.lists.streamed(), self._executor)
            if self.alerts is not None:
                await self.alerts.seed_from(self.engine)
        self.feed.set_symbols(self.lists.streamed())
        self.feed.set_depth(self.lists.depth_levels())
        self._feed_task = asyncio.get_running_loop().create_task(self._run_feed(self.feed))
        if http is not None:
            self._snapshots = SnapshotFetcher(self.hub, http, on_close=self._close_known)
            self._snapshots.watch(self.lists.streamed())
        pipeline = self.pipeline
        bars_from = http or upstream.desk_history()  # a desk's database, if given
        self.filler.start(bars_from, self.writer, pipeline.exchange_now, lambda: pipeline.first_ts)
        if http is not None:
            self._overflow = OverflowSnapshots(self.hub, http, lambda: list(self._status.overflow))
            self._overflow.start()

    def _resume_args(self) -> list[str]:
        """The built-in simulator goes on with the day this source's database holds (worker thread)."""
        return simulator_resume_args(self.engine)

    def _source_moved(self, upstream: Upstream) -> None:
        """The restarted simulator listens on another port: follow it."""
        if isinstance(self.feed, FeedClient):
            self.feed.retarget(upstream.url, upstream.token)
        self.http = http = upstream.http()
        if self._snapshots is not None and http is not None:
            self._snapshots.retarget(http)
        self.filler.retarget(http)

    @property
    def simulator_restarts(self) -> int:
        return self.source.restarts if self.source is not None else 0

    async def _run_feed(self, feed: FeedClient) -> None:
        try:
            await feed.run()
        except Exception:  # a cancel is no Exception: it goes on up
            log.exception("the feed stopped with an error")

    async def _start_writer(self) -> None:
        """Open the source's database (off the GUI thread: it may migrate or wait for a lock) and
        start the writer; a database that cannot be used is reported, and the feed runs anyway."""
        cfg = self.config
        loop = asyncio.get_running_loop()
        self.store_problem = ""
        try:
            self.engine = make_engine(cfg.db_url)
            await loop.run_in_executor(self._executor, claim_source, self.engine, cfg.source.store_source)
            self.writer = BatchWriter(self.engine, spill_dir=cfg.spill_dir, record_depth=cfg.record_depth)
        except Exception as exc:
            self.store_problem = describe(exc)
            log.error("database unavailable, ticks will not be stored: %s", self.store_problem)
            if self.engine is not None:
                self.engine.dispose()
            self.engine = self.writer = None
            return
        self.writer_thread = WriterThread(self.writer, parent=self)
        self.writer_thread.start()
        if cfg.spill_dir is not None:
            await report_stray_spills(cfg.spill_dir, self._executor)

    async def _stop(self) -> None:
        self._freshness_timer.stop()
        if self.feed is not None:
            try:
                await asyncio.wait_for(self.feed.close(), 5)
            except Exception as exc:
                log.warning("feed did not close cleanly: %s", exc)
        if self._feed_task is not None:
            await stop_task(self._feed_task)
        self.feed = self.pipeline = self._feed_task = None
        await self.filler.stop()
        if self._overflow is not None:
            await self._overflow.stop()
            self._overflow = None
        if self._snapshots is not None:
            await self._snapshots.close()
            self._snapshots = None
        if self.writer is not None:
            await stop_writer(self.writer, self.writer_thread, self._executor, self._unfinished_threads)
            self.writer = self.writer_thread = None
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
        if self.source is not None:
            source, self.source = self.source, None
            await source.stop()
        self.started = False

    def close_executor(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    # ------------------------------------------------------------ subscriptions
    def set_symbols(self, symbols: list[str]) -> None:
        """The whole watch list (trades, and a level of depth for every row's bid and ask)."""
        self.lists.symbols = list(symbols)
        self._resubscribe()

    def set_indices(self, codes: list[str]) -> None:
        """The index strip's codes: streamed like the watch list (no depth)."""
        self.lists.indices = list(codes)
        self._resubscribe()

    def set_alert_symbols(self, symbols: list[str]) -> None:
        """Symbols with alerts are streamed too (after the list's), watched or not."""
        self.lists.alert_symbols = list(symbols)
        self._resubscribe()

    def _resubscribe(self) -> None:
        if self.feed is not None:
            self.feed.set_symbols(self.lists.streamed())
            self.feed.set_depth(self.lists.depth_levels())
        if self._snapshots is not None:
            self._snapshots.watch(self.lists.streamed())
        self.filler.watch(self.lists.streamed())

    def set_ladders(self, symbols: list[str]) -> None:
        """The symbols whose depth ladder is open get ten levels; every other row, one."""
        self.lists.ladders = list(symbols)
        for symbol in symbols:
            self.filler.focus(symbol)
        if self.feed is not None:
            self.feed.set_depth(self.lists.depth_levels())

    # ------------------------------------------------------------ feed callbacks (cheap)
    def _on_status(self, status: FeedStatus) -> None:
        if status.state != self._status.state:
            self.feed_since_ms = int(time.time() * 1000)
            detail = f": {status.reason}" if status.reason else ""
            warn = status.state in (FeedState.FAILED, FeedState.BACKING_OFF)
            log.log(logging.WARNING if warn else logging.INFO, "feed %s%s", status.state.value, detail)
        self._status = status

    def _found_simulator(self) -> None:
        """Its handshake named the simulator: start again on the simulator's database."""
        self._simulators.add(self.config.source.url)
        self._rebuild = asyncio.ensure_future(self.reconfigure())  # forgets the restored day

    def _on_gap(self, gap: Gap) -> None:
        self.filler.gap(gap)
        self.gaps.append(gap)
        del self.gaps[:-100]
        span = f"{fmt.time_text(gap.start_ts)}–{fmt.time_text(gap.end_ts)}"
        text = f"{GAP_WORD} {display_code(gap.symbol)} {span}"
        self._last_gap = (time.monotonic(), text)

    def refresh_freshness(self) -> None:
        """Tell the quotes which streams flow now, and why the others do not; start a new
        trading day by the clock for a real feed (a simulator's day follows its trades)."""
        now, feed, status = time.time(), self.feed, self._status
        trades, books = feed.streaming() if feed is not None else (set(), set())
        self.hub.set_streaming(trades, books, why_not_streaming(status), now)
        if not (self.config.source.demo_clock or status.simulator):
            self.hub.advance_day(hk_day(int(now * 1000)))

    def set_previous_close(self, symbol: str, price: Decimal) -> None:
        self.hub.set_previous_close(symbol, price)
        self._close_known(symbol, price)

    def _desk_session(self, s: SessionSoFar) -> None:
        apply_desk_session(self.hub, s, self.set_previous_close)

    def _close_known(self, symbol: str, price: Decimal) -> None:
        if self.alerts is not None:
            self.alerts.set_previous_close(symbol, price)

    # ------------------------------------------------------------ history
    async def look_up(self, code: str) -> Lookup:
        """A code outside the shipped list, asked of the provider (and kept when found)."""
        return await look_up(code, self.http, self.writer)

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
        clock, hk = clock_text(self.config.source.demo_clock or self._status.simulator, exchange_ts)
        last_gap = self._last_gap
        gap = last_gap[1] if last_gap is not None and now - last_gap[0] < GAP_MARKER_SECONDS else ""
        return StatusSnapshot(
            link_text=link_text,
            link_level=level,
            source=source_line(
                self.source_text,
                self._status.simulator and not self.config.source.simulated,
                self.source.problem if self.source else "",
            ),
            rtt_ms=self._status.rtt_ms,
            ticks_per_s=self._rate.update(received),
            writer_queue=(stats.queued + stats.spilled) if stats else 0,
            rows_stored=stats.stored_total if stats else 0,
            writer_ok=stats.db_ok if stats else False,
            writer_detail=self.store_problem or (stats.last_error or "" if stats and not stats.db_ok else ""),
            session_text=SESSION_TEXT.get(phase_at(hk), ""),
            clock_text=clock,
            gap_text=gap,
        )
