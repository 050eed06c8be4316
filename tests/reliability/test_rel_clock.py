"""Row 8: wall-clock jumps (someone changes the system time) break no timing and no bar.

Timing runs on the monotonic clock; bars use exchange time (``tick.ts``); the wall clock is
only ever a label (``received_at``, gap reports)."""

from __future__ import annotations

import asyncio
import itertools
import random
import statistics
import time
from decimal import Decimal

from relkit import assert_exactly_once, backoff_bounds, stored
from support.scripted_alltick import Scripted
from support.store_checks import bar_mismatches
from support.timings import RELIABILITY, RELIABILITY_PLAN
from support.waits import wait_until

from hkdesk.domain.bars import aggregate
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.types import Tick
from hkdesk.feed.backoff import Backoff
from hkdesk.feed.client import FeedClient
from hkdesk.feed.status import FeedState
from hkdesk.store import BatchWriter

HOUR = 3600.0


def jumping_wall_clock():
    """The wall clock as a user fiddling with the system time sees it: ±1 h on every reading."""
    real = time.time
    offsets = itertools.cycle([HOUR, -HOUR, 0.0, -2 * HOUR, 2 * HOUR])
    return lambda: real() + next(offsets)


def wall_clock_forbidden():
    def forbidden() -> float:
        raise AssertionError("the wall clock was read for timing")

    return forbidden


async def test_feed_timing_ignores_wall_clock_jumps(sqlite_url, tmp_path, monkeypatch):
    jumpy = jumping_wall_clock()
    monkeypatch.setattr(time, "time", jumpy)  # every time.time() in the process jumps too
    statuses = []
    writer = BatchWriter(sqlite_url, flush_interval=0.05, spill_dir=tmp_path / "spill")
    async with Scripted() as server:
        client = FeedClient(
            server.url,
            server.token,
            plan=RELIABILITY_PLAN,
            timings=RELIABILITY,
            on_ticks=writer.put_ticks,
            on_status=lambda s: statuses.append((time.monotonic(), s)),
            wall_clock=jumpy,
        )
        client.set_symbols(["A.HK", "B.HK"])
        writer.start()
        task = asyncio.get_running_loop().create_task(client.run())
        await wait_until(lambda: client.status.state is FeedState.LIVE, what="live")
        await asyncio.sleep(1.0)  # ten heartbeat intervals on one socket
        first_drop = time.monotonic()
        for _ in range(3):
            await wait_until(lambda: client.status.state is FeedState.LIVE, what="live")
            await asyncio.sleep(0.2)
            await server.abort_all()
            await wait_until(lambda: client.status.state is not FeedState.LIVE, what="drop noticed")
        await wait_until(lambda: client.status.state is FeedState.LIVE, what="live")
        server.paused = True
        await asyncio.sleep(0.05)
        await wait_until(lambda: client.stats.ticks >= server.sent_count(), what="in flight")
        await client.close()
        await asyncio.wait_for(task, 3)
        assert writer.stop(10)
        sent = {s: list(v) for s, v in server.sent.items()}
    assert_exactly_once(sent, stored(sqlite_url))

    beats = [t for t, cmd, _ in server.requests if cmd == 22000 and t < first_drop]
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    assert len(beats) >= 8 and all(0.08 <= g <= 0.2 for g in gaps), gaps
    assert abs(statistics.median(gaps) - RELIABILITY.heartbeat_interval) < 0.02
    offs = [(t, s) for t, s in statuses if s.state is FeedState.BACKING_OFF]
    assert len(offs) == 3 and client.stats.reconnects == 3, "no false liveness alarm"
    assert all("no data" not in s.reason for _, s in offs)
    for n, (at, status) in enumerate(offs):
        lo, hi = backoff_bounds(n, RELIABILITY_PLAN.reconnect_spacing, RELIABILITY.backoff_cap)
        assert lo - 0.002 <= status.retry_at - at <= hi + 0.002
        reconnect = next(t for t, s in statuses if t > at and s.state is FeedState.CONNECTING)
        assert lo - 0.002 <= reconnect - at <= hi + 0.15
    print(
        f"\nrow 8: heartbeat gaps median {statistics.median(gaps) * 1000:.0f} ms "
        f"(min {min(gaps) * 1000:.0f}, max {max(gaps) * 1000:.0f}) with the wall clock jumping"
    )


def test_backoff_never_reads_the_wall_clock(monkeypatch):
    monkeypatch.setattr(time, "time", wall_clock_forbidden())
    now = [1000.0]
    backoff = Backoff(3.0, cap=30.0, reset_after=60.0, rng=random.Random(1), clock=lambda: now[0])
    twin = Backoff(3.0, cap=30.0, reset_after=60.0, rng=random.Random(1), clock=lambda: 0.0)
    delays = [backoff.next_delay() for _ in range(8)]
    assert delays == [twin.next_delay() for _ in range(8)]
    for n, delay in enumerate(delays):
        lo, hi = backoff_bounds(n, 3.0, 30.0)
        assert lo <= delay <= hi
    backoff.healthy()
    now[0] += 59.0  # healthy, but not yet for reset_after on the monotonic clock
    assert backoff.next_delay() >= 30.0 * 0.85
    backoff.healthy()
    now[0] += 60.0
    assert backoff.next_delay() <= 3.0 * 1.15, "reset after a minute of health"


def minute_ticks() -> list[Tick]:
    """Trades across three exchange minutes, received with a wall clock all over the place."""
    base = 1_772_416_800_000  # 2026-03-02 10:00:00 HKT
    out = []
    for i in range(90):
        ts = base + i * 2_000 - 1  # crosses the 10:01 and 10:02 boundaries
        price = Decimal("380") + Decimal(i % 7) / 10
        out.append(Tick(symbol="700.HK", seq=i, ts=ts, price=price, volume=Decimal(100)))
        out[-1].received_at = time.time()
    return out


def test_bars_follow_exchange_time_not_the_wall_clock(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setattr(time, "time", jumping_wall_clock())
    ticks = minute_ticks()
    writer = BatchWriter(sqlite_url, flush_rows=7, flush_interval=0.01, spill_dir=tmp_path / "spill")
    writer.start()
    for i in range(0, len(ticks), 9):
        writer.put_ticks(ticks[i : i + 9])
        time.sleep(0.005)
    assert writer.stop(10)
    assert not bar_mismatches(sqlite_url)
    with writer.engine.connect() as conn:
        starts = [r[0] for r in conn.exec_driver_sql("SELECT start FROM bars ORDER BY start")]
    assert starts == [1_772_416_740_000, 1_772_416_800_000, 1_772_416_860_000, 1_772_416_920_000]

    monkeypatch.setattr(time, "time", wall_clock_forbidden())
    bars = aggregate(ticks, 60)
    assert [b.start for b in bars] == starts and sum(b.trades for b in bars) == len(ticks)
    hub = QuoteHub()
    hub.apply_ticks(ticks)
    assert hub.quote("700.HK").last_seq == ticks[-1].seq
