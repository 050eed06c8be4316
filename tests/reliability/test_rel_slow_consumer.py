"""Row 7: the GUI thread (the qasync loop the feed runs on) is blocked for 2 s while streaming.

The simulator runs in its own process, so it keeps sending while our loop is frozen."""

from __future__ import annotations

import asyncio
import dataclasses
import time

from relkit import SYMBOLS, TOKEN, Rig, assert_exactly_once, http_json, process_ledger, stored
from support.timings import RELIABILITY
from support.waits import wait_until

from hkdesk.feed.status import FeedState
from hkdesk.sim.process import start_simulator_process

BLOCK = 2.0
#: Liveness 0.4 s: far shorter than the block.
TIMINGS = dataclasses.replace(RELIABILITY, heartbeat_interval=0.2)


async def block_and_recover(sqlite_url, tmp_path, server_heartbeat_timeout: float) -> dict:
    args = ["--token", TOKEN, "--rate", "400", "--request-spacing", "0.01", "--seed", "2"]
    args += ["--heartbeat-timeout", str(server_heartbeat_timeout)]
    with start_simulator_process(args) as sim:
        async with Rig(sim.ws_url, sqlite_url, tmp_path / "spill", timings=TIMINGS) as rig:
            await rig.live()
            await asyncio.sleep(0.5)
            loop = asyncio.get_running_loop()
            loop.call_soon(time.sleep, BLOCK)  # a frozen GUI thread
            await asyncio.sleep(0)
            unblocked = time.monotonic()
            received = rig.pipeline.ticks_received
            await wait_until(lambda: rig.pipeline.ticks_received > received, what="ticks after the block")
            await wait_until(lambda: rig.state is FeedState.LIVE, what="link live after the block")
            await asyncio.sleep(0.8)  # > two liveness windows of normal life
            heartbeats = [s.rtt_ms for t, s in rig.statuses if t > unblocked + 0.1 and s.rtt_ms is not None]
            http_json(f"{sim.control_url}/fault?stall")  # stop sending, then let in-flight ticks land
            total = http_json(f"{sim.control_url}/status")["ticks_sent"]
            drained = await wait_until(lambda: rig.pipeline.ticks_received >= total, what="backlog drained")
            connections = http_json(f"{sim.control_url}/status")["connections"]
            await rig.drained()
            reconnects = rig.feed.stats.reconnects
        sent = process_ledger(sim.control_url)
    count = assert_exactly_once(sent, stored(sqlite_url))
    return {
        "ticks": count,
        "reconnects": reconnects,
        "heartbeat_replies": len(heartbeats),
        "connections": connections,
        "drained": drained,
        "blocked_for": time.monotonic() - unblocked,
    }


async def test_two_second_freeze_link_recovers_and_nothing_is_lost(sqlite_url, tmp_path):
    out = await block_and_recover(sqlite_url, tmp_path, server_heartbeat_timeout=30.0)
    assert out["heartbeat_replies"] >= 1, "heartbeats resumed after the freeze"
    (conn,) = out["connections"]
    assert sorted(conn["trades"]) == sorted(SYMBOLS)
    print(
        f"\nrow 7/tolerant server: {out['ticks']} ticks stored once, {out['reconnects']} reconnects, "
        f"{out['heartbeat_replies']} heartbeat replies after the freeze"
    )


async def test_freeze_longer_than_the_server_heartbeat_timeout_reconnects_and_resubscribes(
    sqlite_url, tmp_path
):
    out = await block_and_recover(sqlite_url, tmp_path, server_heartbeat_timeout=1.0)
    assert out["reconnects"] >= 1, "the server dropped us for missing heartbeats: we reconnected"
    (conn,) = out["connections"]
    assert sorted(conn["trades"]) == sorted(SYMBOLS), "re-subscribed with the full list"
    assert out["heartbeat_replies"] >= 1
    print(f"\nrow 7/strict server: {out['ticks']} ticks stored once, {out['reconnects']} reconnects")
