"""The backfill against the real simulator in its own process, started late in the day, with the
real pipeline and a real database: the stored day, from the open, is the simulator's own
K-lines, minute for minute, whether a minute came from our trades, from the provider, or from
both (the minute the stream started in); a gap made by dropped connections is filled and
marked; a restart fills the time the app was closed and records it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

from support.waits import wait_until

from hkdesk.backfill import Backfill
from hkdesk.backfill.day import day_start_ms, hk_date
from hkdesk.domain.bars import DAY, MINUTE, bar_start
from hkdesk.domain.types import Bar, Gap
from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import HTTP_LIMITS, Plan
from hkdesk.feed.status import FeedTimings
from hkdesk.feed.task_stop import stop_task
from hkdesk.pipeline import Pipeline
from hkdesk.sim.process import start_simulator_process
from hkdesk.sources.upstream import Upstream
from hkdesk.store.history import bars_between, gaps_between, ticks_between
from hkdesk.store.writer import BatchWriter

SYMBOLS = ["700.HK", "5.HK", "9988.HK"]
TIMINGS = FeedTimings(heartbeat_interval=0.5, request_spacing=0.06, shard_spacing=0.05, debounce=0.02)
#: Fast reconnects, unless a test wants a long outage.
PLAN = Plan("test", symbols_per_connection=3000, connections=1, reconnect_spacing=0.2)
PRICE_FIELDS = ("open", "high", "low", "close", "volume", "turnover")


@dataclass
class Desk:
    pipeline: Pipeline
    backfill: Backfill
    writer: BatchWriter
    drawn: dict[str, list[Bar]] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)


@contextlib.asynccontextmanager
async def desk(sim_url: str, db_url: str, spill, plan: Plan = PLAN) -> AsyncIterator[Desk]:
    """The recorder's assembly: pipeline, writer and backfill, the backfill told of every gap."""
    writer = BatchWriter(db_url, spill_dir=spill, flush_interval=0.05)
    writer.start()
    upstream = Upstream("simulator", sim_url, "t", plan, simulated=True)
    drawn: dict[str, list[Bar]] = {}
    backfill = Backfill(
        upstream.http(),
        writer,
        lambda: pipeline.exchange_now(),
        live_since=lambda: pipeline.first_ts,
        on_bars=lambda symbol, bars: drawn.setdefault(symbol, []).extend(bars),
        current_every=0.3,
    )
    reported: list[Gap] = []

    def on_gap(gap: Gap) -> None:
        reported.append(gap)
        backfill.gap_reported(gap)

    pipeline = Pipeline(upstream, writer=writer, timings=TIMINGS, on_gap=on_gap)
    pipeline.feed.set_symbols(SYMBOLS)
    backfill.watch(SYMBOLS)
    backfill.focus("9988.HK")
    tasks = [asyncio.create_task(pipeline.run()), asyncio.create_task(backfill.run())]
    try:
        yield Desk(pipeline, backfill, writer, drawn, reported)
    finally:
        await stop_task(tasks[1])
        await pipeline.close()
        await stop_task(tasks[0])
        await asyncio.to_thread(writer.stop, 30)


async def sim_minutes(http: QuoteHttp, symbol: str) -> list[Bar]:
    """The simulator's own 1-minute bars of its day so far, less the newest (maybe still running)."""
    answer = await http.minute_bars(symbol)
    day = hk_date(answer.bars[-1].start)
    return [b for b in answer.bars[:-1] if hk_date(b.start) == day]


def stored_minutes(writer: BatchWriter, symbol: str, day_start: int, before: int) -> list[Bar]:
    return [
        b
        for b in bars_between(writer.engine, symbol, MINUTE, day_start, day_start + DAY * 1000)
        if b.start < before
    ]


def values(bars: list[Bar]) -> list[tuple]:
    return [(b.start, *(getattr(b, f) for f in PRICE_FIELDS)) for b in bars]


async def day_matches(http: QuoteHttp, writer: BatchWriter, symbol: str) -> bool:
    expected = await sim_minutes(http, symbol)
    if not expected:
        return False
    start = day_start_ms(hk_date(expected[0].start))
    got = await asyncio.to_thread(stored_minutes, writer, symbol, start, expected[-1].start + 60_000)
    return values(got) == values(expected)


async def wait_for_the_whole_day(http: QuoteHttp, d: Desk, timeout: float) -> None:
    async def all_match() -> bool:
        return all([await day_matches(http, d.writer, s) for s in SYMBOLS])

    deadline = asyncio.get_running_loop().time() + timeout
    while not d.writer.schema_ready:  # a new database: its tables come with the first commit
        await asyncio.sleep(0.05)
    while not await all_match():
        if asyncio.get_running_loop().time() > deadline:
            for symbol in SYMBOLS:
                expected = values(await sim_minutes(http, symbol))
                start = day_start_ms(hk_date(expected[0][0]))
                got = values(stored_minutes(d.writer, symbol, start, expected[-1][0] + 60_000))
                diff = [(e, g) for e, g in zip(expected, got, strict=False) if e != g][:3]
                print(symbol, len(expected), len(got), diff)
            raise AssertionError(f"the stored day did not become the simulator's within {timeout} s")
        await asyncio.sleep(0.5)


