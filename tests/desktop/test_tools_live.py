"""The window's tools over the real simulator: exports from the menus hold exactly what the
database holds (the same files ``hkdesk export`` writes), alerts go out and back in through the
Alerts dock and the command line, and link groups follow two selections."""

from __future__ import annotations

import asyncio
import csv
from decimal import Decimal
from pathlib import Path

from export.xlsx_reader import raw_cells
from PySide6.QtWidgets import QFileDialog
from support.desks import SYMBOLS, control, make_desk
from support.waits import wait_until

from hkdesk.alerts.model import Alert, Kind
from hkdesk.cli import main
from hkdesk.export.tables import day_bounds
from hkdesk.store import make_engine
from hkdesk.store.history import count_ticks, ticks_between
from hkdesk.store.schema import decimal_text
from hkdesk.ui.link_groups import UNLINKED


async def quiet_store(desk) -> None:
    """Stop the stream (no symbols) and wait until every trade received is committed and no more
    arrive: the database then holds still while files are compared with it."""
    desk.market.set_symbols([])
    desk.market.set_indices([])
    desk.market.set_alert_symbols([])
    engine = make_engine(desk.options.db)
    try:
        last = -1
        while True:
            await asyncio.sleep(0.6)
            stats = desk.market.writer.stats()
            now = await asyncio.to_thread(count_ticks, engine)
            if stats.queued == 0 and now == last:
                return
            last = now
    finally:
        engine.dispose()


def ask_path(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))


async def menu_export(desk, monkeypatch, path: Path, what: str, **fields) -> None:
    ask_path(monkeypatch, path)
    dialog = desk.window.tools.export_dialog(what)
    if "symbol" in fields:
        dialog.symbol.setText(fields["symbol"])
    if "interval" in fields:
        dialog.interval.setCurrentIndex(dialog.interval.findData(fields["interval"]))
    dialog.format.setCurrentIndex(dialog.format.findData(path.suffix))
    dialog.accept()
    await wait_until(lambda: path.exists(), timeout=20, what=f"{path.name} written")


def cli_export(db: str, *args: str) -> None:
    assert main(["export", *args, "--db", db]) == 0


