"""The whole day at once: an app started at 14:00 on an empty database, 100 symbols, the basic plan.

The simulator runs in its own process at 14:00 on the basic plan's HTTP limits (``--plan basic``:
``/kline`` once a second, ``/batch-kline`` once in 3 s with 100 items), with 100 stocks (the
shipped 90 and synthetic ones). Headless, the way the app starts: a new SQLite database and
writer, the pipeline subscribing the 100 symbols, the backfill engine with the selected symbol
(Tencent) in focus, and the previous closes of the list asked for at once. Two figures from the
moment everything is built:

* until the previous close of every symbol is known (what the change columns wait for);
* until the selected symbol's minute bars from the open are committed to the database (what
  the chart from 09:30 waits for).

Baseline for the first: the previous client's way, one ``/kline`` call per symbol at the plan's
pace (measured on the whole list in full mode, on 5 symbols in quick mode, where the ratio is
left out). The chart had no baseline: before the backfill it began when the app started.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.report import Result
from bench.scenarios.window import watchlist_symbols, write_universe
from hkdesk.backfill import Backfill
from hkdesk.domain.bars import DAY, MINUTE
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.types import Bar
from hkdesk.feed.plans import BASIC
from hkdesk.feed.task_stop import stop_task
from hkdesk.pipeline import Pipeline
from hkdesk.sim.process import SimProcess, start_simulator_process
from hkdesk.sources.upstream import Upstream
from hkdesk.store.history import bars_between
from hkdesk.store.writer import BatchWriter

SELECTED = "700.HK"


def _day_start(ts_ms: int) -> int:
    day = datetime.fromtimestamp(ts_ms / 1000, HK_TZ).date()
    return int(datetime(day.year, day.month, day.day, tzinfo=HK_TZ).timestamp() * 1000)


def _open_ms(ts_ms: int) -> int:
    return _day_start(ts_ms) + (9 * 60 + 30) * 60_000


async def start_up(sim: SimProcess, symbols: list[str], work: Path, token: str) -> dict[str, float]:
    """One start: seconds to all previous closes and to the selected symbol's stored morning."""
    started = time.perf_counter()
    writer = BatchWriter(f"sqlite:///{work / 'app.db'}", spill_dir=work / "spill")
    writer.start()
    upstream = Upstream("simulator", sim.ws_url, token, BASIC, simulated=True)
    http = upstream.http()
    filled: dict[str, list[Bar]] = {}
    backfill = Backfill(
        http,
        writer,
        lambda: pipeline.exchange_now(),
        live_since=lambda: pipeline.first_ts,
        on_bars=lambda symbol, bars: filled.setdefault(symbol, bars),
    )
    pipeline = Pipeline(upstream, writer=writer, on_gap=backfill.gap_reported)
    pipeline.feed.set_symbols(symbols)
    backfill.watch(symbols)
    backfill.focus(SELECTED)
    tasks = [asyncio.create_task(pipeline.run()), asyncio.create_task(backfill.run())]
    try:
        closes = await http.previous_closes(symbols)
        closes_s = time.perf_counter() - started
        if len(closes) != len(symbols):
            raise RuntimeError(f"previous closes of {len(closes)} of {len(symbols)} symbols")
        bars = await asyncio.wait_for(_stored_morning(writer, filled), 120)
        chart_s = time.perf_counter() - started
    finally:
        await stop_task(tasks[1])
        await pipeline.close()
        await stop_task(tasks[0])
        await asyncio.to_thread(writer.stop, 30)
    first = datetime.fromtimestamp(bars[0].start / 1000, HK_TZ)
    return {
        "closes_s": closes_s,
        "chart_s": chart_s,
        "batch_calls": float(http.transport.calls["/batch-kline"]),
        "morning_bars": float(len(bars)),
        "first_bar": first.hour * 100 + first.minute,
    }


async def _stored_morning(writer: BatchWriter, filled: dict[str, list[Bar]]) -> list[Bar]:
    """Wait until the selected symbol's filled minutes, from the open, are in the database."""
    while SELECTED not in filled:
        await asyncio.sleep(0.005)
    wanted = {b.start for b in filled[SELECTED]}
    first = min(wanted)
    if first > _open_ms(first):
        raise RuntimeError("the fill does not reach back to the open")
    day = _day_start(first)
    while not writer.schema_ready:  # a new database: its tables come with the first commit
        await asyncio.sleep(0.005)
    while True:
        bars = await asyncio.to_thread(bars_between, writer.engine, SELECTED, MINUTE, day, day + DAY * 1000)
        if wanted <= {b.start for b in bars}:
            return bars
        await asyncio.sleep(0.005)


async def one_by_one(sim: SimProcess, symbols: list[str], token: str) -> float:
    """The previous client's way: the daily K-lines of one symbol per ``/kline`` call."""
    http = Upstream("simulator", sim.ws_url, token, BASIC, simulated=True).http()
    started = time.perf_counter()
    for code in symbols:
        item = {
            "code": code,
            "kline_type": 8,
            "kline_timestamp_end": 0,
            "query_kline_num": 2,
            "adjust_type": 0,
        }
        await http.transport.get("/kline", item)
    return time.perf_counter() - started


def run(quick: bool) -> list[Result]:
    rounds = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="hkdesk-bench-backfill-") as tmp:
        work = Path(tmp)
        universe = write_universe(work / "universe.csv", 100)
        symbols = watchlist_symbols(universe, 100)
        args = ["--symbols-file", str(work / "universe.csv"), "--plan", "basic", "--start", "14:00"]
        with start_simulator_process(args) as sim:
            runs = []
            for n in range(rounds):
                (work / f"round-{n}").mkdir()
                # a token of its own per round: the plan's call windows are counted per token
                runs.append(asyncio.run(start_up(sim, symbols, work / f"round-{n}", f"bench-{n}")))
            sample = symbols if not quick else symbols[:5]
            baseline = asyncio.run(one_by_one(sim, sample, "bench-baseline"))
    closes = statistics.median(r["closes_s"] for r in runs)
    chart = statistics.median(r["chart_s"] for r in runs)
    last = runs[-1]
    notes = {
        "rounds": rounds,
        "closes s (each)": " / ".join(f"{r['closes_s']:.2f}" for r in runs),
        "chart s (each)": " / ".join(f"{r['chart_s']:.2f}" for r in runs),
        "/batch-kline calls": int(last["batch_calls"]),
        "day bars stored before the start": int(last["morning_bars"]),
        "first bar": f"{int(last['first_bar']) // 100:02d}:{int(last['first_bar']) % 100:02d}",
    }
    return [
        Result(
            name="start at 14:00, 100 symbols, basic plan: previous close of every symbol",
            unit="s",
            baseline=None if quick else baseline,
            hkdesk=closes,
            baseline_label=f"one /kline per symbol ({len(sample)} symbols: {baseline:.1f} s)",
            lower_is_better=True,
            target="≤ 2 s",
            extra=notes,
        ),
        Result(
            name="start at 14:00, 100 symbols, basic plan: selected symbol's bars from the open stored",
            unit="s",
            baseline=None,
            hkdesk=chart,
            baseline_label="none: the chart began at the start",
            lower_is_better=True,
            target="≤ 3 s",
        ),
    ]