def checker(url: str) -> QuoteHttp:
    return QuoteHttp(url, "t", limits=HTTP_LIMITS["professional"])


async def test_a_late_start_stores_the_whole_day_from_the_open(db_url, tmp_path):
    # 11:00 at ten times the wall clock: a simulated minute lasts 6 s
    with start_simulator_process(["--start", "11:00", "--speed", "10", "--request-spacing", "0.05"]) as sim:
        async with desk(sim.ws_url, db_url, tmp_path / "spill") as d:
            http = checker(sim.ws_url)
            # the focused symbol's morning is there at once, from the first minute of the day
            await wait_until(lambda: "9988.HK" in d.drawn, timeout=30, what="the focused symbol's day")
            first = (await http.minute_bars("9988.HK")).bars
            assert d.drawn["9988.HK"][0].start == first[0].start
            assert hk_date(first[0].start) == hk_date(first[-1].start)
            # the minute the stream started in holds only part of our trades until the
            # provider's whole minute replaces it; then every minute is the simulator's
            await wait_until(lambda: d.pipeline.ticks_received > 0, timeout=30, what="live trades")
            started = d.pipeline.last_ts
            await wait_until(
                lambda: (d.pipeline.exchange_now() or 0) > started + 2 * 60_000,
                timeout=60,
                what="two minutes",
            )
            await wait_for_the_whole_day(http, d, timeout=60)
        engine = d.writer.engine
        day = day_start_ms(hk_date(started))
        for symbol in SYMBOLS:
            (first_trade,) = ticks_between(engine, symbol, day, day + DAY * 1000, limit=1)
            morning = bars_between(engine, symbol, MINUTE, day, bar_start(first_trade.ts, MINUTE))
            assert morning and all(b.provided for b in morning), "the morning came from the provider"
        live = bars_between(engine, "700.HK", MINUTE, started + 60_000, started + 120_000)
        assert live and not live[0].provided and live[0].trades > 0, "whole minutes of ours are kept"
        assert d.backfill.stats.current_calls > 0 and d.backfill.stats.errors == 0


async def test_a_gap_from_dropped_connections_is_filled_and_marked(sqlite_url, tmp_path):
    # 20x: a reconnect 7 s after each drop misses over two simulated minutes of trades
    args = ["--start", "10:00", "--speed", "20", "--request-spacing", "0.05", "--fault", "drop-every=10"]
    slow = Plan("test", symbols_per_connection=3000, connections=1, reconnect_spacing=7.0)
    with start_simulator_process(args) as sim:
        async with desk(sim.ws_url, sqlite_url, tmp_path / "spill", plan=slow) as d:
            await wait_until(lambda: len(d.gaps) >= len(SYMBOLS), timeout=60, what="a gap per symbol")
            await asyncio.to_thread(urllib.request.urlopen, f"{sim.control_url}/fault?clear=drop-every")
            wide = [g for g in d.gaps if g.end_ts - g.start_ts > 2 * 60_000]
            assert wide, d.gaps
            await wait_until(
                lambda: d.backfill.stats.gaps_filled >= len(d.gaps), timeout=60, what="gaps filled"
            )
            await wait_for_the_whole_day(checker(sim.ws_url), d, timeout=60)
        stored = gaps_between(d.writer.engine, None, 0, 2**62)
        reconnects = [g for g in stored if g.reason == "reconnect"]
        assert len(reconnects) == len(d.gaps)
        assert all(g.filled_at > 0 for g in reconnects)
        gap = wide[0]
        inside = bars_between(d.writer.engine, gap.symbol, MINUTE, gap.start_ts + 60_000, gap.end_ts - 60_000)
        assert inside and all(b.provided for b in inside)


async def test_a_restart_fills_the_time_the_app_was_closed_and_records_it(sqlite_url, tmp_path):
    with start_simulator_process(["--start", "10:00", "--speed", "20", "--request-spacing", "0.05"]) as sim:
        http = checker(sim.ws_url)
        async with desk(sim.ws_url, sqlite_url, tmp_path / "spill") as d:
            await wait_until(lambda: d.pipeline.ticks_received > 0, timeout=30, what="live trades")
            await wait_for_the_whole_day(http, d, timeout=60)
            closed_at = d.pipeline.exchange_now() or 0
        # the app is closed for some simulated minutes while the market goes on
        await wait_until(
            lambda: sim_time_past(sim.control_url, closed_at + 3 * 60_000), timeout=30, what="time"
        )
        async with desk(sim.ws_url, sqlite_url, tmp_path / "spill") as again:
            await wait_until(
                lambda: again.backfill.stats.missed_spans >= len(SYMBOLS), timeout=30, what="spans"
            )
            await wait_for_the_whole_day(http, again, timeout=60)
        closed = [g for g in gaps_between(again.writer.engine, None, 0, 2**62) if g.reason == "closed"]
        assert {g.symbol for g in closed} == set(SYMBOLS)
        assert all(g.filled_at > 0 and g.start_ts <= closed_at + 60_000 <= g.end_ts for g in closed), closed


def sim_time_past(control_url: str, ts_ms: int) -> bool:
    with urllib.request.urlopen(f"{control_url}/status") as answer:
        now = datetime.fromisoformat(json.load(answer)["now"])
    return now.timestamp() * 1000 > ts_ms
