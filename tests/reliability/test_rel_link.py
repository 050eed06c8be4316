"""Rows 1 and 2: the upstream link dies (TCP abort, or silence with the socket open)."""

from __future__ import annotations

import asyncio
import random
import time

from relkit import SYMBOLS, Rig, assert_exactly_once, backoff_bounds, ledger, start_sim, stored
from support.timings import RELIABILITY, RELIABILITY_PLAN
from support.waits import wait_until

from hkdesk.feed.status import FeedState

DROPS = 10


async def test_ten_tcp_drops_store_every_sent_tick_once_with_scheduled_backoff(db_url, tmp_path):
    rng = random.Random(20260302)
    sim = await start_sim(rate=600)
    try:
        async with Rig(sim.ws_url, db_url, tmp_path / "spill") as rig:
            for n in range(DROPS):
                await rig.live()
                await asyncio.sleep(rng.uniform(0.05, 0.3))  # a random moment while streaming
                before = len(rig.statuses)
                sim.drop_all()  # TCP abort, no close frame
                await wait_until(
                    lambda b=before: any(s.state is FeedState.BACKING_OFF for _, s in rig.statuses[b:]),
                    what=f"drop {n + 1} noticed",
                )
            await rig.live()
            await asyncio.sleep(0.2)
            await rig.quiesce(sim)
        assert sim.drops == DROPS
        count = assert_exactly_once(ledger(sim), stored(db_url))
    finally:
        await sim.stop()

    # Every state was reported, in the order a reconnect goes through.
    states = rig.states()
    for state in (FeedState.CONNECTING, FeedState.SUBSCRIBING, FeedState.LIVE, FeedState.BACKING_OFF):
        assert state in states, f"{state} never reported"
    assert states.count(FeedState.BACKING_OFF) == DROPS
    assert rig.feed.stats.reconnects == DROPS

    # Backoff: the announced delay follows the schedule, and the next attempt waits for it.
    events = rig.statuses
    waits = []
    for i, (at, status) in enumerate(events):
        if status.state is not FeedState.BACKING_OFF:
            continue
        n = len(waits)
        lo, hi = backoff_bounds(n, RELIABILITY_PLAN.reconnect_spacing, RELIABILITY.backoff_cap)
        announced = status.retry_at - at
        assert lo - 0.002 <= announced <= hi + 0.002, f"drop {n + 1}: delay {announced:.3f} s"
        reconnect_at = next(t for t, s in events[i:] if s.state is FeedState.CONNECTING)
        gap = reconnect_at - at
        assert lo - 0.002 <= gap <= hi + 0.15, f"drop {n + 1}: reconnected after {gap:.3f} s"
        waits.append(round(gap, 3))
    print(f"\nrow 1: {count} ticks stored once over {DROPS} drops; reconnect gaps (s): {waits}")
    assert len(rig.gaps) >= DROPS, "every reconnect reported a possible gap"


async def test_silent_upstream_detected_within_two_heartbeats_and_fully_resubscribed(db_url, tmp_path):
    sim = await start_sim(rate=400)
    try:
        async with Rig(sim.ws_url, db_url, tmp_path / "spill") as rig:
            await rig.live()
            await asyncio.sleep(0.2)
            first = {c["id"] for c in sim.status()["connections"]}
            sim.fault("stall")  # socket stays open, nothing is sent or answered
            stalled_at = time.monotonic()
            await wait_until(lambda: rig.state is not FeedState.LIVE, timeout=2, what="silence noticed")
            detected = time.monotonic() - stalled_at
            reason = rig.feed.status.reason
            sim.fault("clear=stall")
            resubscribed = await wait_until(
                lambda: any(c["id"] not in first and c["trades"] for c in sim.status()["connections"]),
                what="a new socket subscribed",
            )
            await rig.live()
            new = [c for c in sim.status()["connections"] if c["id"] not in first]
            await asyncio.sleep(0.2)
            await rig.quiesce(sim)
        assert_exactly_once(ledger(sim), stored(db_url))
    finally:
        await sim.stop()
    assert detected <= 2 * RELIABILITY.heartbeat_interval + 0.06, f"silence detected after {detected:.3f} s"
    assert "no data" in reason
    assert len(new) == 1 and sorted(new[0]["trades"]) == sorted(SYMBOLS), "re-subscribed with the full list"
    print(f"\nrow 2: silence detected in {detected:.3f} s, resubscribed {resubscribed:.3f} s later")
