"""History after a restart, event-loop lag under a burst, and the --quit-after/--screenshot hook."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from support.desks import SIM_ARGS, control, make_desk
from support.waits import wait_until

from hkdesk.sim.process import start_simulator_process
from hkdesk.store.engine import make_engine
from hkdesk.store.history import count_ticks
from hkdesk.ui.watchlist_model import Col


@pytest.fixture(scope="module")
def sim() -> Iterator:
    proc = start_simulator_process(SIM_ARGS)
    try:
        yield proc
    finally:
        proc.stop()


async def test_history_and_layout_are_restored_after_a_restart(qtbot, tmp_path, sim) -> None:
    cfg, db = tmp_path / "cfg", f"sqlite:///{tmp_path / 'day.db'}"
    first = make_desk(cfg, db, sim_url=sim.ws_url)
    win = await first.open()
    try:
        tencent = first.market.hub.quote("700.HK")
        await wait_until(lambda: tencent.trades >= 40, timeout=15, what="40 Tencent trades")
        charts = win.tools.charts
        charts.main_chip.choose("blue")
        hsbc = charts.open("5.HK", "green")
        hsbc.chart.set_mode("5m")
        # a new chart window opens at 1100 x 640; this one fits the offscreen screen (800 wide)
        hsbc.resize(780, 420)
        await asyncio.sleep(0.2)  # resized (the splitters share out the change)
        hsbc.body.setSizes([700, 76])  # the chart given all it can take from the ladder and tape
        hsbc.side.setSizes([100, 300])  # and the tape most of what is left
        await asyncio.sleep(0.1)
        splitters = hsbc.body.sizes(), hsbc.side.sizes()
        charts.open("9988.HK")  # not linked, intraday
        # last, with no events in between: hiding a dock widens the list, whose columns then
        # share out the new width
        win.dock_log.hide()
        win.watchlist.view.setColumnWidth(Col.TURNOVER, 123)
    finally:
        await first.close()
    engine = make_engine(db)
    stored = count_ticks(engine, "700.HK")
    engine.dispose()
    assert stored >= 40  # everything received was flushed by the orderly shutdown

    second = make_desk(cfg, db, sim_url=sim.ws_url)
    win = await second.open()
    try:
        # dock layout and column widths come back (offscreen, the geometry is clamped to the screen)
        assert not win.dock_log.isVisibleTo(win)
        assert win.watchlist.view.columnWidth(Col.TURNOVER) == 123
        # the chart windows come back on their symbols, groups and intervals, and the main
        # window in its group
        charts = win.tools.charts
        assert [(w.symbol, w.group, w.chart.mode) for w in charts.windows] == [
            ("5.HK", "green", "5m"),
            ("9988.HK", "", "Intraday"),
        ]
        # its place and size (offscreen, the width is kept within the screen)
        assert charts.windows[0].size().toTuple() == (780, 420)
        # and how the chart, ladder and tape share it (a new window gives the side a quarter)
        # (within the ladder's least width, which depends on what it shows)
        body, side = charts.windows[0].body.sizes(), charts.windows[0].side.sizes()
        assert abs(body[1] - splitters[0][1]) <= 16 and side == splitters[1], (body, side, splitters)
        assert splitters[0][1] < 0.2 * sum(splitters[0]) and splitters[1][1] > 2 * splitters[1][0]
        assert charts.main_chip.group == "blue"
        # the chart is full again: every stored trade of today, then live ones on top
        await wait_until(
            lambda: win.chart.ticks.n >= stored, timeout=10, what="today's stored trades on the chart"
        )
        m = win.model

        def day_volume() -> float:
            return m.data(m.index(m.row_of("700.HK"), Col.VOLUME), Qt.ItemDataRole.UserRole + 1)

        # the watchlist repaints on the frames between the chart's, so give it one
        await wait_until(lambda: day_volume() > 0, timeout=5, what="the restored day volume on the board")
    finally:
        await second.close()


async def test_event_loop_stays_responsive_during_a_burst(qtbot, tmp_path, sim, capsys) -> None:
    desk = make_desk(tmp_path / "cfg", f"sqlite:///{tmp_path / 'burst.db'}", sim_url=sim.ws_url, symbols=None)
    await desk.open()
    lateness: list[float] = []
    try:
        await wait_until(lambda: desk.market.link()[0] == "Live", what="live feed")
        await control(sim.control_url, "fault", burst="6000")
        start_ticks = desk.market.hub.ticks_applied
        interval = 0.010
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        last = [time.perf_counter()]

        def beat() -> None:
            now = time.perf_counter()
            lateness.append(max(0.0, now - last[0] - interval))
            last[0] = now

        timer.timeout.connect(beat)
        began = time.perf_counter()
        timer.start(int(interval * 1000))
        await asyncio.sleep(4.0)
        timer.stop()
        elapsed = time.perf_counter() - began
        rate = (desk.market.hub.ticks_applied - start_ticks) / elapsed
    finally:
        await control(sim.control_url, "fault", clear="burst")
        await desk.close()
    lat = np.array(lateness) * 1000
    with capsys.disabled():
        print(
            f"\nevent-loop lag during burst: {rate:,.0f} ticks/s applied, {len(lat)} beats, "
            f"p50 {np.percentile(lat, 50):.1f} ms, p99 {np.percentile(lat, 99):.1f} ms, "
            f"max {lat.max():.1f} ms"
        )
    assert rate > 2000, "the burst did not reach the window"
    assert lat.max() < 300, f"the GUI loop stalled for {lat.max():.0f} ms"


def test_quit_after_writes_a_screenshot_and_exits_zero(tmp_path) -> None:
    shot = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    args = [
        sys.executable, "-m", "hkdesk", "--quit-after", "3", "--screenshot", str(shot),
        "--config-dir", str(tmp_path / "cfg"), "--db", f"sqlite:///{tmp_path / 'x.db'}",
    ]  # fmt: skip
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
