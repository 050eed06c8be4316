"""The shared desk: ticks through one desk and the latency to each desktop's quote hub.

Both sides end in the same place, a QuoteHub per desktop, and carry the same frames (the
desk's JSON trades), so the ratio is what the desk adds: JetStream's persistence and
acknowledgements, the desk feed's consumers, ordering and batching.

* baseline ("raw NATS"): a connection core-publishes every frame; each desktop is a connection
  with a plain subscription that decodes the frame and applies it to its hub;
* hkdesk: a DeskServer's receive callback (scripted upstream, no database) publishes through
  DeskPublisher into the stream; each desktop is a DeskFeed applying its batches to its hub.

Every part runs in a process of its own, as on a real desk: the side that takes the trades
(the raw publisher, or the desk server; :mod:`bench.scenarios.desk_source`) and each desktop
(:mod:`bench.scenarios.desk_desktop`). With 10 or 50 desktops they still share this machine's
cores with each other, with NATS and with the desk, which a real desk's desktops do not. (In
one process, ten desktops shared one interpreter, and whichever side fell behind first flipped
from run to run.)

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
import tempfile
import time
import uuid
from dataclasses import dataclass

from bench.report import Result
from bench.scenarios.desk_procs import Desktops, Meter, Reached, Source, Spent
from bench.scenarios.desk_source import NATS_URL, RATE
from hkdesk.desk.subjects import DeskNames


@dataclass
class Outcome:
    p50_ms: float
    p99_ms: float
    lost: int
    duplicated: int
    rate: float = 0.0
    cpu_us: float = 0.0  # the desktops' CPU time per tick applied to a hub
    live_share: float = 0.0  # of the ticks applied, the share taken from the desk's live path
    cores: float = 0.0  # the machine's cores the run kept busy: desktops, source and NATS
    source_cores: float = 0.0
    nats_cores: float = 0.0


def _outcome(reached: list[Reached], sent: int, seconds: float, spent: Spent) -> Outcome:
    latencies = sorted(x for r in reached for x in r.latencies)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    lost = sum(sent - r.seen for r in reached)
    duplicated = sum(r.duplicates for r in reached)
    rate = sent / seconds if seconds else 0.0
    cpu = sum(r.cpu for r in reached) / max(1, len(latencies)) * 1e6
    live = sum(r.taken_live for r in reached) / max(1, sum(r.seen for r in reached))
    wall = max(1e-9, spent.wall)
    source, nats = spent.source / wall, spent.nats / wall
    cores = sum(r.cpu for r in reached) / wall + source + nats
    return Outcome(q[49] * 1e3, q[98] * 1e3, lost, duplicated, rate, cpu, live, cores, source, nats)


async def _measure(source: Source, desktops: Desktops, burst: int) -> Outcome:
    """One run: the desktops and the source go, until every desktop has every trade."""
    started, meter = time.monotonic(), Meter(source)
    desktops.go()
    sent = await source.run()
    reached = await desktops.settle(sent)
    done, spent = time.monotonic(), meter.stop()
    await desktops.closed()
    return _outcome(reached, sent, done - started if burst else 0.0, spent)


# ---------------------------------------------------------------------- raw NATS


async def raw_nats(count: int, seconds: float, burst: int = 0) -> Outcome:
    name = f"bench{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as folder:
        desktops = await Desktops.start("raw", name, count, folder)
        try:
            source = await Source.start("raw", name, seconds, burst)
            try:
                return await _measure(source, desktops, burst)
            finally:
                await source.close()
        finally:
            await desktops.kill()


# ---------------------------------------------------------------------- through the desk


async def through_desk(count: int, seconds: float, burst: int = 0) -> Outcome:
    desk = f"bench{uuid.uuid4().hex[:8]}"
    source = await Source.start("desk", desk, seconds, burst)
    try:
        with tempfile.TemporaryDirectory() as folder:
            desktops = await Desktops.start("desk", desk, count, folder)
            try:
                return await _measure(source, desktops, burst)
            finally:
                await desktops.kill()
    finally:
        await source.close()
        await _drop(DeskNames(desk))


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


def _cores(outcomes: list[Outcome]) -> str:
    """The median run's cores kept busy, in all and by the source and the NATS server."""
    return (
        f"{_median(outcomes, 'cores'):.2f} (source {_median(outcomes, 'source_cores'):.2f},"
        f" NATS {_median(outcomes, 'nats_cores'):.2f})"
    )


def run(quick: bool) -> list[Result]:
    if not _nats_reachable():
        raise RuntimeError("the desk scenario needs NATS with JetStream at 127.0.0.1:4222")
    # 50 desktops fall far behind on two cores: a shorter run keeps the backlog
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
                    "desk live share": f"{_median(desks, 'live_share'):.1%}",
                    "cores busy raw": _cores(raws),
                    "cores busy desk": _cores(desks),
                    "lost": sum(o.lost for o in desks),
                    "duplicated": sum(o.duplicated for o in desks),
                    "raw lost": sum(o.lost for o in raws),
                },
            )
        )
    return results
