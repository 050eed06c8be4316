"""DeskFeed: a desktop's or a recorder's feed from a shared desk, in FeedClient's place.

Same callbacks, same calls (``set_symbols``, ``set_depth_symbols``, ``run``, ``close``,
``status``) as :class:`hkdesk.feed.client.FeedClient`, and no AllTick token: the data comes
from the desk's NATS stream. On start it announces its lists (the desk streams the union of
what its desktops watch), paints the latest book of its depth symbols from the latest-quote
bucket, replays today's trades of its symbols from the stream (a desktop started at 14:00
has the day), then follows live. Every trade is handed on once: each follower resumes after
the last stream sequence it delivered, across NATS reconnects and network drops, and a trade
is taken from the desk's live path when that copy comes first, in its symbol's order
(:mod:`hkdesk.desk.live`); while that path misses nothing, the trade stream is left to it
(:mod:`hkdesk.desk.live_sync`). A symbol added later gets its day so far from its own subject
first (:mod:`hkdesk.desk.catch_up`). What the desk keeps in its latest-quote bucket of each
session (:mod:`hkdesk.desk.closes`: the previous close, the day so far before the stream
began) goes to ``on_session`` for the watched symbols, where a direct connection would ask the
provider; those records are read before the day's trades are replayed.

Status: CONNECTING until NATS answers, BACKING_OFF (with the seconds left) while it does not,
SUBSCRIBING while the day is replayed or no desk server leads, LIVE once caught up behind a
leading desk, IDLE with nothing to watch, FAILED when NATS refuses the credentials.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial

import msgspec
from nats.aio.client import Client
from nats.errors import NoServersError

from hkdesk.desk.book_intake import BookIntake
from hkdesk.desk.catch_up import CatchUps
from hkdesk.desk.codec import decode_close, decode_gap, decode_tick
from hkdesk.desk.connection import NatsOptions, connect_nats, redact_nats_url
from hkdesk.desk.demand import DemandAnnouncer
from hkdesk.desk.feed_status import DeskFeedTimings, DeskStatusBoard
from hkdesk.desk.follower import StartAt, StreamFollower, StreamMsg, raw_chain
from hkdesk.desk.live import LiveFollower
from hkdesk.desk.live_sync import LiveSync
from hkdesk.desk.subjects import GAP_SUFFIX, DeskNames, encode_token
from hkdesk.desk.trade_chains import TradeChains
from hkdesk.domain.quotes import start_of_hk_day
from hkdesk.domain.types import Book, Gap, SessionSoFar, Tick
from hkdesk.feed.alltick.protocol import MAX_DEPTH_LEVEL
from hkdesk.feed.status import FeedState, FeedStats, FeedStatus
from hkdesk.feed.task_stop import first_of, stop_task

log = logging.getLogger(__name__)

_BAD = (msgspec.DecodeError, msgspec.ValidationError, ValueError)


class DeskFeed:
    """Streams a desk's trades and books for a watch list; see the module docstring."""

    def __init__(
        self,
        nats_options: NatsOptions | str,
        *,
        desk: str = "main",
        desktop_id: str,
        on_ticks: Callable[[list[Tick]], None],
        on_books: Callable[[list[Book]], None] | None = None,
        on_status: Callable[[FeedStatus], None] | None = None,
        on_gap: Callable[[Gap], None] | None = None,
        on_symbol_error: Callable[[str, int, str], None] | None = None,
        on_session: Callable[[SessionSoFar], None] | None = None,
        timings: DeskFeedTimings = DeskFeedTimings(),  # noqa: B008 - frozen dataclass
        replay_since: Callable[[], datetime] = start_of_hk_day,
    ) -> None:
        self.options = NatsOptions(nats_options) if isinstance(nats_options, str) else nats_options
        self.url = redact_nats_url(self.options.servers)
        self.names = DeskNames(desk)
        self.desktop_id = desktop_id
        self.timings = timings
        self.stats = FeedStats()
        self._on_ticks = on_ticks
        self._on_gap = on_gap
        self._on_session = on_session
        #: The newest session record the desk wrote for each symbol (watched or not yet).
        self._closes: dict[str, SessionSoFar] = {}
        self._replay_since = replay_since
        self._board = DeskStatusBoard(timings, self.stats, on_status, on_symbol_error)
        self._trades: tuple[str, ...] = ()
        self._depth: tuple[str, ...] = ()
        self._depth_level = MAX_DEPTH_LEVEL
        self._trade_tokens: frozenset[str] = frozenset()
        self._books = BookIntake(
            self.names, self.stats, partial(self._deliver, on_books) if on_books else None
        )
        self._nc: Client | None = None
        self._announcer: DemandAnnouncer | None = None
        self._followers: list[StreamFollower] = []
        self._chains = TradeChains()
        self._trade_start = len(self.names.kind_prefix("trade"))
        self.sync = LiveSync(self._chains, silence=timings.live_silence, settle=timings.live_settle)
        self.live = LiveFollower(
            self.names.live_subject, self._chains, lambda: self._trade_tokens, self._hand_ticks, self.sync
        )
        self._keeper: asyncio.Task[None] | None = None
        self._catch_ups = CatchUps(
            self.names, timings.heartbeat, partial(self._deliver, on_ticks), self.stats
        )
        self._replaying = False
        self._done: asyncio.Future[None] | None = None
        self._closing = False

    # ------------------------------------------------------------------ public API

    @property
    def status(self) -> FeedStatus:
        return self._board.status

    @property
    def symbols(self) -> tuple[str, ...]:
        return self._trades

    def set_symbols(self, symbols: Iterable[str]) -> None:
        """Replace the watch list (trades); the desk hears of it at once."""
        self._trades = tuple(dict.fromkeys(symbols))
        holding, fences = self._catch_ups.holding, self._catch_ups.fences
        wanted = {encode_token(s): s for s in self._trades}
        added = [
            s
            for t, s in wanted.items()
            if t not in self._trade_tokens and t not in holding and t not in fences
        ]
        for token in [t for t in (*holding, *fences) if t not in wanted]:
            self._catch_ups.drop(token)
        for token in self._trade_tokens - wanted.keys():
            self._chains.forget(token)
        for symbol in added:  # a symbol added later gets the session the desk already wrote
            if (known := self._closes.get(symbol)) is not None:
                self._hand_close(known)
        if self._replaying and not self._closing and self._nc is not None and self._done is not None:
            for symbol in added:  # the replay has passed part of its day: read it on its own
                self._catch_ups.begin(self._nc, symbol, self._replay_since(), self._done)
        self._trade_tokens = frozenset(t for t in wanted if t not in holding and t not in fences)
        if added:
            self.sync.trouble()  # a symbol's catch-up reads the trade stream
        self._lists_changed()

    def set_depth_symbols(self, symbols: Iterable[str], depth_level: int = MAX_DEPTH_LEVEL) -> None:
        self._depth = tuple(dict.fromkeys(symbols))
        self._depth_level = depth_level
        self._books.tokens = frozenset(encode_token(s) for s in self._depth)
        self._lists_changed()

    def set_depth(self, levels: dict[str, int]) -> None:
        """Books of ``levels``' symbols, at the deepest level asked for (the desk streams one list)."""
        self.set_depth_symbols(levels, max(levels.values(), default=1))

    def streaming(self) -> tuple[set[str], set[str]]:
        """The symbols whose trades and books flow now: all watched ones while the desk is live,
        but those beyond its plan or refused upstream."""
        status = self.status
        if status.state is not FeedState.LIVE:
            return set(), set()
        missing = set(status.overflow) | set(status.rejected)
        return set(self._trades) - missing, set(self._depth) - missing

    async def run(self) -> None:
        """Stream until :meth:`close` is called or NATS refuses the credentials."""
        if self._done is not None:
            raise RuntimeError("DeskFeed.run() can be called only once")
        self._done = asyncio.get_running_loop().create_future()
        try:
            if await self._connect():
                await self._start_following()
                await self._done
        finally:
            await self._shutdown()

    async def close(self) -> None:
        self._closing = True
        if self._done is not None and not self._done.done():
            self._done.set_result(None)
        await self._shutdown()
        self._board.closed()

    # ------------------------------------------------------------------ connecting

    async def _connect(self) -> bool:
        attempt = 0
        while not self._closing:
            self._board.connecting()
            try:
                self._nc = await connect_nats(
                    self.options, on_disconnected=self._disconnected, on_reconnected=self._reconnected
                )
                return True
            except Exception as exc:
                if isinstance(exc, (NoServersError, OSError, TimeoutError)):  # nothing answered
                    reason = f"NATS at {self.url} unreachable"
                else:
                    reason = f"NATS at {self.url}: {exc.__class__.__name__} {exc}".strip()
                if "authorization" in str(exc).lower():
                    self._board.failed(reason)
                    return False
                attempt += 1
                wait = min(self.timings.backoff_cap, self.timings.backoff_initial * 2 ** (attempt - 1))
                self._board.backing_off(reason, wait)
                await asyncio.sleep(wait)
        return False

    async def _disconnected(self) -> None:
        if not self._closing:
            self._board.backing_off(f"NATS at {self.url} unreachable", self.options.reconnect_wait)

    async def _reconnected(self) -> None:
        self.stats.reconnects += 1
        self.sync.trouble()  # live messages may have been lost with the link
        for follower in self._followers:
            follower.restart()
        self._catch_ups.restart()
        self._board.connected()

    async def _start_following(self) -> None:
        nc = self._nc
        assert nc is not None
        self._board.connected()
        self._announcer = DemandAnnouncer(
            nc, self.names.demand_bucket, self.desktop_id, refresh=self.timings.demand_refresh
        )
        self._announcer.set(self._trades, self._depth, self._depth_level)
        self._announcer.start()
        names = self.names
        follow = partial(StreamFollower, nc, heartbeat=self.timings.heartbeat)
        kv, last = f"KV_{names.latest_bucket}", StartAt(last_per_subject=True)
        paint = follow(kv, f"$KV.{names.latest_bucket}.>", self._books.on_latest, start=last)
        closes = follow(kv, names.closes_wildcard, self._on_close_msgs, start=last)
        books = follow(
            names.stream, names.books_wildcard, self._books.on_stream, start=StartAt(new_only=True)
        )
        since = StartAt(time=self._replay_since())
        trades = follow(
            names.stream,
            names.trades_wildcard,
            self._on_trade_msgs,
            start=since,
            on_state=self._board.follower_state,
            skip=self._taken_live,
        )
        self._followers = [paint, books, closes]
        for follower in self._followers:
            follower.start()
        try:
            await self.live.start(nc)
        except Exception as exc:  # the stream carries every trade without it
            log.warning("desk live path not followed: %s %s", exc.__class__.__name__, exc)
        self._board.start(nc, names, trades.caught_up, self._watched_symbols)
        assert self._done is not None
        await first_of(closes.caught_up, self._done)  # the sessions come before the day's trades
        if self._closing:
            return
        self._followers.append(trades)
        trades.start()
        self._keeper = asyncio.get_running_loop().create_task(
            self.sync.keep(trades, self._ready_to_park, self.timings.live_check), name="hkdesk-desk-sync"
        )
        self._replaying = True
        await first_of(paint.caught_up, self._done)  # a desk that never paints must not hold run()
        await paint.close()
        if paint in self._followers:  # a close() while the board was painting took them all
            self._followers.remove(paint)

    def _watched_symbols(self) -> tuple[str, ...]:
        return self._trades

    def _ready_to_park(self, read_to: int) -> bool:
        """Symbols read past their catch-up join the live path; then: nothing owed, connected."""
        for token, chain in self._catch_ups.lift(read_to):  # quiet since their catch-up: live
            self._chains.stream_is_new(token, chain)
            self._trade_tokens = self._trade_tokens | {token}
        busy = self._catch_ups.holding or self._catch_ups.fences or not (self._nc and self._nc.is_connected)
        return not busy and not self._chains.behind(self._trade_tokens, self.sync.epoch)

    def _lists_changed(self) -> None:
        if self._announcer is not None:
            self._announcer.set(self._trades, self._depth, self._depth_level)
        self._board.lists_changed(len(self._trades), len(self._depth))

    async def _shutdown(self) -> None:
        self._closing = True
        if self._keeper is not None:
            await stop_task(self._keeper)
            self._keeper = None
        followers, self._followers = self._followers, []
        for follower in followers:
            await follower.close()
        await self.live.close()
        await self._catch_ups.close()
        await self._board.stop()
        if self._announcer is not None:
            await self._announcer.close()
            self._announcer = None
        nc, self._nc = self._nc, None
        if nc is not None:
            with contextlib.suppress(Exception):
                await nc.close()

    # ------------------------------------------------------------------ receive path

    def _taken_live(self, subject: bytes, headers: bytes) -> bool:
        """A trade's stream copy whose number was taken live: dropped unread (most are)."""
        chain = raw_chain(headers)
        return chain is not None and self._chains.seen_live(subject[self._trade_start :].decode(), chain)

    def _on_trade_msgs(self, msgs: list[StreamMsg]) -> None:
        start = self._trade_start
        watched, is_new = self._trade_tokens, self._chains.stream_is_new
        ticks: list[Tick] = []
        stats = self.stats
        for msg in msgs:
            token = msg.subject[start:]
            if token in watched:
                if not is_new(token, msg.chain):
                    continue
                try:
                    ticks.append(decode_tick(msg.data))
                except _BAD as exc:
                    stats.bad_frames[exc.__class__.__name__] += 1
            elif token in self._catch_ups.holding or token in self._catch_ups.fences:
                if self._catching_up(token, msg, ticks):
                    watched = self._trade_tokens  # the symbol is live from this trade on
            elif token.endswith(GAP_SUFFIX) and (symbol := token[: -len(GAP_SUFFIX)]) in watched:
                is_new(symbol, msg.chain)
                self._hand_ticks(ticks)  # the trades before the gap's notice go first
                ticks = []
                self._deliver_gap(msg)
        stats.frames += len(msgs)
        stats.batches += 1
        self._hand_ticks(ticks)

    def _hand_ticks(self, ticks: list[Tick]) -> None:
        if ticks:
            self.stats.ticks += len(ticks)
            self._deliver(self._on_ticks, ticks)

    def _catching_up(self, token: str, msg: StreamMsg, ticks: list[Tick]) -> bool:
        """A trade of a symbol added later: held while its day is read, then passed on once it is
        newer than the last one handed on; True when the symbol is live from it."""
        try:
            tick = decode_tick(msg.data)
        except _BAD as exc:
            self.stats.bad_frames[exc.__class__.__name__] += 1
            return False
        if token in self._catch_ups.holding:
            self._catch_ups.hold(token, tick, msg.chain)
            return False
        if (tick.ts, tick.seq) <= self._catch_ups.fences[token]:
            return False
        self._catch_ups.unfence(token)
        self._chains.stream_is_new(token, msg.chain)
        self._trade_tokens = self._trade_tokens | {token}
        ticks.append(tick)
        return True

    def _deliver_gap(self, msg: StreamMsg) -> None:
        try:
            gap = decode_gap(msg.data)
        except _BAD as exc:
            self.stats.bad_frames[exc.__class__.__name__] += 1
            return
        self.stats.gaps += 1
        start, end = gap.start_ts, gap.end_ts
        log.warning("%s: trades between %d and %d may be missing (%s)", gap.symbol, start, end, gap.reason)
        if self._on_gap is not None:
            self._deliver(
                self._on_gap, Gap(gap.symbol, start, end, gap.reason, down_at=start / 1000, up_at=end / 1000)
            )

    def _on_close_msgs(self, msgs: list[StreamMsg]) -> None:
        for msg in msgs:
            if not msg.data:
                continue
            try:
                session = decode_close(msg.data)
            except _BAD as exc:
                self.stats.bad_frames[exc.__class__.__name__] += 1
                continue
            self._closes[session.symbol] = session
            if session.symbol in self._trades:
                self._hand_close(session)

    def _hand_close(self, session: SessionSoFar) -> None:
        if self._on_session is not None:
            self._deliver(self._on_session, session)

    def _deliver(self, callback: Callable[..., None], *args: object) -> None:
        try:
            callback(*args)
        except Exception:
            log.exception("desk feed callback %s failed", getattr(callback, "__qualname__", callback))
