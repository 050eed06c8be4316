"""The real window, offscreen, against the real simulator process over loopback."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Iterator
from datetime import datetime, time
from decimal import Decimal as D
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QWidget
from support.desks import SIM_ARGS, control, make_desk, options
from support.timings import WINDOW, WINDOW_PLAN
from support.waits import wait_until

from hkdesk.desktop.desk import Desk
from hkdesk.domain.freshness import Freshness
from hkdesk.domain.quotes import hk_datetime
from hkdesk.feed import session as feed_session
from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.status import FeedState
from hkdesk.sim.process import start_simulator_process
from hkdesk.ui.freshness_text import badge_text
from hkdesk.ui.settings_dialog import SettingsDialog
from hkdesk.ui.watchlist_model import Col

DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture(scope="module")
def sim() -> Iterator:
    proc = start_simulator_process(SIM_ARGS)
    try:
        yield proc
    finally:
        proc.stop()


def last_text(desk, sym: str) -> str:
    m = desk.window.model
    return m.data(m.index(m.row_of(sym), Col.LAST), DISPLAY)


async def test_ticks_flow_and_selection_links_every_panel(qtbot, tmp_path, sim) -> None:
    desk = make_desk(tmp_path / "cfg", f"sqlite:///{tmp_path / 'a.db'}", sim_url=sim.ws_url)
    win = await desk.open()
    try:
        await wait_until(lambda: last_text(desk, "700.HK") != "–", what="a Tencent trade in the watchlist")
        await wait_until(
            lambda: all(last_text(desk, s) != "–" for s in ("5.HK", "9988.HK")), what="more rows"
        )
        assert win.selected == "700.HK"
        # arrow keys move through the watchlist, and the selection drives every panel
        win.watchlist.view.setFocus()
        QTest.keyClick(win.watchlist.view, Qt.Key.Key_Down)
        assert win.selected == "5.HK"
        assert win.chart.symbol == "5.HK" and win.depth.symbol == "5.HK"
        assert win.chart.title.text().startswith("00005")
        await wait_until(lambda: win.tape_model.rowCount() > 3, what="HSBC trades in time & sales")
        await wait_until(lambda: win.chart.ticks.n > 3, what="HSBC trades on the chart")
        await wait_until(lambda: win.depth.ladder_rows()[0], what="an HSBC order book")
        # every row streams its bid and ask (one level); the selected symbol its ten
        expected = dict.fromkeys(win.model.symbols(), 1) | {"5.HK": 10}
        deadline = asyncio.get_running_loop().time() + 10

        async def depth_lists() -> dict[str, int]:
            status = await control(sim.control_url, "status")
            return {s: n for c in status["connections"] for s, n in (c["depth"] or {}).items()}

        while (depth := await depth_lists()) != expected:
            assert asyncio.get_running_loop().time() < deadline, f"depth lists: {depth}"
            await asyncio.sleep(0.05)
        await wait_until(
            lambda: all(desk.market.hub.quotes[s].bid is not None for s in ("700.HK", "9988.HK")),
            what="bids on rows that are not selected",
        )
        # the newest trade is on top of the tape and is HSBC's latest price
        win.on_frame()  # frames alternate between the watchlist and the selected symbol's
        win.on_frame()  # panels: two make one full refresh
        assert win.tape_model.row_texts(0)[1] == f"{desk.market.hub.tape('5.HK')[-1].price:.3f}"
        # type a code anywhere to jump to it
        QTest.keyClicks(win.chart, "9988")
        assert win.watchlist.search.hasFocus() and win.watchlist.search.text() == "9988"
        QTest.keyClick(win.watchlist.search, Qt.Key.Key_Return)
        assert win.selected == "9988.HK"
        # candles at every interval draw from the same buffers
        for mode in ("1m", "5m", "15m", "1h", "1d", "Intraday"):
            win.chart.set_mode(mode)
            assert win.chart.draw_count > 0
        # sorting by change % on demand
        win.watchlist.view.sortByColumn(Col.VOLUME, Qt.SortOrder.DescendingOrder)
        px = win.watchlist.proxy
        vols = [px.index(r, Col.VOLUME).data(px.sortRole()) for r in range(px.rowCount())]
        assert vols == sorted(vols, reverse=True)
        # colours follow the setting on the live board (a row not streamed yet is dimmed instead)
        m = win.model
        live = badge_text(Freshness.LIVE)
        await wait_until(
            lambda: all(m.data(m.index(r, Col.STATE), DISPLAY) == live for r in range(m.rowCount())),
            what="every row live",
        )
        win.set_looks(colours="mainland")
        for r in range(m.rowCount()):
            text = m.data(m.index(r, Col.CHANGE), DISPLAY)
            brush = m.data(m.index(r, Col.CHANGE), Qt.ItemDataRole.ForegroundRole)
            if text.startswith("▲"):
                assert brush.color().rgb() == win.palette_.up.rgb() and brush.color().red() > 200
    finally:
        await desk.close()


async def test_settings_applied_twice_in_a_row_leave_one_pipeline(qtbot, tmp_path, sim) -> None:
    desk = make_desk(tmp_path / "cfg", f"sqlite:///{tmp_path / 'a.db'}", sim_url=sim.ws_url)
    await desk.open()
    market = desk.market
    try:
        await wait_until(lambda: last_text(desk, "700.HK") != "–", what="first trades")
        first = market.writer_thread
        await asyncio.gather(market.reconfigure(), market.reconfigure())
        assert first is not None and not first.isRunning()
        assert market.started and market.writer_thread is not None and market.writer_thread.isRunning()
        await wait_until(lambda: market.feed_status.state is FeedState.LIVE, what="live again")
        pipeline = market.pipeline
        assert pipeline is not None
        received = pipeline.ticks_received
        await wait_until(lambda: pipeline.ticks_received > received + 5, what="ticks after the rebuilds")
        status = await control(sim.control_url, "status")
        assert len(status["connections"]) == 1, "one feed connection, not one per rebuild"
    finally:
        await desk.close()
    assert market.writer_thread is None and not market.started


async def test_adding_and_removing_resubscribes_the_whole_list_once(
    qtbot, tmp_path, sim, monkeypatch
) -> None:
    sent: list[list[str]] = []
    original = feed_session.Session.request_trades

    def spy(self, codes, *a, **kw):
        sent.append(list(codes))
        return original(self, codes, *a, **kw)

    monkeypatch.setattr(feed_session.Session, "request_trades", spy)
    desk = make_desk(tmp_path / "cfg", f"sqlite:///{tmp_path / 'a.db'}", sim_url=sim.ws_url)
    win = await desk.open()
    try:
        await wait_until(lambda: desk.market.feed_status.state.value == "live", what="live feed")
        await wait_until(lambda: bool(sent))
        sent.clear()
        box = win.watchlist.search
        box.setFocus()
        QTest.keyClicks(box, "geely")
        assert "GEELY AUTO" in box.completer_.model().stringList()[0]
        QTest.keyClick(box, Qt.Key.Key_Return)
        assert win.model.symbols()[-1] == "175.HK" and win.selected == "175.HK"
        await wait_until(lambda: sent, what="a subscription request")
        await wait_until(lambda: last_text(desk, "175.HK") != "–", what="Geely trades")
        streamed = [*win.indices.codes, *win.model.symbols()]  # the index strip streams too
        assert len(sent) == 1 and sent[0] == streamed
        status = await control(sim.control_url, "status")
        trades = [c["trades"] for c in status["connections"] if c["trades"]]
        assert sorted(trades[0]) == sorted(streamed)
        sent.clear()
        win.watchlist.view.setFocus()
        QTest.keyClick(win.watchlist.view, Qt.Key.Key_Delete)
        assert "175.HK" not in win.model.symbols()
        await wait_until(lambda: sent, what="the shorter list")
        assert len(sent) == 1 and "175.HK" not in sent[0]
        assert sent[0] == [*win.indices.codes, *win.model.symbols()]
        # the list survives a restart
        saved = (tmp_path / "cfg" / "watchlists.json").read_text(encoding="utf-8")
        assert "175.HK" not in saved
    finally:
        await desk.close()


async def test_dropped_link_shows_its_state_and_recovers(qtbot, tmp_path, sim) -> None:
    desk = make_desk(tmp_path / "cfg", f"sqlite:///{tmp_path / 'a.db'}", sim_url=sim.ws_url)
    win = await desk.open()
    try:
        await wait_until(lambda: desk.market.link()[0] == "Live", what="live feed")
        await wait_until(lambda: last_text(desk, "700.HK") != "–")
        seen: set[str] = set()

        def watch() -> bool:
            text = desk.market.link()[0]
            seen.add(text.split(" ")[0])
            return text != "Live"

        await control(sim.control_url, "drop")
        await wait_until(watch, timeout=5, what="the link to leave LIVE")
        win.refresh_status()
        assert not win.status.link.text().endswith("Live")
        assert win.status.link.property("level") in ("warn", "bad")
        await wait_until(lambda: watch() is False, timeout=10, what="the link to come back")
        win.refresh_status()
        assert win.status.link.text() == "● Live"
        assert seen & {"Backing", "Connecting", "Subscribing"}
        # trades after the reconnect reveal the hole: the status bar marks a possible gap
        await wait_until(lambda: desk.market.gaps, timeout=5, what="a gap report")
        win.refresh_status()
        assert win.status.gap.isVisibleTo(win) and "gap" in win.status.gap.text()
        before = desk.market.hub.ticks_applied
        await wait_until(lambda: desk.market.hub.ticks_applied > before + 10, what="trades after recovery")
    finally:
        await desk.close()


def _all_texts(root: QWidget) -> list[str]:
    out = [root.windowTitle()]
    for w in root.findChildren(QWidget):
        out += [w.toolTip(), w.windowTitle(), w.accessibleName()]
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        if isinstance(w, QLineEdit):
            out += [w.text(), w.placeholderText(), w.displayText()]
        if isinstance(w, QPlainTextEdit):
            out.append(w.toPlainText())
    return out


async def test_token_never_appears_in_widgets_logs_or_files(qtbot, tmp_path, sim, caplog) -> None:
    token = "Tk-9f8e7d6c5b4a-SECRET"
    cfg = tmp_path / "cfg"
    caplog.set_level(logging.DEBUG)
    desk = make_desk(cfg, f"sqlite:///{tmp_path / 'a.db'}", sim_url=sim.ws_url, token=token)
    win = await desk.open()
    try:
        await wait_until(lambda: desk.market.link()[0] == "Live", what="live feed")
        # an error message that carries the token (e.g. a URL in an exception) is redacted
        logging.getLogger("hkdesk.feed.test").warning(
            "connect failed: %s?token=%s (%s)", sim.ws_url, token, token
        )
        await wait_until(lambda: "connect failed" in win.log_panel.toPlainText(), what="the log line")
        dlg = SettingsDialog(win.settings, win.tokens, win)
        assert dlg.token.text() == "" and dlg.token.echoMode() == QLineEdit.EchoMode.Password
        texts = _all_texts(win) + _all_texts(dlg)
        dlg.apply()
        dlg.deleteLater()
        win.save_layout()
        assert "***" in win.log_panel.toPlainText()
    finally:
        await desk.close()
    assert not [t for t in texts if token in t]
    assert not [r for r in caplog.records if token in r.getMessage()]
    files = [p for p in Path(cfg).rglob("*") if p.is_file()]
    assert files, "the app should have written its settings"
    for p in files:
        assert token.encode() not in p.read_bytes(), p.name


async def test_a_simulator_that_cannot_start_is_reported_in_the_window(qtbot, tmp_path) -> None:
    """A broken simulator (here: a missing symbols file) must not take the window down."""
    desk = Desk(
        options(tmp_path / "cfg", f"sqlite:///{tmp_path / 'h.db'}"),
        timings=WINDOW,
        sim_args=["--symbols-file", str(tmp_path / "missing.csv")],
        plan=WINDOW_PLAN,
    )
    win = await desk.open()
    try:
        await wait_until(lambda: desk.market.link()[0].startswith("Failed"), what="failed link state")
        assert "simulator did not start" in desk.market.link()[0]
        await wait_until(lambda: "simulator did not start" in win.status.link.text(), what="status bar text")
    finally:
        await desk.close()


async def test_the_index_strip_shows_the_indices_of_the_setting(qtbot, tmp_path) -> None:
    desk = make_desk(tmp_path / "cfg", None)
    win = await desk.open()
    try:
        assert win.indices.codes == ["HSI", "HSCEI", "HSTECH"]

        def shown(code: str) -> str:
            return win.indices._quotes[code].text()

        await wait_until(lambda: all("," in shown(c) for c in win.indices.codes), 20, "index levels")
        assert "HANG SENG" in shown("HSI").upper() or "HSI" in shown("HSI")
        desk.settings.index_codes = ["HSTECH"]
        desk.settings.sync()
        assert win.indices.codes == ["HSTECH"]
    finally:
        await desk.close()


async def test_a_start_before_the_open_counts_the_day_from_its_first_trade(qtbot, tmp_path) -> None:
    """At 09:10 the provider has no trade of the day: the stream will hold them all, so the
    rows' day is whole from the first trade (no "at least" marks)."""
    early = start_simulator_process([*SIM_ARGS, "--start", "09:10", "--speed", "20"])
    desk = make_desk(tmp_path / "cfg", None, sim_url=early.ws_url, symbols="700")
    win = await desk.open()
    hub = desk.market.hub
    try:
        await wait_until(lambda: (q := hub.quotes.get("700.HK")) is not None and q.trades > 0, 60, "a trade")
        win.on_frame()
        assert hub.quotes["700.HK"].counted_since == 0
        volume = win.model.data(win.model.index(win.model.row_of("700.HK"), Col.VOLUME))
        assert volume and not volume.startswith("≥")
    finally:
        await desk.close()
        early.stop()


