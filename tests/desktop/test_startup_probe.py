"""``--startup-probe``: the timing hook the packaging start-up measurement reads."""

from __future__ import annotations

import asyncio
import time

from support.desks import make_desk

from hkdesk.cli import build_parser
from hkdesk.desktop.startup_probe import CHART_READY, FIRST_PAINT, FIRST_QUOTE
from hkdesk.sim.process import start_simulator_process


def test_the_option_is_hidden_and_off_by_default() -> None:
    parser = build_parser()
    assert parser.parse_args([]).startup_probe is False
    assert parser.parse_args(["--startup-probe"]).startup_probe is True
    assert "startup-probe" not in parser.format_help()


async def test_prints_first_paint_then_first_quote_and_quits(qtbot, tmp_path, capsys) -> None:
    with start_simulator_process(["--seed", "3", "--request-spacing", "0.02"]) as sim:
        desk = make_desk(
            tmp_path / "cfg", f"sqlite:///{tmp_path / 'p.db'}", sim_url=sim.ws_url, startup_probe=True
        )
        started = time.monotonic()
        code = await asyncio.wait_for(desk.run(), timeout=30)
    assert code == 0
    marks = {}
    for line in capsys.readouterr().out.splitlines():
        name, _, value = line.partition(" ")
        if name in (FIRST_PAINT, FIRST_QUOTE):
            marks[name] = float(value)
    assert set(marks) == {FIRST_PAINT, FIRST_QUOTE}
    assert started < marks[FIRST_PAINT] <= marks[FIRST_QUOTE] < time.monotonic()


async def test_waits_for_the_chart_when_asked(qtbot, tmp_path, capsys) -> None:
    with start_simulator_process(["--seed", "3", "--request-spacing", "0.02"]) as sim:
        desk = make_desk(
            tmp_path / "cfg",
            f"sqlite:///{tmp_path / 'p.db'}",
            sim_url=sim.ws_url,
            startup_probe=True,
            probe_chart_ticks=3,
        )
        code = await asyncio.wait_for(desk.run(), timeout=40)
    assert code == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    names = [parts[0] for parts in lines if parts]
    assert names.index(FIRST_QUOTE) < names.index(CHART_READY)
    (chart,) = [parts for parts in lines if parts and parts[0] == CHART_READY]
    assert chart[2] == "00700"
