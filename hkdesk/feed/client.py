"""FeedClient: the watch list in, batches of ticks and books out, across sockets that fail.

One :class:`~hkdesk.feed.session.Session` per shard. Each shard has its own reconnect loop and
backoff, so one socket dropping never disturbs the others; every (re)connect sends the shard's
whole list again (AllTick forgets subscriptions with the socket). The token lives only in the
URL handed to websockets; every message that leaves this module is redacted.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Iterable
from functools import partial

from hkdesk.domain.types import Book, Gap, Tick
from hkdesk.feed.alltick import protocol
from hkdesk.feed.backoff import Backoff, sleep_until
from hkdesk.feed.plans import Plan
from hkdesk.feed.replies import TOKEN_INVALID, ReplyHandler, ShardControl
from hkdesk.feed.session import Drop, ReadBatch, Session, SubscriptionGate
from hkdesk.feed.shard import Shard
from hkdesk.feed.snapshot import StatusReporter, streaming_symbols
from hkdesk.feed.status import FeedState, FeedStats, FeedStatus, FeedTimings
from hkdesk.feed.throttle import ThrottledLog
from hkdesk.feed.watchlists import OVER_CAPACITY, WatchLists

log = logging.getLogger(__name__)

__all__ = ["OVER_CAPACITY", "TOKEN_INVALID", "FeedClient"]


class FeedClient:
    """Streams AllTick trades (and optional depth) for a watch list.

    Callbacks run on the event loop, once per received batch, and must be quick (no I/O).
    An exception in a callback is logged and does not stop the feed.

    ``on_symbol_error(symbol, ret, message)`` reports symbols that are not streamed: refused by
    the server (600 code invalid, 604 unauthorized, 603 plan level; held back and retried later
    on their own) or beyond the plan's capacity (``ret`` 603, retried when room frees up).
    """

    def __init__(
        self,
        url: str,
        token: str,
        *,
        plan: Plan,
        on_ticks: Callable[[list[Tick]], None],
        on_books: Callable[[list[Book]], None] | None = None,
        on_status: Callable[[FeedStatus], None] | None = None,
        on_gap: Callable[[Gap], None] | None = None,
        on_symbol_error: Callable[[str, int, str], None] | None = None,
        timings: FeedTimings = FeedTimings(),  # noqa: B008 - frozen dataclass
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if not token:
            raise ValueError("an AllTick token is required")
        if not url.startswith(("ws://", "wss://")):
            raise ValueError(f"feed URL must start with ws:// or wss://: {protocol.redact(url)}")
        self.url = protocol.redact(url)
        self._url = protocol.with_token(url, token)
        self.plan = plan
        self.timings = timings
        self._on_ticks = on_ticks
        self._on_books = on_books
        self._report_gap = partial(self._deliver, on_gap) if on_gap is not None else None
        self._on_symbol_error = on_symbol_error
        self._clock = clock
        self._wall = wall_clock
        self._rng = rng or random.Random()
        self.stats = FeedStats()
        self._lists = WatchLists(plan, timings, self._symbol_error)
        self._shards = [self._new_shard(i) for i in range(plan.connections)]
        self._replies = ReplyHandler(
            self._shards,
            (self._lists.rejections, self._lists.depth_rejections),
            timings,
            clock,
            ShardControl(
                request=self._request,
                mark_live=self._mark_live,
                fail=self._fail,
                symbol_error=self._symbol_error,
                emit=self._emit,
                is_closing=self._is_closing,
            ),
        )
        self._gate = SubscriptionGate(timings.shard_spacing, clock)
        self._next_open_at = float("-inf")
        #: The newest trade per symbol (the Tick itself: no allocation per tick on the receive path).
        self._last_tick: dict[str, Tick] = {}
        self._bad_log = ThrottledLog(log, timings.bad_frame_log_interval, clock=clock)
        self._report = StatusReporter(partial(self._deliver, on_status) if on_status is not None else None)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._flush_handle: asyncio.TimerHandle | None = None
        self._done: asyncio.Future[None] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._closing = False

    def _new_shard(self, index: int) -> Shard:
        backoff = Backoff(
            self.plan.reconnect_spacing,
            cap=max(self.timings.backoff_cap, self.plan.reconnect_spacing),
            reset_after=self.timings.backoff_reset_after,
            rng=random.Random(self._rng.random()),
            clock=self._clock,
        )
        return Shard(index, backoff, *self._lists.trackers())

    # ------------------------------------------------------------------ public API

    @property
    def status(self) -> FeedStatus:
        return self._report.status

    @property
    def symbols(self) -> tuple[str, ...]:
        return self._lists.trades

    def retarget(self, url: str, token: str) -> None:
        """Connect to ``url`` from the next (re)connect on: the server moved (a restarted simulator)."""
        self.url, self._url = protocol.redact(url), protocol.with_token(url, token)

    def streaming(self) -> tuple[set[str], set[str]]:
        """The symbols whose trades, and whose books, flow now: accepted on a socket that is live."""
        return streaming_symbols(self._shards)

    def set_symbols(self, symbols: Iterable[str]) -> None:
        """Replace the watch list (trade stream). Applied after ``timings.debounce``."""
        self._lists.set_trades(symbols)
        self._schedule_flush()

    def set_depth_symbols(self, symbols: Iterable[str], depth_level: int = protocol.MAX_DEPTH_LEVEL) -> None:
        """Replace the order-book list with ``symbols``, all at ``depth_level``."""
        self.set_depth({s: depth_level for s in symbols})

    def set_depth(self, levels: dict[str, int]) -> None:
        """Replace the order-book list: symbol → levels (1 for a bid and an ask, 10 for a ladder).
        Spread over the sockets like the trade list; applied after ``timings.debounce``."""
        self._lists.set_depth(levels)
        self._schedule_flush()

    async def run(self) -> None:
        """Stream until :meth:`close` is called or the feed FAILED (e.g. token invalid)."""
        if self._done is not None:
            raise RuntimeError("FeedClient.run() can be called only once")
        self._loop = asyncio.get_running_loop()
        self._done = self._loop.create_future()
        self._replies.start(self._loop)
        self._flush()
        self._tasks = [self._loop.create_task(self._shard_loop(s)) for s in self._shards]
        try:
            await self._done
        finally:
            await self._shutdown()

    async def close(self) -> None:
        """Stop streaming and close every socket (returns once they are closed)."""
        self._closing = True
        if self._done is not None and not self._done.done():
            self._done.set_result(None)
        await self._shutdown()
        if self._report.override is not FeedState.FAILED:
            self._report.override, self._report.reason = FeedState.CLOSED, ""
        self._emit()

    # ------------------------------------------------------------------ watch list

    def _schedule_flush(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # run() flushes on start
        if self._done is None or self._closing or self._flush_handle is not None:
            return
        self._flush_handle = loop.call_later(self.timings.debounce, self._flush)

    def _flush(self) -> None:
        """Apply the watch lists: one replace-request per changed shard."""
        self._flush_handle = None
        for index in sorted(self._lists.apply()):
            shard = self._shards[index]
            if not self._has_work(shard):
                if shard.session is not None:
                    shard.session.end(Drop("no symbols left on this connection"))
                continue
            if shard.session is not None and shard.state in (FeedState.SUBSCRIBING, FeedState.LIVE):
                self._request(shard)
            shard.wake.set()
        self._emit()

    def _is_closing(self) -> bool:
        return self._closing

    def _has_work(self, shard: Shard) -> bool:
        return self._lists.has_work(shard.index)

    def _request(self, shard: Shard) -> None:
        """Queue the shard's current lists on its socket, unless already sent as they are."""
        session = shard.session
        if session is None:
            return
        self._lists.send(shard, session, self._clock())
        if shard.state is FeedState.SUBSCRIBING and not session.pending:
            self._mark_live(shard)

    # ------------------------------------------------------------------ one shard's life

    async def _shard_loop(self, shard: Shard) -> None:
        while not self._closing:
            if not self._has_work(shard):
                self._set_state(shard, FeedState.IDLE)
                shard.wake.clear()
                await shard.wake.wait()
                continue
            await self._wait_open_slot(shard)
            if self._closing or not self._has_work(shard):
                continue
            drop = await self._connect_and_serve(shard)
            if drop is None or self._closing:
                return
            if drop.fatal:
                self._fail(drop.reason)
                return
            if not self._has_work(shard):
                continue
            await self._back_off(shard, drop)

    async def _connect_and_serve(self, shard: Shard) -> Drop | None:
        self._set_state(shard, FeedState.CONNECTING, "")
        session = Session(
            self._url, index=shard.index, timings=self.timings, sink=self._on_batch, gate=self._gate
        )
        self.stats.connects += 1
        try:
            await session.open()
        except Drop as drop:
            log.warning("shard %d: %s", shard.index, drop.reason)
            return drop
        if self._closing:
            await session.close()
            return None
        if shard.connected_once:
            shard.reconnects += 1
            self.stats.reconnects += 1
        shard.connected_once = True
        shard.session = session
        self._report.simulator = self._report.simulator or session.simulator
        shard.sent_trades = shard.sent_depth = None
        self._set_state(shard, FeedState.SUBSCRIBING, "")
        self._request(shard)
        try:
            drop = await session.run()
        finally:
            shard.session = None
            await session.close()
            self.stats.requests += session.requests_sent
        shard.note_drop(self._lists.map.shard(shard.index), self._last_tick, self._wall())
        if not self._closing:
            log.warning("shard %d: %s", shard.index, drop.reason)
        return drop

    async def _wait_open_slot(self, shard: Shard) -> None:
        """Sockets of one token open ``shard_spacing`` apart; one socket ``reconnect_spacing``."""
        now = self._clock()
        at = max(now, self._next_open_at, shard.opened_at + self.plan.reconnect_spacing)
        self._next_open_at = at + self.timings.shard_spacing
        shard.opened_at = at
        await sleep_until(at, self._clock)

    async def _back_off(self, shard: Shard, drop: Drop) -> None:
        delay = shard.backoff.next_delay(severe=drop.severe)
        shard.retry_at = self._clock() + delay
        self._set_state(shard, FeedState.BACKING_OFF, drop.reason)
        await sleep_until(shard.retry_at, self._clock)
        shard.retry_at = None

    def _mark_live(self, shard: Shard) -> None:
        if shard.state is not FeedState.LIVE:
            shard.up_at = self._wall()
            shard.backoff.healthy()
            self._set_state(shard, FeedState.LIVE, "")

    def _fail(self, reason: str) -> None:
        reason = protocol.redact(reason)
        log.error("feed stopped: %s", reason)
        self._report.override, self._report.reason = FeedState.FAILED, reason
        self._closing = True
        for shard in self._shards:
            if shard.session is not None:
                shard.session.end(Drop(reason, fatal=True))
        self._emit()
        if self._done is not None and not self._done.done():
            self._done.set_result(None)

    async def _shutdown(self) -> None:
        self._closing = True
        if self._flush_handle is not None:
            self._flush_handle.cancel()
        self._flush_handle = None
        self._replies.cancel()
        current = asyncio.current_task()
        tasks = [t for t in self._tasks if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for shard in self._shards:
            session, shard.session = shard.session, None
            if session is not None:
                await session.close()

    # ------------------------------------------------------------------ receive path

    def _on_batch(self, batch: ReadBatch) -> None:
        session = batch.session
        shard = self._shards[session.index]
        if shard.session is not session:
            return
        ticks, books = batch.ticks, batch.books
        stats = self.stats
        stats.frames += batch.frames
        stats.batches += 1
        if session.rtt_ms is not None and session.rtt_ms != stats.rtt_ms:
            stats.rtt_ms = session.rtt_ms
            self._emit()
        for error in batch.bad:
            stats.bad_frames[error.kind] += 1
            self._bad_log.event(error.kind, f"shard {shard.index}: bad frames", error.detail)
        for reply, sent in batch.replies:
            self._replies.on_reply(shard, reply, sent)
        if ticks:
            now = self._wall()
            if shard.gap_from:
                ticks = shard.close_gaps(ticks, stats, self._wall, self._report_gap)
            last = self._last_tick
            for tick in ticks:
                tick.received_at = now
                last[tick.symbol] = tick
            stats.ticks += len(ticks)
            if shard.state is FeedState.SUBSCRIBING:
                self._mark_live(shard)
            if ticks:
                self._deliver(self._on_ticks, ticks)
        if books:
            now = self._wall()
            for book in books:
                book.received_at = now
            stats.books += len(books)
            if self._on_books is not None:
                self._deliver(self._on_books, books)

    def _deliver(self, callback: Callable[..., None], *args: object) -> None:
        """Call a user callback; its exception is logged and never stops the feed."""
        try:
            callback(*args)
        except Exception:
            log.exception("feed callback %s failed", getattr(callback, "__qualname__", callback))

    def _symbol_error(self, symbol: str, ret: int, text: str) -> None:
        if self._on_symbol_error is not None:
            self._deliver(self._on_symbol_error, symbol, ret, text)

    # ------------------------------------------------------------------ status

    def _set_state(self, shard: Shard, state: FeedState, reason: str | None = None) -> None:
        shard.state = state
        if reason is not None:
            shard.reason = protocol.redact(reason)
        self._emit()

    def _emit(self) -> None:
        self._report.emit(self._shards, self._lists, self.stats, self._replies.notice, self._clock())
