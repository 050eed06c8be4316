"""Demand: what the desktops watch, announced under a lease, and its union within the plan.

Each desktop writes its lists to its own key of the desk's demand bucket
(:class:`DemandAnnouncer`) and writes them again every ``refresh`` seconds: the bucket's
values live ``lease`` seconds, so a desktop that vanishes (killed, unplugged) stops counting
after one lease, and one that closes deletes its key at once. The desk follows the bucket
(:class:`DemandBoard`) and hands the union to its upstream: the symbols most desktops watch
first, up to the plan's capacity (trades: every connection; books: the first connection's
list), and says which symbols are beyond it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import msgspec
from nats.aio.client import Client

from hkdesk.desk.follower import StartAt, StreamFollower, StreamMsg, ack_info
from hkdesk.desk.subjects import check_name, encode_token
from hkdesk.feed.alltick.protocol import MAX_DEPTH_LEVEL
from hkdesk.feed.plans import Plan
from hkdesk.feed.task_stop import stop_task

log = logging.getLogger(__name__)

_KV_OP = "KV-Operation"


class Demand(msgspec.Struct, frozen=True):
    """One desktop's lists, as written to its key."""

    trades: tuple[str, ...] = ()
    depth: tuple[str, ...] = ()
    depth_level: int = MAX_DEPTH_LEVEL


_decode_demand = msgspec.json.Decoder(Demand).decode


@dataclass(frozen=True)
class DemandUnion:
    """What the desk streams for its desktops, and what does not fit the plan."""

    trades: tuple[str, ...] = ()
    depth: tuple[str, ...] = ()
    depth_level: int = MAX_DEPTH_LEVEL
    beyond: tuple[str, ...] = ()
    """Watched symbols (trades) beyond the plan's capacity: not streamed."""
    beyond_depth: tuple[str, ...] = ()
    desktops: int = 0


def union_within(demands: Iterable[Demand], plan: Plan) -> DemandUnion:
    """The union of ``demands``: most-watched symbols first (then first-seen), cut at the plan."""
    demands = [d for d in demands if d.trades or d.depth]
    trades = _ranked(d.trades for d in demands)
    depth = _ranked(d.depth for d in demands)
    trade_room, depth_room = plan.capacity, plan.symbols_per_connection
    level = max((d.depth_level for d in demands if d.depth), default=MAX_DEPTH_LEVEL)
    return DemandUnion(
        trades=tuple(trades[:trade_room]),
        depth=tuple(depth[:depth_room]),
        depth_level=level,
        beyond=tuple(trades[trade_room:]),
        beyond_depth=tuple(depth[depth_room:]),
        desktops=len(demands),
    )


def _ranked(lists: Iterable[tuple[str, ...]]) -> list[str]:
    counts: Counter[str] = Counter()
    for symbols in lists:
        counts.update(dict.fromkeys(symbols, 1))
    return [symbol for symbol, _ in counts.most_common()]  # ties keep first-seen order


class DemandBoard:
    """The desk's view of the demand bucket; ``on_change(union)`` after every change.

    ``base``: what the desk streams whatever its desktops watch (the recorder's own list).
    """

    def __init__(
        self,
        nc: Client,
        bucket: str,
        plan: Plan,
        on_change: Callable[[DemandUnion], None],
        *,
        base: Demand = Demand(),  # noqa: B008 - frozen struct
        lease: float = 30.0,
        heartbeat: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.plan = plan
        self.base = base
        self.lease = lease
        self._prefix = f"$KV.{bucket}."
        self._on_change = on_change
        self._clock = clock
        self._wall = wall_clock
        self._entries: dict[str, tuple[Demand, float]] = {}
        #: The base alone until a desktop is heard of (an empty bucket sends no message).
        self.union = union_within([base], plan)
        self._follower = StreamFollower(
            nc,
            f"KV_{bucket}",
            self._prefix + ">",
            self._on_msgs,
            start=StartAt(last_per_subject=True),
            heartbeat=heartbeat,
        )
        self._sweeper: asyncio.Task[None] | None = None

    @property
    def ready(self) -> asyncio.Event:
        """Set once the bucket's current values have been read."""
        return self._follower.caught_up

    def start(self) -> None:
        self._follower.start()
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep_loop(), name="hkdesk-demand-sweep")

    def restart(self) -> None:
        self._follower.restart()

    async def close(self) -> None:
        if self._sweeper is not None:
            await stop_task(self._sweeper)  # cancelled again if it swallows one
        await self._follower.close()

    def _on_msgs(self, msgs: list[StreamMsg]) -> None:
        now, wall = self._clock(), self._wall()
        for msg in msgs:
            key = msg.subject[len(self._prefix) :]
            if not msg.data or (msg.headers and msg.headers.get(_KV_OP) in ("DEL", "PURGE")):
                self._entries.pop(key, None)
                continue
            try:
                demand = _decode_demand(msg.data)
            except (msgspec.DecodeError, msgspec.ValidationError) as exc:
                log.warning("demand of %s ignored: %s", key, exc)
                continue
            age = min(self.lease, max(0.0, wall - ack_info(msg.reply)[2] / 1e9))
            self._entries[key] = (demand, now - age)
        self._update()

    async def _sweep_loop(self) -> None:
        while True:
            await asyncio.sleep(self.lease / 4)
            expired_before = self._clock() - self.lease
            gone = [key for key, (_, seen) in self._entries.items() if seen < expired_before]
            if gone:
                log.info("desktops gone (lease lapsed): %s", ", ".join(gone))
                for key in gone:
                    del self._entries[key]
                self._update()

    def _update(self) -> None:
        union = union_within([self.base, *(d for d, _ in self._entries.values())], self.plan)
        if union != self.union:
            self.union = union
            self._on_change(union)


class DemandAnnouncer:
    """A desktop's side: keeps its key in the demand bucket up to date and alive."""

    def __init__(
        self, nc: Client, bucket: str, desktop_id: str, *, refresh: float = 10.0, retry_wait: float = 0.5
    ) -> None:
        self._nc = nc
        self.subject = f"$KV.{bucket}.{encode_token(check_name(desktop_id, 'desktop id'))}"
        self.refresh = refresh
        self.retry_wait = retry_wait
        self.demand = Demand()
        self.announced: Demand | None = None
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def set(self, trades: Iterable[str], depth: Iterable[str], depth_level: int = MAX_DEPTH_LEVEL) -> None:
        demand = Demand(tuple(dict.fromkeys(trades)), tuple(dict.fromkeys(depth)), depth_level)
        if demand != self.demand:
            self.demand = demand
            self._changed.set()

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="hkdesk-demand")

    async def close(self) -> None:
        """Stop refreshing and withdraw the demand (the desk releases the symbols at once)."""
        if self._task is not None:
            await stop_task(self._task)  # cancelled again if it swallows one
            self._task = None
        if self._nc.is_connected:
            with contextlib.suppress(Exception):
                await self._nc.jetstream().publish(self.subject, b"", headers={_KV_OP: "DEL"}, timeout=2.0)

    async def _run(self) -> None:
        while True:
            demand = self.demand
            try:
                await self._nc.jetstream().publish(self.subject, msgspec.json.encode(demand), timeout=2.0)
            except Exception as exc:
                log.warning("demand not announced (%s); retrying", exc.__class__.__name__)
                await asyncio.sleep(self.retry_wait)
                continue
            self.announced = demand
            self._changed.clear()
            if self.demand != demand:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), self.refresh)
