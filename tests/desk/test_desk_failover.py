"""Fail-over of two desk servers (child processes) on the real simulator and PostgreSQL: the
leader is SIGKILLed, the standby takes over within the plan's reconnect spacing + 2 s, no
trade is stored or delivered twice, and the seconds without a leader are marked as a gap."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest
import sqlalchemy as sa
from deskkit import DeskProcess, Received
from support.waits import wait_until

from hkdesk.desk.connection import NatsOptions
from hkdesk.desk.feed import DeskFeed
from hkdesk.desk.feed_status import DeskFeedTimings
from hkdesk.desk.server import FAILOVER_REASON
from hkdesk.feed.plans import Plan
from hkdesk.sim.process import start_simulator_process

SYMBOLS = ["700.HK", "5.HK", "9988.HK"]
PLAN = Plan.named("professional")


@pytest.fixture
def simulator():
    sim = start_simulator_process(["--rate", "60"])
    yield sim
    sim.stop()


def desk_args(sim, pg_url: str, nats_url: str, desk: str, server_id: str) -> list[str]:
    return [
        "--url", sim.ws_url, "--token", "desk-test", "--plan", PLAN.name, "--db", pg_url,
        "--publish", nats_url, "--desk", desk, "--symbols", ",".join(SYMBOLS),
        "--server-id", server_id, "--lease-ttl", "1.0", "--lease-refresh", "0.2", "--lease-poll", "0.1",
        "--log-level", "WARNING",
    ]  # fmt: skip


async def test_sigkill_of_the_leader_hands_over_without_double_or_silent_loss(
    simulator, pg_url, nats_url, desk_name
):
    first = DeskProcess(desk_args(simulator, pg_url, nats_url, desk_name, "first"))
    await wait_until(lambda: first.role == "leading", timeout=60, what="the first server to lead")
    second = DeskProcess(desk_args(simulator, pg_url, nats_url, desk_name, "second"))
    await wait_until(lambda: second.role == "standing by", timeout=60, what="the second server to stand by")
    received = Received()
    timings = DeskFeedTimings(heartbeat=0.2, demand_refresh=1.0, leader_poll=0.2)
    feed = DeskFeed(
        NatsOptions(nats_url), desk=desk_name, desktop_id="witness", timings=timings, **received.callbacks()
    )
    feed.set_symbols(SYMBOLS)
    feed_task = asyncio.create_task(feed.run())
    try:
        await wait_until(lambda: len(received.ticks) > 50, timeout=60, what="trades through the first server")
        killed_at = time.time()
        first.kill()
        await wait_until(lambda: second.role == "leading", timeout=30, what="the standby to take over")
        took = second.became("leading") - killed_at
        assert took <= PLAN.reconnect_spacing + 2.0, f"take-over took {took:.2f} s"
        before = len(received.ticks)
        await wait_until(
            lambda: len(received.ticks) > before + 50, timeout=60, what="trades through the second"
        )
        await wait_until(
            lambda: len(received.gaps) >= len(SYMBOLS), timeout=30, what="the fail-over gap notices"
        )
        assert second.stop() == 0
        await asyncio.sleep(0.5)
    finally:
        first.kill()
        second.stop()
        await feed.close()
        await feed_task

    delivered = Counter((t.symbol, t.ts, t.seq) for t in received.ticks)
    assert max(delivered.values()) == 1  # nothing delivered twice
    gaps = {g.symbol: g for g in received.gaps}
    assert set(gaps) == set(SYMBOLS)
    for symbol, gap in gaps.items():  # from the last trade stored before the kill to the first after it
        times = {ts for s, ts, _ in delivered if s == symbol}
        assert gap.start_ts in times and gap.end_ts in times and gap.start_ts < gap.end_ts

    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT symbol, ts, seq FROM ticks")).all()
        gap_rows = conn.execute(sa.text("SELECT symbol, start_ts, end_ts, reason FROM gaps")).all()
    engine.dispose()
    assert len(stored) == len(set(stored))  # nothing stored twice
    failover_rows = {(r.symbol, r.start_ts, r.end_ts) for r in gap_rows if r.reason == FAILOVER_REASON}
    assert failover_rows == {(g.symbol, g.start_ts, g.end_ts) for g in gaps.values()}
    # After the take-over both sides saw the same trades: stored once, delivered once.
    taken_over_ms = max(g.end_ts for g in gaps.values())
    after_stored = {tuple(r) for r in stored if r[1] > taken_over_ms}
    after_delivered = {k for k in delivered if k[1] > taken_over_ms}
    assert after_stored and after_stored == after_delivered
