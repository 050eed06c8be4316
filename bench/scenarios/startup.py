"""Start-up: process start to the first painted quote, cold and with a day of history.

The app runs as a child process (``python -m hkdesk --startup-probe``, see
hkdesk/desktop/startup_probe.py) against a simulator that is already running, the way AllTick is
already up when a user starts the app. The probe prints ``time.monotonic()`` (one clock for
every process on the machine) at the first watchlist paint that shows a last price, and when
the chart holds the selected symbol's stored day; the parent took its own reading just before
``Popen``. Cold: an empty database and config folder. With
history: a database holding one trading day of trades for the watchlist, written beforehand
with the app's ``BatchWriter``, so the app restores day figures and loads the chart from it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path

import numpy as np

from bench.report import Result
from hkdesk.desktop.startup_probe import CHART_READY, FIRST_QUOTE
from hkdesk.domain.sessions import HK_TZ, hk_now
from hkdesk.domain.symbols import default_universe
from hkdesk.domain.types import Tick
from hkdesk.sim.clock import latest_trading_day
from hkdesk.sim.process import start_simulator_process
from hkdesk.store.writer import BatchWriter
from hkdesk.watchlist_file import DEFAULT_LISTS

WATCHLIST = DEFAULT_LISTS["HSI Core"]
ROOT = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------ the history
def day_of_ticks(symbol: str, n: int, seq0: int = 1) -> list[Tick]:
    """``n`` trades of ``symbol`` spread over the simulator's trading day, a random walk on 0.1 %."""
    info = default_universe()[symbol]
    day = latest_trading_day(hk_now().date())
    start = int(datetime.combine(day, dtime(9, 30), HK_TZ).timestamp() * 1000)
    end = int(datetime.combine(day, dtime(16, 0), HK_TZ).timestamp() * 1000)
    rng = np.random.default_rng(abs(hash(symbol)) % 2**32)
    ts = np.sort(rng.integers(start, end, n))
    base = float(info.approx_price)
    prices = np.round(base * np.exp(np.cumsum(rng.normal(0, 0.001, n))), 2)
    lots = rng.integers(1, 20, n) * info.lot_size
    out = []
    for i in range(n):
        price = Decimal(f"{prices[i]:.2f}")
        volume = Decimal(int(lots[i]))
        out.append(Tick(symbol, seq0 + i, int(ts[i]), price, volume, price * volume, 1 + i % 2))
    return out


def fill_history(db_url: str, spill: Path, per_symbol: int) -> int:
    """One trading day of trades for every watchlist symbol, through the app's writer."""
    writer = BatchWriter(db_url, spill_dir=spill)
    writer.start()
    total = 0
    for sym in WATCHLIST:
        ticks = day_of_ticks(sym, per_symbol)
        for i in range(0, len(ticks), 5000):
            writer.put_ticks(ticks[i : i + 5000])
        total += len(ticks)
    writer.stop(300)
    stored = writer.stats().stored_total
    writer.engine.dispose()
    return stored


# ------------------------------------------------------------------ parent side
def launch(
    sim_url: str, work: Path, db_url: str, expect_chart: int = 0, timeout: float = 60.0
) -> dict[str, float]:
    """Start the app; seconds from just before ``Popen`` to each probe line."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    args = [
        sys.executable, "-m", "hkdesk", "--startup-probe", "--probe-chart-ticks", str(expect_chart),
        "--url", sim_url, "--token", "bench-token", "--db", db_url,
        "--config-dir", str(work / "cfg"), "--symbols", ",".join(WATCHLIST),
    ]  # fmt: skip
    started = time.monotonic()
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise RuntimeError(f"the app did not finish within {timeout} s: {err[-1500:]}") from None
    marks: dict[str, float] = {}
    for line in out.splitlines():
        name, _, value = line.partition(" ")
        if name in (FIRST_QUOTE, CHART_READY):
            marks[name] = float(value.split()[0]) - started
    if proc.returncode != 0 or FIRST_QUOTE not in marks:
        raise RuntimeError(f"the app exited {proc.returncode} without a painted quote: {err[-1500:]}")
    return marks


def run(quick: bool) -> list[Result]:
    per_symbol = 1_000 if quick else 25_000
    repeats = 1 if quick else 3
    with (
        tempfile.TemporaryDirectory(prefix="hkdesk-bench-startup-") as tmp_name,
        start_simulator_process(["--seed", "7", "--request-spacing", "0.02"]) as sim,
    ):
        tmp = Path(tmp_name)
        history_db = f"sqlite:///{tmp / 'history.db'}"
        stored = fill_history(history_db, tmp / "spill", per_symbol)
        cold, warm = [], []
        for i in range(repeats):
            cold.append(launch(sim.ws_url, tmp / f"cold{i}", f"sqlite:///{tmp / f'cold{i}.db'}"))
            warm.append(launch(sim.ws_url, tmp / f"warm{i}", history_db, expect_chart=per_symbol))
    cold_s = statistics.median(m[FIRST_QUOTE] for m in cold)
    warm_s = statistics.median(m[FIRST_QUOTE] for m in warm)
    chart = [m[CHART_READY] for m in warm if CHART_READY in m]
    return [
        Result(
            name="start-up to first painted quote: cold vs a day of history",
            unit="s",
            baseline=cold_s,
            hkdesk=warm_s,
            baseline_label="cold, empty database",
            lower_is_better=True,
            target="≤ 2 s with history",
            extra={
                "history_rows": stored,
                "watchlist": len(WATCHLIST),
                "history_chart_ready_s": statistics.median(chart) if chart else "not reached",
                "runs": repeats,
                "feed": "simulator already running (as AllTick would be)",
            },
        )
    ]
