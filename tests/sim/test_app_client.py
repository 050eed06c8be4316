"""The app's own HTTP client (feed/http.py) against the simulator's plan limits and demo dates."""

from __future__ import annotations

from decimal import Decimal

from simkit import frozen_clock

from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import PROFESSIONAL
from hkdesk.sim.model import MarketModel


async def test_previous_closes_of_many_codes_in_one_batch_call(sim):
    server = await sim(model=MarketModel(seed=1))  # professional: 500 items a /batch-kline call
    codes = list(server.model.symbols)[:45]
    client = QuoteHttp.for_plan(server.ws_url, "t", PROFESSIONAL)
    closes = await client.fetch_previous_close(codes)
    assert client.transport.calls["/batch-kline"] == 1
    # the demo day (a past date) is in progress: its bar is skipped
    assert closes == {c: Decimal(server.model.prev_close(c)) / 1000 for c in codes}


async def test_calls_refused_for_the_rate_are_asked_again(sim):
    # Unspaced, the client outruns the plan's 20 calls a second; refused calls are tried again.
    server = await sim(model=MarketModel(seed=1))
    codes = list(server.model.symbols)[:30]
    client = QuoteHttp(server.ws_url, "t", min_interval=0.0, rate_retry_wait=1.0)
    days = [await client.minute_bars(code) for code in codes]
    assert client.requests > len(codes)
    assert all(day.bars for day in days)


async def test_after_the_close_the_finished_day_is_the_previous_close(sim):
    server = await sim(clock=frozen_clock(16, 30))
    client = QuoteHttp(server.ws_url, "t", min_interval=0.0)
    closes = await client.fetch_previous_close(["700.HK", "HSI"])
    for code, close in closes.items():
        assert close == Decimal(server.model.daily_bars(code, 1)[-1].close) / 1000
    assert closes["700.HK"] == Decimal(server.model.stock_day("700.HK").close_price) / 1000
