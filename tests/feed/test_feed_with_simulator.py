"""One end-to-end check against the project's market simulator (a separate, real server)."""

from __future__ import annotations

import pytest
from feed_fakes import wait_for
from feed_harness import FAST, Recorder, Running

from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState

sim_server = pytest.importorskip("hkdesk.sim.server")

SIM_TOKEN = "sim-token-abc123"


async def test_client_streams_from_the_simulator_and_fetches_initial_values():
    rec = Recorder()
    plan = Plan("professional", symbols_per_connection=3000, connections=10, reconnect_spacing=0.05)
    async with sim_server.SimServer(token=SIM_TOKEN, request_spacing=FAST.request_spacing, seed=3) as sim:
        client = rec.client(sim.ws_url, plan=plan, token=SIM_TOKEN)
        client.set_symbols(["700.HK", "5.HK", "9988.HK"])
        client.set_depth_symbols(["700.HK"], depth_level=5)
        async with Running(client):
            await wait_for(lambda: len(rec.ticks) >= 20 and rec.books, timeout=10, what="simulated ticks")
            assert client.status.state is FeedState.LIVE
            http = QuoteHttp(sim.ws_url, SIM_TOKEN, min_interval=0.0)
            latest = await http.fetch_latest_trades(["700.HK", "5.HK"])
        assert set(latest) == {"700.HK", "5.HK"}
        assert {t.symbol for t in rec.ticks} <= {"700.HK", "5.HK", "9988.HK"}
        assert all(len(b.bids) <= 5 for b in rec.books)
        assert sum(client.stats.bad_frames.values()) == 0
