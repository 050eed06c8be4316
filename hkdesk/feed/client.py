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
from dataclasses import dataclass, field

from hkdesk.domain.types import Book, Tick
from hkdesk.feed.alltick import protocol
from hkdesk.feed.alltick.protocol import Cmd, FrameError, Reply, Ret
from hkdesk.feed.backoff import Backoff
from hkdesk.feed.plans import Plan
from hkdesk.feed.session import Drop, SentRequest, Session, SubscriptionGate
from hkdesk.feed.status import FeedState, FeedStats, FeedStatus, FeedTimings, Gap, ShardStatus, worst
from hkdesk.feed.subscriptions import ListTracker, Rejections, ShardMap
from hkdesk.feed.throttle import ThrottledLog

log = logging.getLogger(__name__)

TOKEN_INVALID = "token invalid"
_SLOW_DOWN = {int(Ret.TOO_MANY_REQUESTS_CLOSE), int(Ret.TOO_MANY_REQUESTS), int(Ret.RATE_LIMIT)}
_SYMBOL_REFUSED = {int(Ret.CODE_INVALID), int(Ret.CODE_UNAUTHORIZED), int(Ret.PLAN_LEVEL)}
_REFUSAL_TEXT = {
    int(Ret.CODE_INVALID): "code invalid (not known to the server)",
    int(Ret.CODE_UNAUTHORIZED): "code unauthorized (the token has no rights for it)",
    int(Ret.PLAN_LEVEL): "plan level not enough",
}
#: ``ret`` used when reporting a symbol we did not send because the plan has no room for it.
OVER_CAPACITY = int(Ret.PLAN_LEVEL)


