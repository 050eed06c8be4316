"""The engine's order of work and its failures, against a real simulator server on loopback
(in this process, started late in the day): the focused symbol first, a code the provider does
not know tried once, a refused token ending the work, no database needed for the chart."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import time

from support.waits import wait_until

from hkdesk.backfill import Backfill
from hkdesk.backfill.day import hk_date
from hkdesk.domain.day_holes import DayFill
from hkdesk.domain.types import Bar
from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import HTTP_LIMITS
from hkdesk.sim.clock import DemoClock
from hkdesk.sim.server import SimServer

LIMITS = HTTP_LIMITS["professional"]


@contextlib.asynccontextmanager
async def late_simulator(**kw):
    async with SimServer(clock=DemoClock(start_time=time(11, 0)), request_spacing=0.05, **kw) as sim:
        yield sim


@contextlib.asynccontextmanager
async def running(backfill: Backfill):
    task = asyncio.create_task(backfill.run())
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_without_a_database_the_focused_symbol_is_filled_first_and_handed_on():
    drawn: list[tuple[str, list[Bar]]] = []
    async with late_simulator() as sim:
        http = QuoteHttp(sim.ws_url, "t", limits=LIMITS)
        backfill = Backfill(http, None, lambda: None, on_bars=lambda s, bars: drawn.append((s, bars)))
        backfill.watch(["700.HK", "5.HK", "9988.HK"])
        backfill.focus("9988.HK")
        async with running(backfill):
            await wait_until(lambda: len(drawn) == 3, timeout=20, what="three days")
            assert [s for s, _ in drawn] == ["9988.HK", "700.HK", "5.HK"]
            # filled once: watching the same list again, or focusing a filled symbol, asks nothing
            backfill.watch(["700.HK", "5.HK", "9988.HK"])
            backfill.focus("700.HK")
            await asyncio.sleep(0.2)
        assert http.transport.calls["/kline"] == 3
        for symbol, bars in drawn:
            assert len({hk_date(b.start) for b in bars}) == 1 and all(b.provided for b in bars)
            # the clock is unknown (no trade yet): the simulator's running minute is left out
            running_minute = (await http.minute_bars(symbol)).bars[-1]
            assert bars[-1].start < running_minute.start
    assert backfill.stats.days_filled == 3 and backfill.stats.errors == 0


async def test_a_code_the_provider_does_not_know_is_tried_once():
    drawn: list[str] = []
    settled: list[str] = []
    async with late_simulator() as sim:
        http = QuoteHttp(sim.ws_url, "t", limits=LIMITS)
        backfill = Backfill(
            http,
            None,
            lambda: None,
            on_bars=lambda s, _: drawn.append(s),
            on_day=settled.append,
            retry_wait=0.01,
        )
        backfill.watch(["2800.HK", "700.HK"])
        assert backfill.day_fill("700.HK") is DayFill.PENDING
        async with running(backfill):
            await wait_until(lambda: drawn == ["700.HK"], timeout=20, what="the known code's day")
            await wait_until(lambda: len(settled) == 2, timeout=20, what="both days settled")
            # the chart says which morning is whole and which cannot be had
            assert sorted(settled) == ["2800.HK", "700.HK"]
            assert backfill.day_fill("700.HK") is DayFill.FILLED
            assert backfill.day_fill("2800.HK") is DayFill.FAILED
            backfill.watch(["2800.HK", "700.HK", "5.HK"])
            await wait_until(lambda: drawn == ["700.HK", "5.HK"], timeout=20, what="the added code's day")
        assert http.transport.calls["/kline"] == 3
        assert backfill.stats.errors == 1


async def test_a_refused_token_ends_the_work():
    async with late_simulator(token="the-right-one") as sim:
        http = QuoteHttp(sim.ws_url, "a-wrong-one", limits=LIMITS)
        settled: list[str] = []
        backfill = Backfill(http, None, lambda: None, on_day=settled.append)
        backfill.watch(["700.HK", "5.HK"])
        await asyncio.wait_for(backfill.run(), 20)
        assert http.transport.calls["/kline"] == 1 and backfill.stats.errors == 1
        # nothing more will come: neither morning is left saying it is being fetched
        assert sorted(settled) == ["5.HK", "700.HK"]
        assert {backfill.day_fill(s) for s in settled} == {DayFill.FAILED}
