"""One end-to-end check against the project's market simulator (a separate, real server)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from feed_harness import Recorder, Running
from support.timings import FEED
from support.waits import wait_until

from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState

sim_server = pytest.importorskip("hkdesk.sim.server")

SIM_TOKEN = "sim-token-abc123"


async def test_client_streams_from_the_simulator_and_fetches_initial_values():
    rec = Recorder()
    plan = Plan("professional", symbols_per_connection=3000, connections=10, reconnect_spacing=0.05)
    async with sim_server.SimServer(token=SIM_TOKEN, request_spacing=FEED.request_spacing, seed=3) as sim:
        client = rec.client(sim.ws_url, plan=plan, token=SIM_TOKEN)
        client.set_symbols(["700.HK", "5.HK", "9988.HK"])
        client.set_depth_symbols(["700.HK"], depth_level=5)
        async with Running(client):
            await wait_until(lambda: len(rec.ticks) >= 20 and rec.books, timeout=10, what="simulated ticks")
            assert client.status.state is FeedState.LIVE
            assert client.status.simulator, "the simulator says what it is in its handshake"
            http = QuoteHttp(sim.ws_url, SIM_TOKEN, min_interval=0.0)
            latest = await http.fetch_latest_trades(["700.HK", "5.HK"])
        assert set(latest) == {"700.HK", "5.HK"}
        assert {t.symbol for t in rec.ticks} <= {"700.HK", "5.HK", "9988.HK"}
        assert all(len(b.bids) <= 5 for b in rec.books)
        assert sum(client.stats.bad_frames.values()) == 0


async def test_request_spacing_survives_a_busy_server_without_606():
    """The server times requests when it gets round to reading them; under a burst that can
    shrink a gap the client kept exactly. The margin on the spacing keeps the link up."""
    rec = Recorder()
    plan = Plan("professional", symbols_per_connection=3000, connections=1, reconnect_spacing=0.05)
    timings = replace(FEED, request_spacing=0.1, heartbeat_interval=0.15, debounce=0.01)
    universe = ["700.HK", "5.HK", "9988.HK", "1299.HK", "939.HK", "388.HK", "3690.HK", "1810.HK"]
    async with sim_server.SimServer(request_spacing=0.1, seed=5, cycle_interval=0.02) as sim:
        sim.set_rate(30_000)
        client = rec.client(sim.ws_url, plan=plan, timings=timings)
        client.set_symbols(universe[:2])
        async with Running(client):
            await wait_until(lambda: client.status.state is FeedState.LIVE, timeout=10, what="live")
            for n in range(3, len(universe) + 1):
                client.set_symbols(universe[:n])
                await asyncio.sleep(0.25)
            await asyncio.sleep(0.5)
            assert client.stats.connects == 1, client.status
            assert client.stats.reconnects == 0
        assert client.stats.requests >= 8
