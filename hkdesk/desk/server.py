"""DeskServer: one desk server process; it stands by, or it leads and serves the desk.

While leading it holds the upstream (a FeedClient-like object built by ``upstream_factory``),
stores every batch through the writer and publishes it to the desk's stream, and keeps the
upstream's lists equal to the desktops' demand (within the plan). While standing by it only
follows the demand and the election, ready to take over.

After a leader that vanished, the seconds without one are a gap per symbol (:mod:`.takeover`): at
the new upstream's first trade of a symbol, a gap row goes to the writer, a gap notice to the
desktops (in order with its trades), and ``on_takeover(gap)`` is called, the hook to fetch those
seconds again (``/kline`` bars). The caller starts and stops the writer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from nats.aio.client import Client

from hkdesk.desk.closes import CloseBoard, CloseFetch, LatestFetch
from hkdesk.desk.connection import NatsOptions, connect_nats, redact_nats_url
from hkdesk.desk.demand import Demand, DemandBoard, DemandUnion
from hkdesk.desk.leadership import LeaderCard, Leadership, LeaseTimings, current_card
from hkdesk.desk.live_link import LiveLink
from hkdesk.desk.publisher import DeskPublisher
from hkdesk.desk.stream import REAL, SIMULATED, DeskDataConflict, StreamSizing, ensure_bucket
from hkdesk.desk.subjects import DeskNames
from hkdesk.desk.takeover import FAILOVER_REASON, TakeoverGaps
from hkdesk.domain.types import Book, Gap, Tick
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState, FeedStatus
from hkdesk.feed.task_stop import first_of, stop_task
from hkdesk.feed.throttle import ThrottledLog
from hkdesk.store.writer import BatchWriter

log = logging.getLogger(__name__)

__all__ = ["FAILOVER_REASON", "DeskServer", "DeskTimings", "UpstreamCallbacks"]


class Upstream(Protocol):
    """What the desk needs of its upstream: FeedClient's public face."""

    @property
    def status(self) -> FeedStatus: ...
    def set_symbols(self, symbols: Iterable[str]) -> None: ...
    def set_depth_symbols(self, symbols: Iterable[str], depth_level: int = ...) -> None: ...
    async def run(self) -> None: ...
    async def close(self) -> None: ...


@dataclass(frozen=True)
class UpstreamCallbacks:
    """The callbacks an upstream must call (FeedClient's keyword arguments of the same names)."""

    on_ticks: Callable[[list[Tick]], None]
    on_books: Callable[[list[Book]], None]
    on_status: Callable[[FeedStatus], None]
    on_gap: Callable[[Gap], None]
    on_symbol_error: Callable[[str, int, str], None]


UpstreamFactory = Callable[[UpstreamCallbacks], Upstream]
TakeoverHook = Callable[[Gap], None]
#: Told the symbols the desk streams upstream while it leads, and () when it stops leading.
StreamingHook = Callable[[tuple[str, ...]], None]


@dataclass(frozen=True)
class DeskTimings:
    """Seconds; see :class:`LeaseTimings` for the election. ``demand_lease``: how long a
    desktop's demand lives without a refresh; ``heartbeat``: the demand follower's;
    ``base_wait``: between two asks for a symbol's day before the stream (:mod:`.closes`)."""

    lease: LeaseTimings = field(default_factory=LeaseTimings)
    demand_lease: float = 30.0
    heartbeat: float = 1.0
    latest_interval: float = 0.25
    ack_timeout: float = 2.0
    reconnect_wait: float = 0.5
    base_wait: float = 10.0