async def test_a_late_start_shows_the_whole_day_with_bid_ask_and_previous_close(qtbot, tmp_path) -> None:
    """The simulator's day is at 11:00 when the window opens: every row has its bid, ask and
    previous close, and the chart begins at the open, from the provider's minutes."""
    late = start_simulator_process([*SIM_ARGS, "--start", "11:00"])
    desk = make_desk(tmp_path / "cfg", f"sqlite:///{tmp_path / 'late.db'}", sim_url=late.ws_url)
    win = await desk.open()
    hub = desk.market.hub
    try:
        symbols = win.model.symbols()

        def complete(sym: str) -> bool:
            q = hub.quotes.get(sym)
            return q is not None and None not in (q.bid, q.ask, q.prev_close)

        await wait_until(
            lambda: all(complete(s) for s in symbols), 30, "bid, ask and previous close everywhere"
        )
        assert win.selected == "700.HK"
        # each row's day is the whole day from the open, not the part since the window connected
        http = QuoteHttp(late.ws_url, "any", min_interval=0.0)
        await wait_until(lambda: all(hub.quotes[s].volume > 0 for s in symbols), 20, "volumes")
        before = await http.previous_closes(symbols)
        shown = {s: dataclasses.replace(hub.quotes[s]) for s in symbols}
        after = await http.previous_closes(symbols)
        for s in symbols:
            q, b1, b2 = shown[s], before[s].today, after[s].today
            assert q.open == b2.open, s
            assert b1.high <= q.high <= b2.high and b2.low <= q.low <= b1.low, s
            # trades streamed while the provider's answer was on its way may be counted once too
            # few or too many: a few lots of the day's millions
            assert b1.volume * D("0.995") <= q.volume <= b2.volume * D("1.005"), s
        for s in symbols:  # and the rows show it as the whole day, not "at least"
            volume = win.model.data(win.model.index(win.model.row_of(s), Col.VOLUME))
            assert volume and not volume.startswith("≥"), s

        def first_point() -> datetime | None:
            chart = win.chart
            if not chart.ticks.n:
                return None
            return hk_datetime(round(chart.axis.to_time(float(chart.ticks.t[0])) * 1000))

        await wait_until(lambda: (t := first_point()) is not None and t.time() <= time(9, 31), 30, "the open")
        assert first_point().time() >= time(9, 15)
    finally:
        await desk.close()
        late.stop()


async def test_a_code_outside_the_list_is_looked_up_or_refused_where_it_was_typed(
    qtbot, tmp_path, sim
) -> None:
    desk = make_desk(tmp_path / "cfg", f"sqlite:///{tmp_path / 'codes.db'}", sim_url=sim.ws_url)
    win = await desk.open()
    try:
        await wait_until(lambda: desk.market.feed_status.state is FeedState.LIVE, what="live")
        box = win.watchlist.search
        box.setFocus()
        QTest.keyClicks(box, "99999")
        QTest.keyClick(box, Qt.Key.Key_Return)
        note = win.watchlist.search_note
        await wait_until(lambda: "not known" in note.text(), 10, "an answer beside the box")
        assert "99999.HK" not in win.model.symbols(), "nothing blank added"
        assert note.property("problem") is True
    finally:
        await desk.close()
