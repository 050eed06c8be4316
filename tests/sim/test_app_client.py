"""The app's own HTTP client (feed/http.py) against the simulator's plan limits and demo dates."""

from __future__ import annotations

from decimal import Decimal

from simkit import frozen_clock

from hkdesk.feed.http import QuoteHttp
from hkdesk.sim.model import MarketModel


async def test_previous_closes_of_many_codes_at_the_app_pace_despite_the_rate_limit(sim):
    # The app asks the simulator without spacing; the plan allows 20 calls a window and
    # the client tries a refused call again.
    server = await sim(model=MarketModel(seed=1))  # professional: 20 calls per second per endpoint
    codes = list(server.model.symbols)[:45]
    client = QuoteHttp(server.ws_url, "t", min_interval=0.0, codes_per_request=200, rate_retry_wait=1.0)
    closes = await client.fetch_previous_close(codes)
    assert client.requests > len(codes) + 1  # some were refused and asked again
    # the demo day (a past date) is in progress: its bar is skipped
    assert closes == {c: Decimal(server.model.prev_close(c)) / 1000 for c in codes}


async def test_after_the_close_the_finished_day_is_the_previous_close(sim):
    server = await sim(clock=frozen_clock(16, 30))
    client = QuoteHttp(server.ws_url, "t", min_interval=0.0)
    closes = await client.fetch_previous_close(["700.HK", "HSI"])
    for code, close in closes.items():
        assert close == Decimal(server.model.daily_bars(code, 1)[-1].close) / 1000
    assert closes["700.HK"] == Decimal(server.model.stock_day("700.HK").close_price) / 1000
