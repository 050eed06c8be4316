"""The shared desk: ticks through one desk and the latency to each desktop's quote hub.

Both sides end in the same place, a QuoteHub per desktop, and carry the same frames (the
desk's JSON trades), so the ratio is what the desk adds: JetStream's persistence and
acknowledgements, the desk feed's consumers, ordering and batching.

* baseline ("raw NATS"): a connection core-publishes every frame; each desktop is a connection
  with a plain subscription that decodes the frame and applies it to its hub;
* hkdesk: a DeskServer's receive callback (scripted upstream, no database) publishes through
  DeskPublisher into the stream; each desktop is a DeskFeed applying its batches to its hub.

Latency: from the desk's receipt (``received_at``, set when the batch is handed to the desk)
to the hub's apply, every tick, at 5,000 ticks/s over 100 symbols with 1, 10 and 50 desktops,
all in this process (so the desktops share the machine's cores with the server, which a real
desk's desktops do not). Throughput: a burst handed to the desk at once, until the one desktop
has applied the last tick. Lost and duplicated ticks are counted per desktop.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from bench.report import Result
from hkdesk.desk import codec
from hkdesk.desk.connection import NatsOptions
from hkdesk.desk.feed import DeskFeed
from hkdesk.desk.leadership import LeaseTimings
from hkdesk.desk.server import DeskServer, DeskTimings, UpstreamCallbacks
from hkdesk.desk.subjects import DeskNames, encode_token
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.types import Tick
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState, FeedStatus

NATS_URL = "nats://127.0.0.1:4222"
RATE = 5_000
SYMBOLS = [f"{n}.HK" for n in range(1, 101)]
BATCH_EVERY = 0.01  # one batch per 10 ms, like socket reads


@dataclass
class Desktop:
    """One desktop's hub and what reached it."""

    hub: QuoteHub = field(default_factory=QuoteHub)
    latencies: list[float] = field(default_factory=list)
    seen: set[tuple[str, int]] = field(default_factory=set)
    duplicates: int = 0

    def apply(self, ticks: list[Tick]) -> None:
        self.hub.apply_ticks(ticks)
        now = time.time()
        seen, latencies = self.seen, self.latencies
        for tick in ticks:
            key = (tick.symbol, tick.seq)
            if key in seen:
                self.duplicates += 1
            seen.add(key)
            latencies.append(now - tick.received_at)


@dataclass
class Outcome:
    p50_ms: float
    p99_ms: float
    lost: int
    duplicated: int
    rate: float = 0.0
    cpu_us: float = 0.0  # this process's CPU time per tick applied to a hub


def _make(count: int, start_seq: int) -> list[Tick]:
    now = int(time.time() * 1000)
    n = len(SYMBOLS)
    return [Tick(SYMBOLS[i % n], start_seq + i, now, Decimal("100.5"), Decimal("200")) for i in range(count)]


async def _pace(push: Callable[[list[Tick]], None], seconds: float) -> int:
    """Hand ``RATE`` ticks/s to ``push`` in 10 ms batches, stamped at hand-over; returns the count."""
    per_batch = int(RATE * BATCH_EVERY)
    started, sent = time.perf_counter(), 0
    while (elapsed := time.perf_counter() - started) < seconds:
        due = int(elapsed * RATE) - sent
        if due >= per_batch:
            batch = _make(due, sent)
            stamp = time.time()
            for tick in batch:
                tick.received_at = stamp
            push(batch)
            sent += due
        await asyncio.sleep(BATCH_EVERY / 2)
    return sent


def _outcome(desktops: list[Desktop], sent: int, seconds: float, cpu: float) -> Outcome:
    latencies = sorted(x for d in desktops for x in d.latencies)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    lost = sum(sent - len(d.seen) for d in desktops)
    duplicated = sum(d.duplicates for d in desktops)
    rate = sent / seconds if seconds else 0.0
    return Outcome(q[49] * 1e3, q[98] * 1e3, lost, duplicated, rate, cpu / max(1, len(latencies)) * 1e6)


async def _settle(desktops: list[Desktop], sent: int, stall: float = 10.0) -> float:
    """Wait until every desktop has every tick, or nothing moved for ``stall`` seconds (what
    is missing then is lost); returns when the last tick arrived."""
    last_count, last_move = -1, time.monotonic()
    while any(len(d.seen) < sent for d in desktops):
        count = sum(len(d.seen) for d in desktops)
        if count != last_count:
            last_count, last_move = count, time.monotonic()
        elif time.monotonic() - last_move > stall:
            break
        await asyncio.sleep(0.01)
    return time.monotonic()


# ---------------------------------------------------------------------- raw NATS


async def raw_nats(count: int, seconds: float, burst: int = 0) -> Outcome:
    import nats

    names = DeskNames(f"bench{uuid.uuid4().hex[:8]}")
    prefix = names.kind_prefix("raw")
    desktops = [Desktop() for _ in range(count)]
    subscribers = []
    for desktop in desktops:
        nc = await nats.connect(NATS_URL)

        async def on_msg(msg, desktop=desktop) -> None:
            desktop.apply([codec.decode_tick(msg.data)])

        await nc.subscribe(prefix + "*", cb=on_msg)
        await nc.flush()
        subscribers.append(nc)
    publisher = await nats.connect(NATS_URL)
    queue: asyncio.Queue[list[Tick]] = asyncio.Queue()

    async def drain() -> None:
        while True:
            for tick in await queue.get():
                await publisher.publish(prefix + encode_token(tick.symbol), codec.encode(tick))

    sender = asyncio.create_task(drain())
    started, cpu = time.monotonic(), time.process_time()
    if burst:
        queue.put_nowait(_make(burst, 0))
        sent = burst
    else:
        sent = await _pace(queue.put_nowait, seconds)
    done = await _settle(desktops, sent)
    cpu = time.process_time() - cpu
    sender.cancel()
    for nc in [publisher, *subscribers]:
        await nc.close()
    return _outcome(desktops, sent, done - started if burst else 0.0, cpu)