def default_server_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class DeskServer:
    """See the module docstring. ``run()`` until ``close()``."""

    def __init__(
        self,
        *,
        desk: str,
        nats_options: NatsOptions,
        plan: Plan,
        upstream_factory: UpstreamFactory,
        writer: BatchWriter | None,
        base: Demand = Demand(),  # noqa: B008 - frozen struct
        server_id: str | None = None,
        timings: DeskTimings = DeskTimings(),
        sizing: StreamSizing = StreamSizing(),  # noqa: B008 - frozen dataclass
        on_takeover: TakeoverHook | None = None,
        on_status: Callable[[FeedStatus], None] | None = None,
        on_streaming: StreamingHook | None = None,
        fetch_closes: CloseFetch | None = None,
        fetch_latest: LatestFetch | None = None,
        simulated: bool = False,
    ) -> None:
        """``simulated``: the upstream is hkdesk's simulator (its stream then holds simulated data)."""
        self.names = DeskNames(desk)
        self.simulated = simulated
        self.options = nats_options
        self.plan = plan
        self.base = base
        self.server_id = server_id or default_server_id()
        self.timings = timings
        self.sizing = sizing
        self.writer = writer
        self._factory = upstream_factory
        self._on_takeover = on_takeover
        self._on_status_cb = on_status
        self._on_streaming = on_streaming
        self._fetch_closes = fetch_closes
        self._fetch_latest = fetch_latest
        self._closes: CloseBoard | None = None
        self.ticks_received = 0
        self.upstream: Upstream | None = None
        self.publisher: DeskPublisher | None = None
        self.leadership: Leadership | None = None
        self._demand: DemandBoard | None = None
        self._nc: Client | None = None
        self._live: LiveLink | None = None
        self._refused: dict[str, tuple[int, str]] = {}
        self._gaps = TakeoverGaps()
        self._upstream_task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    @property
    def is_leader(self) -> bool:
        return self.leadership is not None and self.leadership.is_leader

    @property
    def union(self) -> DemandUnion:
        return self._demand.union if self._demand is not None else DemandUnion()

    async def run(self) -> None:
        self._nc = await self._connect()
        if self._nc is None:
            return
        self.publisher = DeskPublisher(
            self._nc,
            self.names,
            sizing=self.sizing,
            ack_timeout=self.timings.ack_timeout,
            latest_interval=self.timings.latest_interval,
            data=SIMULATED if self.simulated else REAL,
        )
        nc = self._nc
        self._live = LiveLink.start(self.options, self.publisher, self.timings.reconnect_wait)
        while not self._stop.is_set():  # a close ends the wait for JetStream, even mid-request
            preparing = asyncio.ensure_future(self._prepare(nc, self.publisher))
            await first_of(preparing, self._stop)
            if not preparing.done():
                await stop_task(preparing)
            elif preparing.result():
                break
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), self.timings.reconnect_wait)
        if self._stop.is_set():  # closed while JetStream was not ready or the stream was being made
            return
        if self._fetch_closes is not None:
            self._closes = CloseBoard(
                nc, self.names, self._fetch_closes, self._fetch_latest, base_wait=self.timings.base_wait
            )
            self._closes.start()
        self._demand = DemandBoard(
            self._nc,
            self.names.demand_bucket,
            self.plan,
            self._demand_changed,
            base=self.base,
            lease=self.timings.demand_lease,
            heartbeat=self.timings.heartbeat,
        )
        self._demand.start()
        self.leadership = Leadership(
            self._nc,
            self.names.leader_bucket,
            self.server_id,
            timings=self.timings.lease,
            on_elected=self._elected,
            on_deposed=self._deposed,
        )
        if self.simulated:  # known before the upstream's handshake: desktops mark it from the start
            self.leadership.say_simulator()
        await first_of(self._demand.ready, self._stop)  # a close before the bucket is read ends it
        if not self._stop.is_set():
            self.leadership.start()
        await self._stop.wait()

    async def close(self) -> None:
        """Step down (a standby takes over at once), flush what was received, disconnect."""
        self._stop.set()
        if self.leadership is not None:
            await self.leadership.close()
        await self._close_upstream()
        if self._closes is not None:
            await self._closes.close()
        if self._demand is not None:
            await self._demand.close()
        if self._live is not None:
            await self._live.close()
        if self.publisher is not None:
            await self.publisher.close()
        nc, self._nc = self._nc, None
        if nc is not None:
            with contextlib.suppress(Exception):
                await nc.close()

    async def _prepare(self, nc: Client, publisher: DeskPublisher) -> bool:
        """Create or update the stream and buckets (JetStream may still be electing its leaders)."""
        js = nc.jetstream()
        replicas = self.sizing.replicas
        try:
            await ensure_bucket(
                js, self.names.demand_bucket, ttl=self.timings.demand_lease, replicas=replicas
            )
            await ensure_bucket(js, self.names.leader_bucket, ttl=self.timings.lease.ttl, replicas=replicas)
            self._check_leader_kind(await current_card(js, self.names.leader_bucket))
            await publisher.start()
        except DeskDataConflict:
            raise
        except Exception as exc:
            log.warning("desk %s: JetStream not ready (%s %s)", self.names.desk, exc.__class__.__name__, exc)
            return False
        return True

    def _check_leader_kind(self, card: LeaderCard | None) -> None:
        """A server of the other kind of data leading now (its stream may still be empty, so the
        stream's label cannot tell): refused, or the two would mix into one stream."""
        if card is not None and card.simulator != self.simulated:
            held, ours = (SIMULATED, REAL) if card.simulator else (REAL, SIMULATED)
            raise DeskDataConflict(
                f"desk {self.names.desk} is led by a server of {held} data ({card.server}); {ours} "
                f"data is kept apart: give this desk another --desk name"
            )

    async def _connect(self) -> Client | None:
        failures = ThrottledLog(log, 10.0)  # tried every reconnect_wait: a line every 10 s
        while not self._stop.is_set():
            try:
                return await connect_nats(self.options, on_reconnected=self._reconnected)
            except Exception as exc:
                url = redact_nats_url(self.options.servers)
                failures.event(exc.__class__.__name__, f"desk server: NATS at {url} not reached", str(exc))
                await asyncio.sleep(self.timings.reconnect_wait)
        return None

    async def _reconnected(self) -> None:
        if self.publisher is not None:
            self.publisher.on_reconnected()
        if self._demand is not None:
            self._demand.restart()

    # ------------------------------------------------------------------ election

    def _elected(self, previous: LeaderCard | None) -> None:
        self._refused.clear()
        if self.publisher is not None:  # a new epoch of the symbols' chains for each term
            self.publisher.chains.new_term()
        self._upstream_task = asyncio.get_running_loop().create_task(self._lead(previous is not None))

    async def _lead(self, after_another: bool) -> None:
        """Hold the upstream; after another leader, first note where the stream stopped."""
        if after_another and self._nc is not None:
            await self._gaps.load(self._nc, self.names, self.union.trades)
        calls = UpstreamCallbacks(self._ticks, self._books, self._on_status, self._gap, self._symbol_error)
        upstream = self.upstream = self._factory(calls)
        self._apply(self.union)
        await self._run_upstream(upstream)

    def _deposed(self) -> None:
        self._tell_streaming(())
        if self.publisher is not None:  # the term over: its name not heard again on the live path
            self.publisher.chains.end_term()
        asyncio.get_running_loop().create_task(self._close_upstream())

    def _tell_streaming(self, symbols: tuple[str, ...]) -> None:
        if self._closes is not None:
            self._closes.watch(symbols)
        if self._on_streaming is not None:
            try:
                self._on_streaming(symbols)
            except Exception:
                log.exception("desk streaming hook failed")

    async def _run_upstream(self, upstream: Upstream) -> None:
        try:
            await upstream.run()
        except Exception:
            log.exception("desk upstream stopped")

    async def _close_upstream(self) -> None:
        upstream, self.upstream = self.upstream, None
        task, self._upstream_task = self._upstream_task, None
        if upstream is not None:
            await upstream.close()
        if task is None:
            return
        if upstream is None:  # still reading where the stream stopped
            await stop_task(task)
        else:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    # ------------------------------------------------------------------ demand

    def _demand_changed(self, union: DemandUnion) -> None:
        if union.beyond:
            log.warning("desk %s: %d symbols beyond the plan", self.names.desk, len(union.beyond))
        self._apply(union)

    def _apply(self, union: DemandUnion) -> None:
        if self.leadership is not None:
            self.leadership.tell(union.beyond + union.beyond_depth, self._refused)
        if self.upstream is not None:
            self.upstream.set_symbols(union.trades)
            self.upstream.set_depth_symbols(union.depth, depth_level=union.depth_level)
            self._tell_streaming(union.trades)

    # ------------------------------------------------------------------ upstream callbacks

    def _ticks(self, ticks: list[Tick]) -> None:
        if self._gaps.open:
            for gap in self._gaps.close(ticks):
                self._takeover_gap(gap)
        if self.writer is not None:
            self.writer.put_ticks(ticks)
        if self.publisher is not None:
            self.publisher.publish_ticks(ticks)
        if self._closes is not None:
            self._closes.note_ticks(ticks)
        self.ticks_received += len(ticks)

    def _books(self, books: list[Book]) -> None:
        if self.writer is not None:
            self.writer.put_books(books)
        if self.publisher is not None:
            self.publisher.publish_books(books)

    def _gap(self, gap: Gap) -> None:
        self._mark_gap(Gap(gap.symbol, gap.start_ts, gap.end_ts, "reconnect"))

    def _mark_gap(self, gap: Gap) -> None:
        if self._closes is not None:
            self._closes.note_gap(gap.symbol)
        if self.writer is not None:
            self.writer.put_gap(gap.symbol, gap.start_ts, gap.end_ts, reason=gap.reason)
        if self.publisher is not None:
            self.publisher.publish_gap(gap)

    def _symbol_error(self, symbol: str, ret: int, message: str) -> None:
        log.warning("%s is not streamed (ret %d): %s", symbol, ret, message)
        self._refused[symbol] = (ret, message)
        if self.leadership is not None:
            self.leadership.tell(self.leadership.card.beyond, self._refused)

    def _on_status(self, status: FeedStatus) -> None:
        if self.leadership is not None:
            if status.simulator:
                self.leadership.say_simulator()
            down = status.state not in (FeedState.LIVE, FeedState.IDLE)
            problem = f"{status.state.value}: {status.reason}".rstrip(": ") if down else ""
            self.leadership.say_upstream(problem)
        if self._on_status_cb is not None:
            self._on_status_cb(status)

    def _takeover_gap(self, gap: Gap) -> None:
        log.warning(
            "desk %s: %s trades from %d to %d ms may be missing (take-over)",
            self.names.desk,
            gap.symbol,
            gap.start_ts,
            gap.end_ts,
        )
        self._mark_gap(gap)
        if self._on_takeover is not None:
            try:
                self._on_takeover(gap)
            except Exception:
                log.exception("desk take-over hook failed")