@dataclass
class _Shard:
    index: int
    backoff: Backoff
    trades: ListTracker
    depth: ListTracker
    state: FeedState = FeedState.IDLE
    reason: str = ""
    retry_at: float | None = None
    session: Session | None = None
    reconnects: int = 0
    connected_once: bool = False
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    sent_trades: tuple[str, ...] | None = None
    sent_depth: tuple[str, ...] | None = None
    gap_from: dict[str, Tick] = field(default_factory=dict)
    down_at: float = 0.0
    up_at: float = 0.0
    opened_at: float = float("-inf")


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
        self._on_status = on_status
        self._on_gap = on_gap
        self._on_symbol_error = on_symbol_error
        self._clock = clock
        self._wall = wall_clock
        self._rng = rng or random.Random()
        self.stats = FeedStats()
        self._map = ShardMap(plan.symbols_per_connection, plan.connections)
        self._rejections = Rejections(timings.symbol_retry, timings.symbol_retry_cap)
        self._depth_rejections = Rejections(timings.symbol_retry, timings.symbol_retry_cap)
        self._good: set[str] = set()
        self._good_depth: set[str] = set()
        self._shards = [self._new_shard(i) for i in range(plan.connections)]
        self._gate = SubscriptionGate(timings.shard_spacing, clock)
        self._next_open_at = float("-inf")
        self._watch: tuple[str, ...] = ()
        self._depth_watch: tuple[str, ...] = ()
        self._depth_level = protocol.MAX_DEPTH_LEVEL
        self._depth_dirty = False
        self._reported_overflow: set[str] = set()
        #: The newest trade per symbol (the Tick itself: no allocation per tick on the receive path).
        self._last_tick: dict[str, Tick] = {}
        self._bad_log = ThrottledLog(log, timings.bad_frame_log_interval, clock=clock)
        self._reply_log = ThrottledLog(log, timings.bad_frame_log_interval, clock=clock)
        self._state_override: FeedState | None = None
        self._reason = ""
        self._notice = ""
        self._last_status_key: tuple[object, ...] | None = None
        self._status = FeedStatus(FeedState.CLOSED, reason="not started")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._flush_handle: asyncio.TimerHandle | None = None
        self._retry_handle: asyncio.TimerHandle | None = None
        self._done: asyncio.Future[None] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._closing = False

    def _new_shard(self, index: int) -> _Shard:
        backoff = Backoff(
            self.plan.reconnect_spacing,
            cap=max(self.timings.backoff_cap, self.plan.reconnect_spacing),
            reset_after=self.timings.backoff_reset_after,
            rng=random.Random(self._rng.random()),
            clock=self._clock,
        )
        return _Shard(
            index,
            backoff,
            ListTracker(self._rejections, self._good),
            ListTracker(self._depth_rejections, self._good_depth),
        )

    # ------------------------------------------------------------------ public API

    @property
    def status(self) -> FeedStatus:
        return self._status

    @property
    def symbols(self) -> tuple[str, ...]:
        return self._watch

    def shard_symbols(self, index: int) -> tuple[str, ...]:
        """The symbols assigned to shard ``index`` (0-based, up to the plan's connections)."""
        return self._map.shard(index)

    def set_symbols(self, symbols: Iterable[str]) -> None:
        """Replace the watch list (trade stream). Applied after ``timings.debounce``."""
        self._watch = tuple(dict.fromkeys(s for s in symbols if s))
        self._schedule_flush()

    def set_depth_symbols(self, symbols: Iterable[str], depth_level: int = protocol.MAX_DEPTH_LEVEL) -> None:
        """Replace the order-book list (usually the selected symbol), carried by the first socket."""
        if not 1 <= depth_level <= protocol.MAX_DEPTH_LEVEL:
            raise ValueError(f"depth_level must be 1..{protocol.MAX_DEPTH_LEVEL}, not {depth_level}")
        self._depth_watch = tuple(dict.fromkeys(s for s in symbols if s))
        if depth_level != self._depth_level:
            self._depth_level = depth_level
            self._shards[0].sent_depth = None
        self._depth_dirty = True
        self._schedule_flush()

    async def run(self) -> None:
        """Stream until :meth:`close` is called or the feed FAILED (e.g. token invalid)."""
        if self._done is not None:
            raise RuntimeError("FeedClient.run() can be called only once")
        self._loop = asyncio.get_running_loop()
        self._done = self._loop.create_future()
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
        if self._state_override is not FeedState.FAILED:
            self._state_override = FeedState.CLOSED
            self._reason = ""
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
        changed = self._map.assign(self._watch)
        self._rejections.keep_only(self._watch)
        self._depth_rejections.keep_only(self._depth_watch)
        self._report_overflow()
        if self._depth_dirty:
            self._depth_dirty = False
            changed.add(0)
        for index in sorted(changed):
            shard = self._shards[index]
            if not self._has_work(shard):
                if shard.session is not None:
                    shard.session.end(Drop("no symbols left on this connection"))
                continue
            if shard.session is not None and shard.state in (FeedState.SUBSCRIBING, FeedState.LIVE):
                self._request(shard)
            shard.wake.set()
        self._emit()

    def _report_overflow(self) -> None:
        overflow = set(self._map.overflow)
        depth_over = self._depth_watch[self.plan.symbols_per_connection :]
        overflow.update(depth_over)
        cap = self.plan.capacity
        for symbol in [*self._map.overflow, *depth_over]:
            if symbol not in self._reported_overflow:
                self._symbol_error(
                    symbol,
                    OVER_CAPACITY,
                    f"not streamed: the {self.plan.name} plan allows {cap} symbols "
                    f"({self.plan.symbols_per_connection} per connection × {self.plan.connections})",
                )
        self._reported_overflow = overflow

    def _depth_codes(self, shard: _Shard) -> tuple[str, ...]:
        if shard.index != 0:
            return ()
        return self._depth_watch[: self.plan.symbols_per_connection]

    def _has_work(self, shard: _Shard) -> bool:
        return bool(self._map.shard(shard.index)) or bool(self._depth_codes(shard))

    def _request(self, shard: _Shard) -> None:
        """Queue the shard's current lists on its socket, unless already sent as they are."""
        session = shard.session
        if session is None:
            return
        now = self._clock()
        trades = shard.trades.build(self._map.shard(shard.index), now)
        if trades != shard.sent_trades and (trades or shard.sent_trades):
            session.request_trades(trades)
        shard.sent_trades = trades
        depth = shard.depth.build(self._depth_codes(shard), now)
        if depth != shard.sent_depth and (depth or shard.sent_depth):
            session.request_depth(depth, self._depth_level)
        shard.sent_depth = depth
        if shard.state is FeedState.SUBSCRIBING and not session.pending:
            self._mark_live(shard)

    # ------------------------------------------------------------------ one shard's life

    async def _shard_loop(self, shard: _Shard) -> None:
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

    async def _connect_and_serve(self, shard: _Shard) -> Drop | None:
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
        shard.sent_trades = shard.sent_depth = None
        self._set_state(shard, FeedState.SUBSCRIBING, "")
        self._request(shard)
        try:
            drop = await session.run()
        finally:
            shard.session = None
            await session.close()
            self.stats.requests += session.requests_sent
        self._note_drop(shard)
        if not self._closing:
            log.warning("shard %d: %s", shard.index, drop.reason)
        return drop

    async def _wait_open_slot(self, shard: _Shard) -> None:
        """Sockets of one token open ``shard_spacing`` apart; one socket ``reconnect_spacing``."""
        now = self._clock()
        at = max(now, self._next_open_at, shard.opened_at + self.plan.reconnect_spacing)
        self._next_open_at = at + self.timings.shard_spacing
        shard.opened_at = at
        await self._sleep_until(at)

    async def _back_off(self, shard: _Shard, drop: Drop) -> None:
        delay = shard.backoff.next_delay(severe=drop.severe)
        shard.retry_at = self._clock() + delay
        self._set_state(shard, FeedState.BACKING_OFF, drop.reason)
        await self._sleep_until(shard.retry_at)
        shard.retry_at = None

    async def _sleep_until(self, deadline: float) -> None:
        """Sleep until ``deadline`` on our monotonic clock. Under qasync a sleep is a coarse Qt
        timer that may fire up to 5 % early, which would break the provider's minimum spacing."""
        while (left := deadline - self._clock()) > 0:
            await asyncio.sleep(left)

    def _note_drop(self, shard: _Shard) -> None:
        """Open a possible gap for every symbol of the shard that had ticks before the drop."""
        shard.down_at = self._wall()
        for symbol in self._map.shard(shard.index):
            last = self._last_tick.get(symbol)
            if last is not None:
                shard.gap_from.setdefault(symbol, last)

    def _mark_live(self, shard: _Shard) -> None:
        if shard.state is not FeedState.LIVE:
            shard.up_at = self._wall()
            shard.backoff.healthy()
            self._set_state(shard, FeedState.LIVE, "")

    def _fail(self, reason: str) -> None:
        reason = protocol.redact(reason)
        log.error("feed stopped: %s", reason)
        self._state_override = FeedState.FAILED
        self._reason = reason
        self._closing = True
        for shard in self._shards:
            if shard.session is not None:
                shard.session.end(Drop(reason, fatal=True))
        self._emit()
        if self._done is not None and not self._done.done():
            self._done.set_result(None)

    async def _shutdown(self) -> None:
        self._closing = True
        for handle in (self._flush_handle, self._retry_handle):
            if handle is not None:
                handle.cancel()
        self._flush_handle = self._retry_handle = None
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

    def _on_batch(
        self,
        session: Session,
        frames: int,
        ticks: list[Tick],
        books: list[Book],
        replies: list[tuple[Reply, SentRequest | None]],
        bad: list[FrameError],
    ) -> None:
        shard = self._shards[session.index]
        if shard.session is not session:
            return
        stats = self.stats
        stats.frames += frames
        stats.batches += 1
        if session.rtt_ms is not None and session.rtt_ms != stats.rtt_ms:
            stats.rtt_ms = session.rtt_ms
            self._emit()
        for error in bad:
            stats.bad_frames[error.kind] += 1
            self._bad_log.event(error.kind, f"shard {shard.index}: bad frames", error.detail)
        for reply, sent in replies:
            self._on_reply(shard, reply, sent)
        if ticks:
            now = self._wall()
            if shard.gap_from:
                ticks = self._close_gaps(shard, ticks)
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

    def _close_gaps(self, shard: _Shard, ticks: list[Tick]) -> list[Tick]:
        """First tick per symbol after a reconnect: report the gap, drop a re-sent last tick."""
        kept: list[Tick] = []
        gap_from = shard.gap_from
        for tick in ticks:
            before = gap_from.get(tick.symbol)
            if before is None:
                kept.append(tick)
                continue
            if tick.seq == before.seq and tick.ts == before.ts:
                self.stats.duplicates += 1
                continue
            del gap_from[tick.symbol]
            kept.append(tick)
            up_at = shard.up_at or self._wall()
            gap = Gap(tick.symbol, before.ts, tick.ts, before.seq, tick.seq, shard.down_at, up_at)
            self.stats.gaps += 1
            if self._on_gap is not None:
                self._deliver(self._on_gap, gap)
        return kept

    def _deliver(self, callback: Callable[..., None], *args: object) -> None:
        """Call a user callback; its exception is logged and never stops the feed."""
        try:
            callback(*args)
        except Exception:
            log.exception("feed callback %s failed", getattr(callback, "__qualname__", callback))

    def _on_reply(self, shard: _Shard, reply: Reply, sent: SentRequest | None) -> None:
        ret = reply.ret
        is_sub = sent is not None and sent.cmd in (Cmd.SUB_TRADES, Cmd.SUB_DEPTH)
        if ret == Ret.OK:
            if sent is not None and is_sub:
                tracker = shard.trades if sent.cmd == Cmd.SUB_TRADES else shard.depth
                tracker.accepted(sent.codes)
                self._mark_live(shard)
                self._request(shard)
            return
        message = protocol.redact(reply.msg or "")
        if ret == Ret.TOKEN_INVALID:
            self._fail(TOKEN_INVALID)
            return
        if ret in _SLOW_DOWN:
            if shard.session is not None:
                shard.session.end(Drop(f"too many requests ({ret} {message})".strip(), severe=True))
            return
        if ret in _SYMBOL_REFUSED and sent is not None and is_sub:
            self._on_refusal(shard, sent, ret, message)
            return
        self._reply_log.event(
            f"ret {ret}", f"shard {shard.index}: server refused a request ({message or 'no message'})"
        )

    def _on_refusal(self, shard: _Shard, sent: SentRequest, ret: int, message: str) -> None:
        tracker = shard.trades if sent.cmd == Cmd.SUB_TRADES else shard.depth
        refusal = tracker.refused(sent.codes, ret, message, self._clock())
        text = _REFUSAL_TEXT.get(ret, f"refused ({ret})")
        if message and message.lower() not in text:
            text = f"{text}: {message}"
        for symbol in refusal.culprits:
            log.warning("shard %d: %s %s", shard.index, symbol, text)
            self._symbol_error(symbol, ret, text)
        if ret == Ret.PLAN_LEVEL:
            self._notice = f"{text} ({len(refusal.culprits)} symbols held back)"
        if refusal.retry:
            if sent.cmd == Cmd.SUB_TRADES:
                shard.sent_trades = None
            else:
                shard.sent_depth = None
            self._request(shard)
        self._schedule_symbol_retry()
        self._emit()

    def _schedule_symbol_retry(self) -> None:
        if self._loop is None or self._closing:
            return
        now = self._clock()
        times = [t for t in (r.next_retry(now) for r in (self._rejections, self._depth_rejections)) if t]
        if self._retry_handle is not None:
            self._retry_handle.cancel()
            self._retry_handle = None
        if times:
            self._retry_handle = self._loop.call_later(min(times) - now + 0.001, self._retry_symbols)

    def _retry_symbols(self) -> None:
        self._retry_handle = None
        for shard in self._shards:
            if shard.session is not None and shard.state in (FeedState.SUBSCRIBING, FeedState.LIVE):
                self._request(shard)
        self._schedule_symbol_retry()
        self._emit()

    def _symbol_error(self, symbol: str, ret: int, text: str) -> None:
        if self._on_symbol_error is not None:
            self._deliver(self._on_symbol_error, symbol, ret, text)

    # ------------------------------------------------------------------ status

    def _set_state(self, shard: _Shard, state: FeedState, reason: str | None = None) -> None:
        shard.state = state
        if reason is not None:
            shard.reason = protocol.redact(reason)
        self._emit()

    def _emit(self) -> None:
        now = self._clock()
        shards = tuple(
            ShardStatus(
                index=s.index,
                state=s.state,
                symbols=len(self._map.shard(s.index)),
                depth_symbols=len(self._depth_codes(s)),
                reason=s.reason,
                retry_at=s.retry_at,
                retry_in=max(0.0, s.retry_at - now) if s.retry_at is not None else None,
                rtt_ms=s.session.rtt_ms if s.session is not None else None,
                reconnects=s.reconnects,
            )
            for s in self._shards
            if s.state is not FeedState.IDLE or s.index == 0
        )
        if self._state_override is not None:
            state = self._state_override
            reason = self._reason
        else:
            active = [s for s in shards if s.state is not FeedState.IDLE]
            state = worst([s.state for s in active]) if active else FeedState.IDLE
            reason = next((s.reason for s in active if s.state is state and s.reason), "")
        retry = [s.retry_at for s in shards if s.retry_at is not None]
        retry_at = min(retry) if retry and state is FeedState.BACKING_OFF else None
        self._status = FeedStatus(
            state=state,
            reason=reason,
            retry_in=max(0.0, retry_at - now) if retry_at is not None else None,
            retry_at=retry_at,
            shards=shards,
            rtt_ms=self.stats.rtt_ms,
            reconnects=self.stats.reconnects,
            overflow=self._map.overflow,
            rejected=self._rejections.held(now) + self._depth_rejections.held(now),
            notice=self._notice,
        )
        key = (
            state,
            reason,
            retry_at,
            tuple((s.state, s.symbols, s.depth_symbols, s.reason, s.reconnects) for s in shards),
            self._status.rtt_ms,
            self._status.overflow,
            self._status.rejected,
            self._notice,
        )
        if key != self._last_status_key:
            self._last_status_key = key
            if self._on_status is not None:
                self._deliver(self._on_status, self._status)