async def test_menu_exports_are_the_command_line_s_files_and_match_the_database(
    qtbot, tmp_path, monkeypatch
) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    desk = make_desk(tmp_path / "cfg", db)
    win = await desk.open()
    try:
        await wait_until(lambda: desk.market.link()[0] == "Live", timeout=30, what="a live feed")
        await wait_until(
            lambda: desk.market.writer.stats().stored_total > 60, timeout=30, what="trades stored"
        )
        await quiet_store(desk)
        day = win.tools.data_day()
        assert day.year >= 2026
        out = tmp_path / "menu"
        out.mkdir()
        await menu_export(desk, monkeypatch, out / "ticks.csv", "ticks", symbol="700")
        await menu_export(desk, monkeypatch, out / "ticks.xlsx", "ticks", symbol="700")
        await menu_export(desk, monkeypatch, out / "bars.csv", "bars", symbol="700", interval="5m")
        await menu_export(desk, monkeypatch, out / "list.csv", "watchlist")
    finally:
        await desk.close()

    ref = tmp_path / "cli"
    ref.mkdir()
    cli_export(db, "ticks", "--symbol", "700", "--date", str(day), "--out", str(ref / "ticks.csv"))
    cli_export(db, "ticks", "--symbol", "700", "--date", str(day), "--out", str(ref / "ticks.xlsx"))
    args = ["bars", "--symbol", "700", "--date", str(day), "--interval", "5m"]
    cli_export(db, *args, "--out", str(ref / "bars.csv"))
    # the window's list came from --symbols (not saved): the command line is given the same symbols
    cli_export(db, "watchlist", "--date", str(day), "--symbol", SYMBOLS, "--out", str(ref / "list.csv"))
    for name in ("ticks.csv", "bars.csv", "list.csv"):
        assert (out / name).read_bytes() == (ref / name).read_bytes(), name
    # and the files hold what the database holds, digit for digit
    engine = make_engine(db)
    try:
        stored = ticks_between(engine, "700.HK", *day_bounds(day))
    finally:
        engine.dispose()
    with open(out / "ticks.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(stored) > 0
    for row, t in zip(rows, stored, strict=True):
        assert (int(row["seq"]), int(row["ts_ms"]), row["price"]) == (t.seq, t.ts, decimal_text(t.price))
        assert Decimal(row["volume"]) == t.volume
    cells = raw_cells(out / "ticks.xlsx")[1:]
    assert [(c[3][1], c[4]) for c in cells] == [(str(t.seq), ("n", decimal_text(t.price))) for t in stored]
    with open(out / "list.csv", newline="", encoding="utf-8") as fh:
        listed = [r["symbol"] for r in csv.DictReader(fh)]
    assert listed[:3] == ["700.HK", "5.HK", "9988.HK"]


async def test_alerts_go_out_and_back_in_through_the_dock_and_the_command_line(qtbot, tmp_path) -> None:
    desk = make_desk(tmp_path / "cfg", f"sqlite:///{tmp_path / 'a.db'}")
    await desk.open()
    panel = desk.window.tools.alerts_panel
    desk.window.dock_alerts.show()  # the dock redraws while it is shown
    try:
        desk.alerts.poll_timer.setInterval(50)
        dialog = panel.new_alert("700", Kind.MOVE, Decimal("2.5"))
        dialog.minutes.setValue(7)
        dialog.rearm.setChecked(True)
        dialog.cooldown.setValue(30)
        dialog.accept()
        await wait_until(lambda: panel.alerts_model.rowCount() == 1, what="the new alert listed")
        assert panel.alerts_model.rows[0][1:3] == ("moves 2.5% within 7 min", "re-arms after 30 min")
        bad = panel.new_alert("700", Kind.ABOVE, None)
        bad.value.setText("four hundred")
        bad.accept()
        assert bad.isVisible() and "number" in bad.problem.text(), "a bad value keeps the dialog open"
        bad.reject()
        await desk.alerts.add([Alert("2318.HK", Kind.BELOW, Decimal("5.00"), cooldown_minutes=5)])
        assert "2318.HK" not in desk.watchlists.symbols()
        await wait_until(
            lambda: "2318.HK" in desk.market.feed.streaming()[0],
            timeout=20,
            what="an alert's symbol streamed",
        )
        # edit, pause, resume, delete from the dock
        await wait_until(lambda: panel.alerts_model.rowCount() == 2, what="both alerts listed")
        panel.alerts_view.selectRow(1)
        edit = panel.edit_selected()
        edit.value.setText("4.95")
        edit.accept()
        await wait_until(lambda: desk.alerts.alerts()[1].value == Decimal("4.95"), what="the edit stored")
        panel.alerts_view.selectRow(1)
        panel.pause_selected(True)
        await wait_until(lambda: panel.alerts_model.rows[1][3] == "paused", what="paused")
        panel.pause_selected(False)
        await wait_until(lambda: panel.alerts_model.rows[1][3] == "armed", what="armed again")
        out = tmp_path / "alerts.csv"
        panel.export_file(str(out))
        await wait_until(lambda: out.exists(), what="the alerts exported")
        assert out.read_text(encoding="utf-8").splitlines() == [
            "symbol,kind,value,minutes,repeat",
            "700.HK,move,2.5,7,30",
            "2318.HK,below,4.95,,5",
        ]
        panel.alerts_view.selectRow(0)
        panel.delete_selected()
        await wait_until(lambda: panel.alerts_model.rowCount() == 1, what="deleted")
        # the command line imports while the window runs; the dock notices within a poll
        assert main(["alerts", "import", str(out), "--config-dir", str(tmp_path / "cfg")]) == 0
        await wait_until(lambda: panel.alerts_model.rowCount() == 2, what="the import noticed")
        panel.import_file(str(out))  # importing the same file again adds nothing
        await asyncio.sleep(0.3)
        assert panel.alerts_model.rowCount() == 2
    finally:
        await desk.close()
    # the dock's export, imported into another workstation, is the same set of alerts
    other = tmp_path / "other"
    assert main(["alerts", "import", str(out), "--config-dir", str(other)]) == 0
    again = tmp_path / "again.csv"
    assert main(["alerts", "export", str(again), "--config-dir", str(other)]) == 0
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


async def test_two_link_groups_follow_two_selections(qtbot, tmp_path) -> None:
    desk = make_desk(tmp_path / "cfg", f"sqlite:///{tmp_path / 'l.db'}")
    win = await desk.open()
    charts = win.tools.charts
    try:
        await wait_until(lambda: desk.market.link()[0] == "Live", timeout=30, what="a live feed")
        win.watchlist.select_symbol("700.HK")
        green_a = charts.open("9988.HK")
        green_b = charts.open("1299.HK")
        red = charts.open("388.HK")
        loose = charts.open("939.HK")
        assert loose.group == UNLINKED
        green_a.chip.choose("green")
        green_b.chip.choose("green")
        assert green_b.symbol == "9988.HK", "joining a group shows its symbol"
        red.chip.choose("red")
        assert red.symbol == "700.HK", "the main window is in the red group"
        # the watchlist drives red; a code typed in a green window drives green
        win.watchlist.select_symbol("5.HK")
        assert (red.symbol, green_a.symbol, green_b.symbol, loose.symbol) == (
            "5.HK",
            "9988.HK",
            "9988.HK",
            "939.HK",
        )
        green_a.search.setText("3690")
        green_a.search.returnPressed.emit()
        assert (green_a.symbol, green_b.symbol) == ("3690.HK", "3690.HK")
        assert (win.selected, red.symbol, loose.symbol) == ("5.HK", "5.HK", "939.HK")
        # a red chart window choosing a symbol moves the main window's selection too
        red.search.setText("9988")
        red.search.returnPressed.emit()
        assert win.selected == "9988.HK" and win.watchlist.current_symbol() == "9988.HK"
        assert green_b.symbol == "3690.HK"
        # each window's panels show live trades of its own symbol
        await wait_until(
            lambda: green_b.chart.ticks.n > 0 and red.chart.ticks.n > 0, timeout=20, what="charts"
        )
        assert green_b.chart.symbol == "3690.HK" and green_b.panels.depth.symbol == "3690.HK"
        depth: dict[str, int] = {}

        async def streamed_depth() -> bool:
            status = await control(desk.market.sim.control_url, "status")
            depth.clear()
            depth.update({s: n for c in status["connections"] for s, n in (c["depth"] or {}).items()})
            return depth.get("3690.HK") == depth.get("9988.HK") == 10 and depth.get("700.HK") == 1

        # subscriptions are spaced a second apart, so the ladders' ten levels may follow the trades
        for _ in range(40):
            if await streamed_depth():
                break
            await asyncio.sleep(0.25)
        assert depth.get("3690.HK") == depth.get("9988.HK") == 10, (
            "every shown ladder streams ten levels",
            depth,
        )
        assert depth["700.HK"] == 1
    finally:
        await desk.close()
