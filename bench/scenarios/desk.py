"""The shared desk: ticks through one desk and the latency to each desktop's quote hub.

Both sides end in the same place, a QuoteHub per desktop, and carry the same frames (the
desk's JSON trades), so the ratio is what the desk adds: JetStream's persistence and
acknowledgements, the desk feed's consumers, ordering and batching.

* baseline ("raw NATS"): a connection core-publishes every frame; each desktop is a connection
  with a plain subscription that decodes the frame and applies it to its hub;
* hkdesk: a DeskServer's receive callback (scripted upstream, no database) publishes through
  DeskPublisher into the stream; each desktop is a DeskFeed applying its batches to its hub.

The side that takes the trades (the raw publisher, or the desk server) runs in a child process
(:mod:`bench.scenarios.desk_source`), as a desk server runs on its own host; the desktops run
in this process, so with 10 or 50 of them they share this process's one thread and the
machine's cores with each other, which a real desk's desktops do not.

Latency: from the desk's receipt (``received_at``, set when the batch is handed to the desk)
to the hub's apply, every tick, at 5,000 ticks/s over 100 symbols with 1, 10 and 50 desktops.
Throughput: a burst handed to the desk at once, until the one desktop has applied the last
tick. Lost and duplicated ticks are counted per desktop. Each figure is the median of several
runs, raw and desk alternating (five 5 s runs of each with one desktop, three with ten).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field

from bench.report import Result
from bench.scenarios.desk_source import NATS_URL, RATE, SYMBOLS, raw_prefix
from hkdesk.desk import codec
from hkdesk.desk.feed import DeskFeed
from hkdesk.desk.subjects import DeskNames
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.types import Tick
from hkdesk.feed.status import FeedState


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
    live_share: float = 0.0  # of the ticks applied, the share taken from the desk's live path


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


# ---------------------------------------------------------------------- the publishing side


class Source:
    """The child process that takes the trades (see :mod:`bench.scenarios.desk_source`)."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls, mode: str, name: str, seconds: float, burst: int) -> Source:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.scenarios.desk_source",
            mode,
            name,
            str(seconds),
            str(burst),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        source = cls(proc)
        try:
            await source._expect("ready")
        except BaseException:
            await source.kill()
            raise
        return source

    async def _expect(self, word: str) -> str:
        line = (await asyncio.wait_for(self.proc.stdout.readline(), 60)).decode().strip()  # type: ignore[union-attr]
        if not line.startswith(word):
            raise RuntimeError(f"the desk benchmark's source said {line!r}, not {word!r}")
        return line

    def _say(self, word: str) -> None:
        self.proc.stdin.write(f"{word}\n".encode())  # type: ignore[union-attr]

    async def run(self) -> int:
        """Start handing trades; returns how many were handed once it is done."""
        self._say("go")
        return int((await self._expect("sent")).split()[1])

    async def close(self) -> None:
        """Let the child close its connections; killed if it cannot."""
        if self.proc.returncode is None:
            try:
                self._say("stop")
                await self._expect("closed")
                await asyncio.wait_for(self.proc.wait(), 30)
            except (OSError, RuntimeError, TimeoutError):
                pass
        await self.kill()

    async def kill(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()


# ---------------------------------------------------------------------- raw NATS


async def raw_nats(count: int, seconds: float, burst: int = 0) -> Outcome:
    import nats

    name = f"bench{uuid.uuid4().hex[:8]}"
    prefix = raw_prefix(name)
    desktops = [Desktop() for _ in range(count)]
    subscribers = []
    for desktop in desktops:
        nc = await nats.connect(NATS_URL)

        async def on_msg(msg, desktop=desktop) -> None:
            desktop.apply([codec.decode_tick(msg.data)])

        await nc.subscribe(prefix + "*", cb=on_msg)
        await nc.flush()
        subscribers.append(nc)
    source = await Source.start("raw", name, seconds, burst)
    try:
        started, cpu = time.monotonic(), time.process_time()
        sent = await source.run()
        done = await _settle(desktops, sent)
        cpu = time.process_time() - cpu
    finally:
        await source.close()
        for nc in subscribers:
            await nc.close()
    return _outcome(desktops, sent, done - started if burst else 0.0, cpu)


# ---------------------------------------------------------------------- through the desk


async def through_desk(count: int, seconds: float, burst: int = 0) -> Outcome:
    desk = f"bench{uuid.uuid4().hex[:8]}"
    source = await Source.start("desk", desk, seconds, burst)
    desktops = [Desktop() for _ in range(count)]
    feeds = []
    try:
        for i, desktop in enumerate(desktops):
            feed = DeskFeed(NATS_URL, desk=desk, desktop_id=f"d{i}", on_ticks=desktop.apply)
            feed.set_symbols(SYMBOLS)
            feeds.append((feed, asyncio.create_task(feed.run())))
        give_up = time.monotonic() + 120
        while any(f.status.state is not FeedState.LIVE for f, _ in feeds):
            if time.monotonic() > give_up:
                raise RuntimeError("the desktops did not go live behind the benchmark's desk in 120 s")
            await asyncio.sleep(0.02)
        started, cpu = time.monotonic(), time.process_time()
        sent = await source.run()
        done = await _settle(desktops, sent)
        cpu = time.process_time() - cpu
        live = sum(f.live.taken for f, _ in feeds) / max(1, sum(len(d.seen) for d in desktops))
    finally:
        for feed, task in feeds:
            await feed.close()
            await task
        await source.close()
        await _drop(DeskNames(desk))
    outcome = _outcome(desktops, sent, done - started if burst else 0.0, cpu)
    outcome.live_share = live
    return outcome


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


def _alternate(rounds: int, raw, desk) -> tuple[list[Outcome], list[Outcome]]:
    """``rounds`` runs of each side, alternating: one run each is at the mercy of whatever the
    shared machine did in its seconds (p99 moved 2-3x between single runs of the same side)."""
    raws, desks = [], []
    for _ in range(rounds):
        raws.append(asyncio.run(raw()))
        desks.append(asyncio.run(desk()))
    return raws, desks


def _median(outcomes: list[Outcome], field: str) -> float:
    return statistics.median(getattr(o, field) for o in outcomes)


def run(quick: bool) -> list[Result]:
    if not _nats_reachable():
        raise RuntimeError("the desk scenario needs NATS with JetStream at 127.0.0.1:4222")
    # 50 desktops in one process fall far behind on two cores: a shorter run keeps the backlog
    # they work through (50 x 5,000 deliveries a second) within minutes
    if quick:
        counts, burst, burst_rounds = {1: (1.5, 1), 10: (1.5, 1)}, 20_000, 1
    else:
        counts, burst, burst_rounds = {1: (5.0, 5), 10: (5.0, 3), 50: (4.0, 1)}, 100_000, 3
    results = []
    raws, desks = _alternate(
        burst_rounds, lambda: raw_nats(1, 0, burst=burst), lambda: through_desk(1, 0, burst=burst)
    )
    results.append(
        Result(
            "desk: ticks/s through one desk, 1 desktop",
            "ticks/s",
            _median(raws, "rate"),
            _median(desks, "rate"),
            baseline_label="raw NATS",
            target="≥ 0.5×",
            extra={
                "burst": burst,
                "rounds raw": ", ".join(f"{o.rate:,.0f}" for o in raws),
                "rounds desk": ", ".join(f"{o.rate:,.0f}" for o in desks),
                "lost": sum(o.lost for o in desks),
                "duplicated": sum(o.duplicated for o in desks),
            },
        )
    )
    for count, (seconds, rounds) in counts.items():
        raws, desks = _alternate(
            rounds,
            lambda count=count, seconds=seconds: raw_nats(count, seconds),
            lambda count=count, seconds=seconds: through_desk(count, seconds),
        )
        results.append(
            Result(
                f"desk: latency p99 receipt→hub, {count} desktop{'s' if count > 1 else ''} at {RATE:,}/s",
                "ms",
                _median(raws, "p99_ms"),
                _median(desks, "p99_ms"),
                baseline_label="raw NATS",
                lower_is_better=True,
                target="≤ 2× (ratio ≥ 0.5)",
                extra={
                    "rounds": f"{rounds} of {seconds:g} s each, alternating; medians",
                    "p99 raw": ", ".join(f"{o.p99_ms:.2f}" for o in raws),
                    "p99 desk": ", ".join(f"{o.p99_ms:.2f}" for o in desks),
                    "p50 raw": round(_median(raws, "p50_ms"), 2),
                    "p50 desk": round(_median(desks, "p50_ms"), 2),
                    "CPU µs/tick raw": round(_median(raws, "cpu_us"), 1),
                    "CPU µs/tick desk": round(_median(desks, "cpu_us"), 1),
                    "lost": sum(o.lost for o in desks),
                    "duplicated": sum(o.duplicated for o in desks),
                    "raw lost": sum(o.lost for o in raws),
                },
            )
        )
    return results