# ---------------------------------------------------------------------- through the desk


class _Upstream:
    def __init__(self, callbacks: UpstreamCallbacks) -> None:
        self.callbacks = callbacks
        self.status = FeedStatus(FeedState.LIVE)
        self._closed = asyncio.Event()

    def set_symbols(self, symbols) -> None:
        pass

    def set_depth_symbols(self, symbols, depth_level: int = 10) -> None:
        pass

    async def run(self) -> None:
        await self._closed.wait()

    async def close(self) -> None:
        self._closed.set()


async def through_desk(count: int, seconds: float, burst: int = 0) -> Outcome:
    desk = f"bench{uuid.uuid4().hex[:8]}"
    upstreams: list[_Upstream] = []

    def factory(callbacks: UpstreamCallbacks) -> _Upstream:
        upstreams.append(_Upstream(callbacks))
        return upstreams[-1]

    server = DeskServer(
        desk=desk,
        nats_options=NatsOptions(NATS_URL),
        plan=Plan("bench", symbols_per_connection=1000, connections=1, reconnect_spacing=0.0),
        upstream_factory=factory,
        writer=None,
        # a long lease: with 50 desktops in this process the loop lags seconds behind, which a
        # desk server on its own host never does
        timings=DeskTimings(lease=LeaseTimings(ttl=30.0, refresh=1.0, poll=0.5), demand_lease=60.0),
    )
    server_task = asyncio.create_task(server.run())
    while not upstreams:
        await asyncio.sleep(0.01)
    desktops = [Desktop() for _ in range(count)]
    feeds = []
    for i, desktop in enumerate(desktops):
        feed = DeskFeed(NATS_URL, desk=desk, desktop_id=f"d{i}", on_ticks=desktop.apply)
        feed.set_symbols(SYMBOLS)
        feeds.append((feed, asyncio.create_task(feed.run())))
    while any(f.status.state is not FeedState.LIVE for f, _ in feeds):
        await asyncio.sleep(0.02)
    push = upstreams[0].callbacks.on_ticks
    started, cpu = time.monotonic(), time.process_time()
    if burst:
        push(_make(burst, 0))
        sent = burst
    else:
        sent = await _pace(push, seconds)
    done = await _settle(desktops, sent)
    cpu = time.process_time() - cpu
    for feed, task in feeds:
        await feed.close()
        await task
    await server.close()
    await server_task
    await _drop(DeskNames(desk))
    return _outcome(desktops, sent, done - started if burst else 0.0, cpu)


async def _drop(names: DeskNames) -> None:
    import nats

    nc = await nats.connect(NATS_URL)
    for stream in (
        names.stream,
        *(f"KV_{b}" for b in (names.latest_bucket, names.demand_bucket, names.leader_bucket)),
    ):
        with contextlib.suppress(Exception):
            await nc.jetstream().delete_stream(stream)
    await nc.close()


# ---------------------------------------------------------------------- scenario


def _nats_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 4222), timeout=2):
            return True
    except OSError:
        return False


def run(quick: bool) -> list[Result]:
    if not _nats_reachable():
        raise RuntimeError("the desk scenario needs NATS with JetStream at 127.0.0.1:4222")
    # 50 desktops in one process fall far behind on two cores: a shorter run keeps the backlog
    # they work through (50 x 5,000 deliveries a second) within minutes
    counts, burst = ({1: 1.5, 10: 1.5}, 20_000) if quick else ({1: 10.0, 10: 10.0, 50: 4.0}, 100_000)
    results = []
    raw = asyncio.run(raw_nats(1, 0, burst=burst))
    desk = asyncio.run(through_desk(1, 0, burst=burst))
    results.append(
        Result(
            "desk: ticks/s through one desk, 1 desktop",
            "ticks/s",
            raw.rate,
            desk.rate,
            baseline_label="raw NATS",
            target="≥ 0.5×",
            extra={"burst": burst, "lost": desk.lost, "duplicated": desk.duplicated},
        )
    )
    for count, seconds in counts.items():
        raw = asyncio.run(raw_nats(count, seconds))
        desk = asyncio.run(through_desk(count, seconds))
        results.append(
            Result(
                f"desk: latency p99 receipt→hub, {count} desktop{'s' if count > 1 else ''} at {RATE:,}/s",
                "ms",
                raw.p99_ms,
                desk.p99_ms,
                baseline_label="raw NATS",
                lower_is_better=True,
                target="≤ 2× (ratio ≥ 0.5)",
                extra={
                    "p50 raw": round(raw.p50_ms, 2),
                    "p50 desk": round(desk.p50_ms, 2),
                    "CPU µs/tick raw": round(raw.cpu_us, 1),
                    "CPU µs/tick desk": round(desk.cpu_us, 1),
                    "lost": desk.lost,
                    "duplicated": desk.duplicated,
                    "raw lost": raw.lost,
                },
            )
        )
    return results
