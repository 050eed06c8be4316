"""The window under load: the real main window, offscreen, while the simulator bursts.

Two designs of the watchlist model run in the same invocation against the same simulator:

* hkdesk: the app as shipped. Ticks only update the quote hub; a 30 Hz frame timer hands the
  model the changed symbols, which emits one ranged ``dataChanged`` per visible block.
* per-tick (the baseline): the same window and model, but the model is refreshed on every
  tick (one ``dataChanged`` per trade, every row, no frame coalescing), the way a model
  wired straight to the feed callback behaves. Chart, depth and tape stay as shipped, so the
  difference is what coalescing the watchlist buys.

Measured per tick rate: event-loop lag (lateness of a 10 ms precise ``QTimer``), tick-to-model
latency (the trade's exchange timestamp to the moment the model announces the new value, with
the simulator's clock offset taken from the quietest tick seen), watchlist repaints per second,
this process's CPU (all threads), and at the end the ticks the simulator sent vs rows stored.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import json
import logging
import os
import resource
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import qasync
from PySide6.QtCore import QEvent, QMessageLogContext, QObject, Qt, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from bench.report import Result
from hkdesk.desktop.desk import Desk
from hkdesk.domain.freshness import Origin
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.symbols import default_symbols_file
from hkdesk.sim.process import SimProcess, start_simulator_process
from hkdesk.store.engine import make_engine
from hkdesk.store.history import count_ticks
from hkdesk.ui import main_window
from hkdesk.ui.watchlist_model import WatchlistModel
from tests.support.timings import WINDOW, WINDOW_PLAN
from tests.support.waits import wait_until

T = TypeVar("T")

SIM_ARGS = ["--request-spacing", "0.02", "--seed", "7", "--heartbeat-timeout", "30"]
LAG_INTERVAL_S = 0.010
SYNTHETIC_FROM = 20001


# ------------------------------------------------------------------ Qt loop and simulator helpers
def _qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if "propagateSizeHints" not in message:  # the offscreen platform's harmless notice
        print(message, file=sys.stderr)


def qt_app() -> QApplication:
    """The process's QApplication (offscreen unless a platform was chosen)."""
    if QApplication.instance() is None:
        qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    return app


def run_on_qt_loop(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine on a fresh qasync loop (the loop the app uses) and close it afterwards."""
    loop = qasync.QEventLoop(qt_app(), already_running=False)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(make())
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def write_universe(path: Path, stocks: int) -> list[str]:
    """A symbols CSV with the shipped stocks plus synthetic ones (codes 20001…), ``stocks`` in all.

    Synthetic rows get realistic lots and prices; returns the stock symbols in file order.
    """
    with open(default_symbols_file(), newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or ())
        rows = list(reader)
    rng = np.random.default_rng(5)
    code = SYNTHETIC_FROM
    while len(rows) < stocks:
        price = float(np.round(np.exp(rng.uniform(np.log(0.5), np.log(400))), 1))
        rows.append(
            {
                "code": f"{code:05d}",
                "name_en": f"BENCH CO {code}",
                "name_zh": f"測試{code}",
                "lot_size": str(int(rng.choice([100, 200, 400, 500, 1000, 2000]))),
                "approx_price": f"{max(price, 0.5):.1f}",
                "sector": str(rng.choice(["Industrials", "Consumer", "Technology", "Financials"])),
                "in_hsi": "0",
            }
        )
        code += 1
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return [f"{int(r['code'])}.HK" for r in rows]


def watchlist_symbols(universe: list[str], n: int) -> list[str]:
    """``n`` symbols with the busiest name (Tencent) first, so chart and depth open on it."""
    first = "700.HK"
    rest = [s for s in universe if s != first]
    return [first, *rest[: n - 1]]


def control(sim: SimProcess, name: str, **query: str) -> dict[str, Any]:
    url = f"{sim.control_url}/{name}"
    if query:
        url += "?" + urllib.parse.urlencode(query)
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.load(resp)


async def acontrol(sim: SimProcess, name: str, **query: str) -> dict[str, Any]:
    return await asyncio.to_thread(control, sim, name, **query)


def desk_options(config_dir: Path, db_url: str, sim: SimProcess, symbols: list[str]) -> argparse.Namespace:
    """The app's command-line options, pointing at ``sim`` as if it were AllTick."""
    return argparse.Namespace(
        quit_after=None,
        screenshot=None,
        db=db_url,
        url=sim.ws_url,
        token="bench-token",
        plan=None,
        config_dir=str(config_dir),
        symbols=",".join(symbols),
    )


@contextlib.contextmanager
def quiet_logging() -> Iterator[None]:
    """The desk raises the root logger to INFO for its log panel; a benchmark prints warnings only."""
    root = logging.getLogger()
    level = root.level
    handlers = [(h, h.level) for h in root.handlers]
    for h, lvl in handlers:
        h.setLevel(max(lvl, logging.WARNING))
    try:
        yield
    finally:
        root.setLevel(level)
        for h, lvl in handlers:
            h.setLevel(lvl)


def percentiles(values: Iterable[float]) -> tuple[float, float, float]:
    arr = np.fromiter(values, float)
    if not len(arr):
        return float("nan"), float("nan"), float("nan")
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 99)), float(arr.max())


