"""The cost of alerts to the window: 1,000 alerts over 500 symbols while the simulator bursts.

The real main window runs offscreen on 500 symbols at 20,000 trades a second (as in the window
scenario). The alerts are stored in the session's
``alerts.db`` before the window opens and judged exactly as in the app: the pipeline queues every
live batch for the alert service's pump, which judges it on its worker thread a slice at a time,
and firings go to the alert log from the recorder's worker thread and on to the window (row
marks, notifications). ``HKDESK_BENCH_JUDGE=thread`` judges them on a worker thread of the app
instead (the fallback when the judge process cannot run), for comparison.

The alerts: two per symbol, the six kinds in turn, set around each symbol's reference price
(above/below ±2 %, change ±2 %, a 1 % move within 5 minutes, 3× the volume within 5 minutes),
re-arming after 5 minutes, so some fire during the run and most do not.

Measured within each session: the pump is fed in alternating half-second phases, judging every
live batch in one and none in the next, and each tick of the 10 ms lag probe counts towards the
phase it fell in (the first 50 ms after a switch, where the other phase's work may spill over,
count towards neither). Loop-lag percentiles move by several milliseconds between sessions on a
shared machine, and by tens of milliseconds between minutes on a noisy one; phases half a second
apart share the machine's state, so the difference is what judging costs the loop.

Reported: event-loop lag p99 of the phases without and with judging, pooled over the sessions
(seven), and each session's difference (and the p50 and p90 differences, steadier than the
p99's); and what judging costs in CPU per trade judged: the judge process's (decoding and
judging), and the app's thread that takes the interpreter lock for it, which is what can hold up
the window's loop: the sender turning batches into bytes, or, judged in the app, the pump's
worker judging them (both read from the kernel's per-thread CPU times).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path

import psutil

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


def thread_cpu(native_id: int | None) -> float:
    """CPU seconds a thread of this process has used so far (0 if it is not running)."""
    for thread in psutil.Process().threads():
        if thread.id == native_id:
            return thread.user_time + thread.system_time
    return 0.0


#: How long each phase (judging, or not) lasts, and how much of its start counts for neither.
PHASE_S = 0.5
SETTLE_S = 0.05


class PhasedLagProbe(LagProbe):
    """The lag probe, each lateness kept with the phase it fell in (``phase`` None: kept out)."""

    def __init__(self) -> None:
        super().__init__()
        self.phase: bool | None = None
        self.by_phase: dict[bool, list[float]] = {False: [], True: []}

    def _beat(self) -> None:
        super()._beat()
        if self.phase is not None:
            self.by_phase[self.phase].append(self.late_ms[-1])


@dataclass
class Round:
    lag_off: list[float]
    lag_on: list[float]
    seconds_on: float
    received_on: int
    batches: list[int] = field(default_factory=list)
    fired: int = 0
    #: CPU seconds over the whole measured stretch (both phases): the judge process's, and the
    #: app's thread working for it (the sender, or in the app the pump's worker).
    judge_cpu_s: float = 0.0
    app_cpu_s: float = 0.0
    #: Batches the app sent as their feed's frames, and batches it encoded.
    forwarded: int = 0
    encoded: int = 0

    @property
    def added_p99(self) -> float:
        return percentiles(self.lag_on)[1] - percentiles(self.lag_off)[1]

    @property
    def added_p50(self) -> float:
        return percentiles(self.lag_on)[0] - percentiles(self.lag_off)[0]


async def alternate(gate: dict[str, bool], probe: PhasedLagProbe, seconds: float) -> float:
    """Switch judging off and on every :data:`PHASE_S` for ``seconds``; returns the time it was on."""
    on, time_on = False, 0.0
    end = time.perf_counter() + seconds
    while (now := time.perf_counter()) < end:
        on = not on
        gate["on"], probe.phase = on, None
        await asyncio.sleep(SETTLE_S)
        probe.phase = on
        await asyncio.sleep(PHASE_S - SETTLE_S)
        if on:
            time_on += time.perf_counter() - now
    gate["on"], probe.phase = True, None
    return time_on


async def session(
    sim: SimProcess, tmp: Path, symbols: list[str], alerts: list[Alert], rate: int, seconds: float
) -> Round:
    """Open the window on ``symbols`` with ``alerts``, burst, measure the phases, close."""
    work = Path(tempfile.mkdtemp(prefix="alerts-", dir=tmp))
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
    if os.environ.get("HKDESK_BENCH_JUDGE") == "thread":
        service.pump.command = [sys.executable, "-c", "raise SystemExit(3)"]  # so it judges in the app
    judge = service.pump
    measuring = [False]
    fired: list[int] = []
    service.fired.connect(lambda events: fired.append(len(events)))
    batches: list[int] = []
    received_on = [0]
    put = service.pump.put
    gate = {"on": True}

    def gated(ticks) -> None:
        if not gate["on"]:
            return
        if measuring[0]:
            batches.append(len(ticks))
            received_on[0] += len(ticks)
        put(ticks)

    service.pump.put = gated  # type: ignore[method-assign]
    lag = PhasedLagProbe()
    with quiet_logging():
        await desk.open()
        try:
            await wait_until(lambda: desk.market.link()[0] == "Live", 20, "a live feed")
            await wait_until(lambda: ticks_received(desk) > 0, 20, "the first trades")
            await acontrol(sim, "fault", burst=str(rate))
            await asyncio.sleep(0.5)
            judge.flush()
            worker = judge._fallback._thread if judge._fallback else (judge._threads or [None])[0]
            app_thread = worker.native_id if worker is not None else None
            judge_cpu, app_cpu = judge.judge_cpu_s, thread_cpu(app_thread)
            measuring[0] = True
            lag.start()
            seconds_on = await alternate(gate, lag, seconds)
            lag.stop()
            measuring[0] = False
            judge.flush()
            result = Round(lag.by_phase[False], lag.by_phase[True], seconds_on, received_on[0])
            result.judge_cpu_s = judge.judge_cpu_s - judge_cpu
            result.app_cpu_s = thread_cpu(app_thread) - app_cpu
            result.forwarded, result.encoded = judge.reads_forwarded, judge.batches_encoded
            result.fired, result.batches = sum(fired), batches
            await drain(desk, sim, timeout=30)
        finally:
            await desk.close()
            await acontrol(sim, "fault", clear="")
    return result


def rows(rounds: list[Round], symbols: int, alerts: int, rate: int) -> list[Result]:
    _, base, _ = percentiles(x for r in rounds for x in r.lag_off)
    _, ours, _ = percentiles(x for r in rounds for x in r.lag_on)
    judged = max(1, sum(r.received_on for r in rounds))
    p90_off = _quantile([x for r in rounds for x in r.lag_off], 0.9)
    p90_on = _quantile([x for r in rounds for x in r.lag_on], 0.9)
    sizes = [n for r in rounds for n in r.batches]
    where = f"{alerts:,} alerts over {symbols} symbols @ {rate:,} ticks/s"
    extra = {
        "lag_p99_added_ms": ours - base,
        "lag_p99_added_per_session_ms": ", ".join(f"{r.added_p99:+.1f}" for r in rounds),
        "lag_p99_added_session_median_ms": statistics.median(r.added_p99 for r in rounds),
        "lag_p50_off_on_ms": f"{percentiles(x for r in rounds for x in r.lag_off)[0]:.2f} / "
        f"{percentiles(x for r in rounds for x in r.lag_on)[0]:.2f}",
        "lag_p50_added_session_median_ms": statistics.median(r.added_p50 for r in rounds),
        "lag_p90_added_ms": p90_on - p90_off,
        "lag_samples_off_on": f"{sum(len(r.lag_off) for r in rounds)} / {sum(len(r.lag_on) for r in rounds)}",
        "judged_in": os.environ.get("HKDESK_BENCH_JUDGE") or "process",
        "judge_cpu_us_per_tick": 1e6 * sum(r.judge_cpu_s for r in rounds) / judged,
        "app_thread_cpu_us_per_tick": 1e6 * sum(r.app_cpu_s for r in rounds) / judged,
        "feed_batch_ticks_mean": statistics.mean(sizes) if sizes else 0.0,
        "feed_batch_ticks_max": max(sizes, default=0),
        "ticks_per_s_judged": sum(r.received_on for r in rounds)
        / max(1e-9, sum(r.seconds_on for r in rounds)),
        "alerts_fired": sum(r.fired for r in rounds),
        "batches_as_frames_of_all": f"{sum(r.forwarded for r in rounds)} of "
        f"{sum(r.forwarded + r.encoded for r in rounds)}",
    }
    return [
        Result(
            name=f"window with {where}: event-loop lag p99",
            unit="ms",
            baseline=base,
            hkdesk=ours,
            baseline_label="same sessions, phases not judged",
            lower_is_better=True,
            target="≤ +1 ms",
            extra=extra,
        )
    ]


def run(quick: bool) -> list[Result]:
    symbols_n, alerts_n, rate = (80, 160, 5_000) if quick else (500, 1_000, 20_000)
    rounds_n, seconds = (1, 2.0) if quick else (7, 8.0)
    with tempfile.TemporaryDirectory(prefix="hkdesk-bench-alerts-") as tmp_name:
        tmp = Path(tmp_name)
        universe_csv = tmp / "universe.csv"
        universe = write_universe(universe_csv, symbols_n + 10)
        symbols = watchlist_symbols(universe, symbols_n)
        prices = {s: info.approx_price for s, info in load_universe(universe_csv).items()}
        alerts = make_alerts(symbols, prices, alerts_n)
        extra_args = [] if symbols_n <= 90 else ["--symbols-file", str(universe_csv)]
        with start_simulator_process([*SIM_ARGS, *extra_args]) as sim:
            rounds = [
                run_on_qt_loop(partial(session, sim, tmp, symbols, alerts, rate, seconds))
                for _ in range(rounds_n)
            ]
    return rows(rounds, symbols_n, alerts_n, rate)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")
