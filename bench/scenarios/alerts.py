"""The cost of alerts to the window: 1,000 alerts over 500 symbols while the simulator bursts.

The real main window runs offscreen on 500 symbols at 20,000 trades a second (as in the window
scenario), in sessions that alternate without and with alerts against the same simulator, so
both sides see the same machine in the same run. The alerts are stored in the session's
``alerts.db`` before the window opens and judged exactly as in the app: the pipeline queues every
live batch for the alert service's pump, which judges it on its worker thread a slice at a time,
and firings go to the alert log from the recorder's worker thread and on to the window (row
marks, notifications).

The alerts: two per symbol, the six kinds in turn, set around each symbol's reference price
(above/below ±2 %, change ±2 %, a 1 % move within 5 minutes, 3× the volume within 5 minutes),
re-arming after 5 minutes, so some fire during the run and most do not.

Reported: event-loop lag p99 (a 10 ms timer's lateness) without and with alerts, the median of
the rounds of each (seven of each, alternating: loop-lag percentiles move by several milliseconds
between sessions on a shared machine); and the evaluator's own CPU time, measured around each
call on the worker's CPU clock: its share of the run, its cost per trade, and per slice (p99 and
max: the longest the worker holds the GIL and the evaluator's lock at a time).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path

from bench.report import Result
from bench.scenarios.window import (
    SIM_ARGS,
    LagProbe,
    acontrol,
    desk_options,
    drain,
    percentiles,
    quiet_logging,
    run_on_qt_loop,
    ticks_received,
    watchlist_symbols,
    write_universe,
)
from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.alerts.model import Alert, Kind
from hkdesk.alerts.store import AlertStore
from hkdesk.desktop.desk import Desk
from hkdesk.domain.symbols import load_universe
from hkdesk.sim.process import SimProcess, start_simulator_process
from tests.support.timings import WINDOW, WINDOW_PLAN
from tests.support.waits import wait_until

_KINDS = list(Kind)


def make_alerts(symbols: list[str], prices: dict[str, Decimal], count: int) -> list[Alert]:
    """``count`` alerts spread evenly over ``symbols``, the six kinds in turn (ids: the store's)."""
    out = []
    for i in range(count):
        symbol = symbols[i % len(symbols)]
        kind = _KINDS[i % len(_KINDS)]
        price = prices[symbol]
        value, minutes = {
            Kind.ABOVE: ((price * Decimal("1.02")).quantize(Decimal("0.001")), None),
            Kind.BELOW: ((price * Decimal("0.98")).quantize(Decimal("0.001")), None),
            Kind.CHANGE_ABOVE: (Decimal(2), None),
            Kind.CHANGE_BELOW: (Decimal(-2), None),
            Kind.MOVE: (Decimal(1), 5),
            Kind.VOLUME_SURGE: (Decimal(3), 5),
        }[kind]
        out.append(Alert(symbol, kind, value, minutes, cooldown_minutes=5))
    return out


#: One slice in this many is timed: reading a thread's CPU clock is a system call, which on
#: this kind of VM costs more than judging a slice (timing every slice doubled the loop's cost).
SAMPLE_EVERY = 8


class TimedEvaluator(AlertEvaluator):
    """One slice in :data:`SAMPLE_EVERY` it judges is timed on this thread's CPU clock, so time
    spent waiting for the GIL (the writer thread) or for a core (other processes) is not counted
    as its own."""

    def __init__(self, alerts: list[Alert]) -> None:
        super().__init__(alerts)
        #: (trades, CPU seconds) of each timed slice judged while ``measuring``.
        self.slices: list[tuple[int, float]] = []
        #: Slices judged while ``measuring``, timed or not.
        self.calls = 0
        self.measuring = False

    def evaluate(self, ticks):
        if not self.measuring:
            return super().evaluate(ticks)
        self.calls += 1
        if self.calls % SAMPLE_EVERY:
            return super().evaluate(ticks)
        began = time.thread_time()
        events = super().evaluate(ticks)
        self.slices.append((len(ticks), time.thread_time() - began))
        return events


@dataclass
class Round:
    with_alerts: bool
    lag_p99: float
    lag_p50: float
    seconds: float
    received: int
    slices: list[tuple[int, float]] = field(default_factory=list)
    calls: int = 0
    batches: list[int] = field(default_factory=list)
    fired: int = 0


async def session(
    sim: SimProcess, tmp: Path, symbols: list[str], alerts: list[Alert], rate: int, seconds: float
) -> Round:
    """Open the window on ``symbols`` (with ``alerts`` judged when given), burst, measure, close."""
    work = Path(tempfile.mkdtemp(prefix="alerts-" if alerts else "plain-", dir=tmp))
    await acontrol(sim, "fault", clear="")
    await acontrol(sim, "sent/reset")
    (work / "cfg").mkdir(parents=True)
    store = AlertStore.in_folder(work / "cfg")
    store.add(alerts)
    store.close()
    desk = Desk(
        desk_options(work / "cfg", f"sqlite:///{work / 'w.db'}", sim, symbols),
        timings=WINDOW,
        plan=WINDOW_PLAN,
    )
    service = desk.alerts
    evaluator = service.pump.evaluator = TimedEvaluator([])
    fired: list[int] = []
    service.fired.connect(lambda events: fired.append(len(events)))
    batches: list[int] = []
    put = service.pump.put

    def counted(ticks) -> None:
        if evaluator.measuring:
            batches.append(len(ticks))
        put(ticks)

    service.pump.put = counted  # type: ignore[method-assign]
    lag = LagProbe()
    with quiet_logging():
        await desk.open()
        try:
            await wait_until(lambda: desk.market.link()[0] == "Live", 20, "a live feed")
            await wait_until(lambda: ticks_received(desk) > 0, 20, "the first trades")
            await acontrol(sim, "fault", burst=str(rate))
            await asyncio.sleep(0.5)
            ticks0 = ticks_received(desk)
            evaluator.measuring = True
            began = time.perf_counter()
            lag.start()
            await asyncio.sleep(seconds)
            lag.stop()
            elapsed = time.perf_counter() - began
            p50, p99, _ = percentiles(lag.late_ms)
            result = Round(bool(alerts), p99, p50, elapsed, ticks_received(desk) - ticks0)
            evaluator.measuring = False
            result.slices, result.calls, result.fired = evaluator.slices, evaluator.calls, sum(fired)
            result.batches = batches if alerts else []
            await drain(desk, sim, timeout=30)
        finally:
            await desk.close()
            await acontrol(sim, "fault", clear="")
    return result


def rows(rounds: list[Round], symbols: int, alerts: int, rate: int) -> list[Result]:
    plain = [r for r in rounds if not r.with_alerts]
    judged = [r for r in rounds if r.with_alerts]
    base = statistics.median(r.lag_p99 for r in plain)
    ours = statistics.median(r.lag_p99 for r in judged)
    slices = [s for r in judged for s in r.slices]
    cpu = sum(s for _, s in slices)
    sampled = len(slices) / max(1, sum(r.calls for r in judged))
    share = cpu / max(sampled, 1e-9) / sum(r.seconds for r in judged)
    per_tick_us = 1e6 * cpu / max(1, sum(n for n, _ in slices))
    _, slice_p99, slice_max = percentiles(1000 * s for _, s in slices)
    sizes = [n for r in judged for n in r.batches]
    where = f"{alerts:,} alerts over {symbols} symbols @ {rate:,} ticks/s"
    extra = {
        "lag_p99_added_ms": ours - base,
        # each session with alerts against the one without just before it: slower drifts of a
        # shared machine cancel out
        "lag_p99_added_paired_median_ms": statistics.median(
            j.lag_p99 - p.lag_p99 for p, j in zip(plain, judged, strict=False)
        ),
        "rounds_without_p99_ms": ", ".join(f"{r.lag_p99:.1f}" for r in plain),
        "rounds_with_p99_ms": ", ".join(f"{r.lag_p99:.1f}" for r in judged),
        "evaluator_cpu_share_pct": 100 * share,
        "evaluator_cpu_us_per_tick": per_tick_us,
        "evaluator_slice_p99_ms": slice_p99,
        "evaluator_slice_max_ms": slice_max,
        "feed_batch_ticks_mean": statistics.mean(sizes) if sizes else 0.0,
        "feed_batch_ticks_max": max(sizes, default=0),
        "ticks_per_s": statistics.median(r.received / r.seconds for r in judged),
        "alerts_fired": sum(r.fired for r in judged),
    }
    return [
        Result(
            name=f"window with {where}: event-loop lag p99",
            unit="ms",
            baseline=base,
            hkdesk=ours,
            baseline_label="same window, no alerts",
            lower_is_better=True,
            target="≤ +1 ms",
            extra=extra,
        )
    ]


def run(quick: bool) -> list[Result]:
    symbols_n, alerts_n, rate = (80, 160, 5_000) if quick else (500, 1_000, 20_000)
    rounds_n, seconds = (1, 1.2) if quick else (7, 6.0)
    with tempfile.TemporaryDirectory(prefix="hkdesk-bench-alerts-") as tmp_name:
        tmp = Path(tmp_name)
        universe_csv = tmp / "universe.csv"
        universe = write_universe(universe_csv, symbols_n + 10)
        symbols = watchlist_symbols(universe, symbols_n)
        prices = {s: info.approx_price for s, info in load_universe(universe_csv).items()}
        alerts = make_alerts(symbols, prices, alerts_n)
        extra_args = [] if symbols_n <= 90 else ["--symbols-file", str(universe_csv)]
        rounds = []
        with start_simulator_process([*SIM_ARGS, *extra_args]) as sim:
            for _ in range(rounds_n):
                for judged in ([], alerts):
                    rounds.append(run_on_qt_loop(partial(session, sim, tmp, symbols, judged, rate, seconds)))
    return rows(rounds, symbols_n, alerts_n, rate)