# ------------------------------------------------------------------ the per-tick baseline
class PerTickHub(QuoteHub):
    """The app's quote hub that also tells a listener about every trade, as it arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.listener: Callable[[str], None] | None = None

    def apply_ticks(self, ticks: Iterable, origin: Origin = Origin.LIVE) -> None:
        listener = self.listener
        if listener is None:
            super().apply_ticks(ticks, origin)
            return
        for t in ticks:
            super().apply_ticks((t,), origin)
            listener(t.symbol)


class PerTickModel(WatchlistModel):
    """The watchlist model refreshed per trade: one update and ``dataChanged`` per tick, all rows."""

    def apply_frame(self, dirty, visible=None) -> int:
        return 0  # nothing is left for the frame timer: every tick was shown as it came

    def on_tick(self, symbol: str) -> None:
        WatchlistModel.apply_frame(self, (symbol,), None)


# ------------------------------------------------------------------ probes
class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


class LagProbe:
    """Lateness of a 10 ms precise timer: how long the event loop kept it waiting."""

    def __init__(self) -> None:
        self.late_ms: list[float] = []
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._beat)
        self._last = 0.0

    def _beat(self) -> None:
        now = time.perf_counter()
        self.late_ms.append(max(0.0, now - self._last - LAG_INTERVAL_S) * 1000)
        self._last = now

    def start(self) -> None:
        self.late_ms.clear()
        self._last = time.perf_counter()
        self._timer.start(int(LAG_INTERVAL_S * 1000))

    def stop(self) -> None:
        self._timer.stop()


class LatencyProbe:
    """Exchange time → model, sampled when the model announces a row's new value.

    ``offsets`` keeps ``received_at - ts`` of every sample: its minimum is the simulator clock's
    offset from ours plus the loopback transit, which is subtracted from every latency.
    """

    def __init__(self, model: WatchlistModel, hub: QuoteHub) -> None:
        self.model = model
        self.hub = hub
        self.samples: list[tuple[float, float]] = []  # (now_ms - ts, received_ms - ts)
        self._seen: dict[str, int] = {}
        self.active = True
        model.dataChanged.connect(self._changed)

    def _changed(self, top, bottom, roles) -> None:
        if not self.active or (roles and Qt.ItemDataRole.DisplayRole not in roles):
            return
        now_ms = time.time() * 1000
        quotes = self.hub.quotes
        seen = self._seen
        for row in range(top.row(), bottom.row() + 1):
            sym = self.model.symbol_at(row)
            q = quotes.get(sym)
            if q is None or not q.last_ts or seen.get(sym) == q.last_seq:
                continue
            seen[sym] = q.last_seq
            self.samples.append((now_ms - q.last_ts, q.received_at * 1000 - q.last_ts))

    def take(self) -> list[tuple[float, float]]:
        out, self.samples = self.samples, []
        return out


# ------------------------------------------------------------------ one session of the window
@dataclass
class Step:
    rate: int
    seconds: float
    received: int
    lag: tuple[float, float, float]
    latency_raw: list[tuple[float, float]]
    paints: int
    frames: int
    chart_draws: int
    cpu_s: float
    server_dropped: int
    latency: tuple[float, float, float] = (float("nan"),) * 3
    recv_to_model: tuple[float, float, float] = (float("nan"),) * 3

    @property
    def tick_rate(self) -> float:
        return self.received / self.seconds


@dataclass
class Session:
    mode: str
    symbols: int
    steps: list[Step] = field(default_factory=list)
    sent: int = 0
    stored: int = 0
    peak_rss_mb: float = 0.0

    @property
    def lost(self) -> int:
        return self.sent - self.stored


def ticks_received(desk: Desk) -> int:
    """Trades the feed delivered (the HTTP snapshot's latest trades are not counted)."""
    pipeline = desk.market.pipeline
    return pipeline.ticks_received if pipeline is not None else 0


def server_dropped(status: dict[str, Any]) -> int:
    return sum(int(c.get("backlog_dropped", 0)) for c in status.get("connections", []))


async def drain(desk: Desk, sim: SimProcess, timeout: float) -> int:
    """Stop the burst and wait until every tick the simulator sent has reached the hub."""
    await acontrol(sim, "fault", burst="0")
    deadline = time.monotonic() + timeout
    while True:
        sent = int((await acontrol(sim, "sent"))["total"])
        if ticks_received(desk) >= sent or time.monotonic() > deadline:
            return sent
        await asyncio.sleep(0.1)


async def _measure(
    desk: Desk,
    win: main_window.MainWindow,
    sim: SimProcess,
    session: Session,
    rates: list[int],
    seconds: float,
) -> None:
    """Burst at each rate in turn; record the probes; at the end stop the simulator and drain."""
    hub = desk.market.hub
    if isinstance(hub, PerTickHub) and isinstance(win.model, PerTickModel):
        hub.listener = win.model.on_tick
    await wait_until(lambda: desk.market.link()[0] == "Live", 20, "a live feed")
    await wait_until(lambda: ticks_received(desk) > 0, 20, "the first trades")
    paints = PaintCounter()
    win.watchlist.view.viewport().installEventFilter(paints)
    lag = LagProbe()
    latency = LatencyProbe(win.model, hub)
    await asyncio.sleep(0.3)  # quiet trading only: the clock offset is taken from these samples
    for rate in rates:
        await acontrol(sim, "fault", burst=str(rate))
        await asyncio.sleep(0.3)  # let the burst reach a steady state
        dropped0 = server_dropped(await acontrol(sim, "status"))
        latency.take()
        paints.count = 0
        frames0, draws0, ticks0 = win.frames, win.chart.draw_count, ticks_received(desk)
        cpu0, began = time.process_time(), time.perf_counter()
        lag.start()
        await asyncio.sleep(seconds)
        lag.stop()
        elapsed = time.perf_counter() - began
        step = Step(
            rate=rate,
            seconds=elapsed,
            received=ticks_received(desk) - ticks0,
            lag=percentiles(lag.late_ms),
            latency_raw=latency.take(),
            paints=paints.count,
            frames=win.frames - frames0,
            chart_draws=win.chart.draw_count - draws0,
            cpu_s=time.process_time() - cpu0,
            server_dropped=0,
        )
        step.server_dropped = server_dropped(await acontrol(sim, "status")) - dropped0
        session.steps.append(step)
        await drain(desk, sim, timeout=30)
    latency.active = False
    await acontrol(sim, "fault", stall="")  # nothing more leaves the simulator
    session.sent = await drain(desk, sim, timeout=30)
    session.peak_rss_mb = peak_rss_mb()


async def window_session(
    sim: SimProcess,
    tmp: Path,
    symbols: list[str],
    rates: list[int],
    seconds: float,
    per_tick: bool,
) -> Session:
    """Open the real window on ``symbols``, burst at each rate in turn, close, count what was stored."""
    mode = "per-tick" if per_tick else "hkdesk"
    session = Session(mode, len(symbols))
    work = Path(tempfile.mkdtemp(prefix=f"{mode}-", dir=tmp))
    db_url = f"sqlite:///{work / 'window.db'}"
    await acontrol(sim, "fault", clear="")
    await acontrol(sim, "sent/reset")
    desk = Desk(desk_options(work / "cfg", db_url, sim, symbols), timings=WINDOW, plan=WINDOW_PLAN)
    if per_tick:
        desk.market.hub = PerTickHub()
    patch = mock.patch.object(main_window, "WatchlistModel", PerTickModel if per_tick else WatchlistModel)
    with quiet_logging():
        with patch:
            win = await desk.open()
        try:
            await _measure(desk, win, sim, session, rates, seconds)
        finally:
            await desk.close()
            await acontrol(sim, "fault", clear="")
    engine = make_engine(db_url)
    try:
        session.stored = count_ticks(engine)
    finally:
        engine.dispose()
    return session


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def settle_latencies(sessions: list[Session]) -> None:
    """Subtract the simulator's clock offset (smallest ``received - ts`` seen on that simulator)."""
    raw = [s for sess in sessions for step in sess.steps for s in step.latency_raw]
    if not raw:
        return
    offset = min(r for _, r in raw)
    for sess in sessions:
        for step in sess.steps:
            step.latency = percentiles(a - offset for a, _ in step.latency_raw)
            step.recv_to_model = percentiles(a - r for a, r in step.latency_raw)


# ------------------------------------------------------------------ rows
LAG_TARGETS = {5000: "p99 ≤ 16 ms", 20000: "p99 ≤ 50 ms"}


def _step_extra(prefix: str, step: Step, lost: int) -> dict[str, Any]:
    return {
        f"{prefix}_ticks_per_s": round(step.tick_rate),
        f"{prefix}_lag_p50_ms": step.lag[0],
        f"{prefix}_lag_max_ms": step.lag[2],
        f"{prefix}_t2m_p50_ms": step.latency[0],
        f"{prefix}_t2m_p99_ms": step.latency[1],
        f"{prefix}_recv2m_p99_ms": step.recv_to_model[1],
        f"{prefix}_repaints_per_s": step.paints / step.seconds,
        f"{prefix}_cpu_pct": 100 * step.cpu_s / step.seconds,
        f"{prefix}_server_dropped": step.server_dropped,
        f"{prefix}_lost_in_store": lost,
    }


def rows(naive: Session, ours: Session) -> list[Result]:
    out = []
    for a, b in zip(naive.steps, ours.steps, strict=True):
        where = f"{ours.symbols} symbols @ {b.rate:,} ticks/s"
        extra = {**_step_extra("hkdesk", b, ours.lost), **_step_extra("pertick", a, naive.lost)}
        out.append(
            Result(
                name=f"window {where}: event-loop lag p99",
                unit="ms",
                baseline=a.lag[1],
                hkdesk=b.lag[1],
                baseline_label="per-tick model",
                lower_is_better=True,
                target=LAG_TARGETS.get(b.rate, "") + ("; 0 lost" if b.rate in LAG_TARGETS else ""),
                extra=extra,
            )
        )
        out.append(
            Result(
                name=f"window {where}: tick-to-model p99",
                unit="ms",
                baseline=a.latency[1],
                hkdesk=b.latency[1],
                baseline_label="per-tick model",
                lower_is_better=True,
                target="≤ 100 ms" if b.rate == 5000 else "",
                extra={
                    "hkdesk_t2m_p50_ms": b.latency[0],
                    "pertick_t2m_p50_ms": a.latency[0],
                    "hkdesk_frames_per_s": b.frames / b.seconds,
                    "hkdesk_chart_draws_per_s": b.chart_draws / b.seconds,
                    "hkdesk_peak_rss_mb": ours.peak_rss_mb,
                },
            )
        )
    return out


def run(quick: bool) -> list[Result]:
    configs = [(80, [5000])] if quick else [(80, [2000, 5000, 20000]), (500, [2000, 5000, 20000])]
    seconds = 1.2 if quick else 6.0
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="hkdesk-bench-window-") as tmp_name:
        tmp = Path(tmp_name)
        universe_csv = tmp / "universe.csv"
        universe = write_universe(universe_csv, max(n for n, _ in configs) + 10)
        for n, rates in configs:
            extra_args = [] if n <= 90 else ["--symbols-file", str(universe_csv)]
            symbols = watchlist_symbols(universe, n)
            with start_simulator_process([*SIM_ARGS, *extra_args]) as sim:
                sessions = [
                    run_on_qt_loop(partial(window_session, sim, tmp, symbols, rates, seconds, per_tick))
                    for per_tick in (True, False)
                ]
            settle_latencies(sessions)
            results.extend(rows(*sessions))
    return results
