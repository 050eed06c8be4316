"""The screen tells the truth: what is live, what is not and why, in the window and in the support file."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import text
from support.desks import SIM_ARGS, control, make_desk, options
from support.offline import offline_window
from support.store_checks import bar_mismatches
from support.timings import WINDOW
from support.waits import wait_until

from hkdesk.app import market_config
from hkdesk.desktop.desk import Desk
from hkdesk.domain.freshness import Freshness
from hkdesk.domain.quotes import hk_day
from hkdesk.domain.types import Tick
from hkdesk.feed.plans import Plan
from hkdesk.sim.process import start_simulator_process
from hkdesk.store import make_engine
from hkdesk.store.history import newest_trade_ts
from hkdesk.ui.support_report import build_report
from hkdesk.ui.watchlist_model import Col

TOKEN = "diag-t0ken-NEVER-SHOWN"


def test_the_diagnostics_file_says_what_the_window_showed(tmp_path) -> None:
    out = tmp_path / "diag.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    args = [
        sys.executable, "-m", "hkdesk", "--quit-after", "6", "--diagnostics", str(out),
        "--config-dir", str(tmp_path / "cfg"), "--symbols", "700,5,9988", "--token", TOKEN,
    ]  # fmt: skip
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert TOKEN not in text
    report = json.loads(text)
    assert report["source"] == "Built-in simulator"
    assert report["feed"]["state"] == "live" and report["feed"]["since"] > 1_700_000_000_000
    rows = {r["symbol"]: r for r in report["rows"]}
    assert list(rows) == ["700.HK", "5.HK", "9988.HK"]
    for row in rows.values():
        assert row["state"] in ("live", "snapshot", "stored", "stale")
        assert row["last"] is None or isinstance(row["last"], str)
    live = [r for r in rows.values() if r["state"] == "live"]
    assert live, "at least one symbol traded within six seconds"
    for row in live:
        assert float(row["last"]) > 0 and row["age_s"] is not None and row["age_s"] < 60
        assert row["last_ts"] > 1_700_000_000_000
    chart = report["chart"]
    assert chart["symbol"] == "700.HK" and chart["points"] >= 1
    assert chart["first_ts"] <= chart["last_ts"]
    assert report["simulator_restarts"] == 0 and report["alerts"] == []
    assert (tmp_path / "cfg" / "simulator.db").exists(), "the simulator's data in its own file"


async def test_a_killed_simulator_leaves_every_row_stale_until_it_is_back(qtbot, tmp_path) -> None:
    desk = make_desk(tmp_path / "cfg", None)
    win = await desk.open()
    market = desk.market
    try:

        def traded_live() -> bool:  # streaming alone reads live too, before the first trade
            quote = market.hub.quotes.get("700.HK")
            return market.hub.freshness("700.HK").state is Freshness.LIVE and getattr(quote, "last", None)

        await wait_until(traded_live, 20, "a live trade of Tencent")
        sim = market.sim
        assert sim is not None
        sim.process.kill()
        symbols = win.model.symbols()

        def all_not_live() -> bool:
            return all(market.hub.freshness(s).state is not Freshness.LIVE for s in symbols)

        await wait_until(all_not_live, 5, "every row marked as not live")
        stale = [
            s
            for s in symbols
            if market.hub.freshness(s).state is Freshness.STALE
            and getattr(market.hub.quotes.get(s), "last", None)
        ]
        assert stale, "rows that were live are stale now"
        await wait_until(lambda: win.model.rowCount() and all_not_live(), 1, "repainted")
        win.on_frame()
        win.on_frame()
        row = win.model.row_of(stale[0])
        assert win.model.data(win.model.index(row, Col.STATE)) == "stale"
        tip = win.model.data(win.model.index(row, Col.LAST), 3)  # ToolTipRole
        assert tip.startswith("Stale") and "ago" in tip
        report = build_report(win)
        assert all(r["state"] != "live" for r in report["rows"])
        await wait_until(lambda: market.simulator_restarts == 1, 30, "the simulator restarted")
        await wait_until(lambda: market.hub.freshness("700.HK").state is Freshness.LIVE, 30, "live again")
        assert build_report(win)["simulator_restarts"] == 1
    finally:
        await desk.close()


async def test_a_new_trading_day_starts_the_board_and_the_intraday_chart_afresh(qtbot, tmp_path) -> None:
    friday = 1_764_289_800_000  # 2025-11-28 08:30 UTC, 16:30 in Hong Kong
    monday = friday + 3 * 86_400_000 - 7 * 3_600_000  # 2025-12-01 09:30 in Hong Kong
    with offline_window(tmp_path) as win:
        hub = win.market.hub
        hub.apply_ticks(
            [Tick("700.HK", i, friday - 60_000 * (10 - i), Decimal(400 + i), Decimal(100)) for i in range(10)]
        )
        win.select_symbol("700.HK")
        win.on_frame()
        win.on_frame()
        assert win.chart.ticks.n == 10
        q = hub.quotes["700.HK"]
        assert q.last == Decimal(409) and q.volume == 1000
        hub.apply_ticks([Tick("5.HK", 1, monday, Decimal("60"), Decimal(400))])  # Monday's first trade
        assert q.prev_close == Decimal(409) and q.volume == 0 and q.high is None, "the day starts afresh"
        assert hub.freshness("700.HK").state is Freshness.STORED, "Friday's last is not today's live price"
        win.on_frame()
        win.on_frame()
        assert win.chart.ticks.n == 0, "no line from Friday into Monday"
        hub.set_whole_day("700.HK", hk_day(monday))  # the stream began before Monday's open
        hub.apply_ticks([Tick("700.HK", 1, monday + 5_000, Decimal(410), Decimal(200))])
        win.on_frame()
        win.on_frame()
        assert win.chart.ticks.n == 1 and q.change == Decimal(1) and q.volume == 200
        row = win.model.row_of("700.HK")
        assert win.model.data(win.model.index(row, Col.VOLUME)) == "200"


async def test_two_runs_on_one_data_folder_make_one_ordered_tape_per_symbol_and_day(qtbot, tmp_path) -> None:
    """The second run's simulator goes on where the first stopped: no day drawn again from 09:30."""
    cfg = tmp_path / "cfg"
    ends = []
    for _ in range(2):
        desk = make_desk(cfg, None)
        await desk.open()
        try:
            hub = desk.market.hub
            await wait_until(lambda h=hub: h.ticks_applied > 200, 30, "trades")
            await asyncio.sleep(1.0)
        finally:
            await desk.close()
        ends.append(newest_trade_ts(make_engine(f"sqlite:///{cfg / 'simulator.db'}")))
    engine = make_engine(f"sqlite:///{cfg / 'simulator.db'}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT symbol, ts, seq FROM ticks ORDER BY symbol, ts, seq")).all()
        assert len(rows) > 400
        by_symbol: dict[str, list[tuple[int, int]]] = {}
        for symbol, ts, seq in rows:
            by_symbol.setdefault(symbol, []).append((ts, seq))
        for symbol, tape in by_symbol.items():
            seqs = [seq for _, seq in tape]
            assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), f"{symbol}: one ordered tape"
        assert ends[1] > ends[0], "the second run went on after the first"
        assert bar_mismatches(engine) == []
    finally:
        engine.dispose()


async def test_switching_source_leaves_no_figure_of_the_old_one(qtbot, tmp_path) -> None:
    """From the built-in simulator to "AllTick" (a second simulator on another day): nothing of the
    first stays on screen, and its trades never reach the real feed's database."""
    cfg = tmp_path / "cfg"
    other = start_simulator_process([*SIM_ARGS, "--date", "2026-11-20", "--seed", "11"])
    desk = make_desk(cfg, None)
    win = await desk.open()
    market = desk.market
    try:
        await wait_until(lambda: market.hub.freshness("700.HK").state is Freshness.LIVE, 20, "simulator live")
        first_day = market.hub.quotes["700.HK"].day
        desk.tokens.set("switch-t0ken")
        desk.settings.feed_source = "alltick"
        desk.settings.alltick_url = other.ws_url
        desk.settings.mark_changed("feed/token")
        desk.settings.sync()
        await desk.config.task
        assert market.source_text.startswith("AllTick")

        def streamed() -> bool:
            q = market.hub.quotes.get("700.HK")
            return q is not None and q.last is not None and q.streaming

        await wait_until(streamed, 20, "AllTick's trades")
        # this "AllTick" said it is the simulator: its day follows its trades, and it is named so
        assert market.feed_status.simulator

        def live() -> bool:  # once a streamed trade is newer than the one fetched at the switch
            market.refresh_freshness()
            return market.hub.freshness("700.HK").state is Freshness.LIVE

        await wait_until(live, 10, "700.HK live on the new source")
        await wait_until(lambda: win.status.source.text().endswith(", simulated"), 2, "the simulated mark")
        assert market.config.source.reached_simulator, "found before its database was chosen"
        # a real feed's day is the wall clock's: trades of 2026-11-20 are never today's live figures
        market._status = replace(market.feed_status, simulator=False)
        market.config = replace(market.config, source=replace(market.config.source, reached_simulator=False))
        market.refresh_freshness()
        assert market.hub.freshness("700.HK").state is Freshness.STORED
        win.on_frame()
        win.on_frame()
        days = {q.day for q in market.hub.quotes.values() if q.last is not None}
        assert days and first_day not in days, "every figure shown is the new source's"
        assert all(t.ts // 86_400_000 != first_day for tape in market.hub.tapes.values() for t in tape)
        await wait_until(lambda: win.status.source.text().startswith("AllTick"), 2, "the status bar")
    finally:
        await desk.close()
        other.stop()
    # the switched-to "AllTick" named itself the simulator: its trades went to a database of their
    # own, apart from the built-in simulator's and from the one kept for real data
    assert stored_days(cfg / "hkdesk.db") == (None, set())
    assert stored_days(cfg / "simulator.db") == ("simulator", {first_day})
    stamped, dates = stored_days(cfg / "simulator-url.db")
    assert stamped == "simulator-url" and dates and first_day not in dates


def stored_days(path) -> tuple[str | None, set[int]]:
    """A database's source stamp and the days its trades are of (nothing: no file)."""
    if not path.exists():
        return None, set()
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            stamped = conn.execute(text("SELECT value FROM store_meta WHERE key = 'source'")).scalar()
            dates = {hk_day(ts) for (ts,) in conn.execute(text("SELECT ts FROM ticks")).all()}
    finally:
        engine.dispose()
    return stamped, dates


async def test_a_simulator_found_only_in_its_handshake_stores_into_the_simulators_database(
    qtbot, tmp_path, monkeypatch
) -> None:
    """The simulator behind an AllTick URL did not answer when the database was chosen: the
    handshake names it, nothing goes into the database of real data, and the app starts again
    on the simulator's own."""

    async def no_answer(url: str, timeout: float = 2.0) -> bool:
        return False

    monkeypatch.setattr(market_config, "reaches_simulator", no_answer)
    cfg = tmp_path / "cfg"
    sim = start_simulator_process(SIM_ARGS)
    desk = make_desk(cfg, None, sim_url=sim.ws_url)
    await desk.open()
    market = desk.market
    try:
        await wait_until(lambda: market.config.source.reached_simulator, 20, "the handshake's word")
        writer = lambda: market.writer  # noqa: E731 - the market starts a new one
        await wait_until(lambda: writer() is not None and writer().stats().stored_total, 20, "stored")
        assert market.config.db_url.endswith("simulator-url.db") and market.asked.db_url.endswith("hkdesk.db")
        await wait_until(lambda: market.hub.freshness("700.HK").state is Freshness.LIVE, 20, "live again")
    finally:
        await desk.close()
        sim.stop()
    stamped, dates = stored_days(cfg / "hkdesk.db")
    assert not dates, "nothing of the simulator in the database kept for real data"
    real = make_engine(f"sqlite:///{cfg / 'hkdesk.db'}")
    try:
        with real.connect() as conn:  # nor the day's bars: its HTTP answers were refused too
            assert conn.execute(text("SELECT count(*) FROM bars")).scalar() == 0
    finally:
        real.dispose()
    stamped, dates = stored_days(cfg / "simulator-url.db")
    assert stamped == "simulator-url" and dates


async def test_a_silent_feed_goes_stale_within_its_liveness_interval(qtbot, tmp_path) -> None:
    sim = start_simulator_process(SIM_ARGS)
    desk = make_desk(tmp_path / "cfg", None, sim_url=sim.ws_url)
    await desk.open()
    hub = desk.market.hub
    try:
        await wait_until(lambda: hub.freshness("700.HK").state is Freshness.LIVE, 20, "live")
        await control(sim.control_url, "fault", stall="")  # the socket stays open, nothing comes
        liveness = WINDOW.liveness_timeout
        took = await wait_until(
            lambda: hub.freshness("700.HK").state is Freshness.STALE, 3 * liveness + 2, "stale"
        )
        assert took <= liveness + 1.0, f"stale after {took:.2f} s; liveness is {liveness} s"
    finally:
        await desk.close()
        sim.stop()


async def test_symbols_beyond_the_plan_are_snapshots_with_their_book(qtbot, tmp_path) -> None:
    sim = start_simulator_process(SIM_ARGS)
    small = Plan("small", symbols_per_connection=3, connections=1, reconnect_spacing=0.3)
    opts = options(
        tmp_path / "cfg", None, url=sim.ws_url, token="small-plan-token", symbols="700,5,9988,1299,939"
    )
    desk = Desk(opts, timings=WINDOW, sim_args=SIM_ARGS, plan=small)
    await desk.open()
    hub = desk.market.hub
    try:
        await wait_until(lambda: desk.market.feed_status.overflow, 20, "symbols beyond the plan")
        beyond = [s for s in desk.market.feed_status.overflow if not s.isalpha()]
        assert beyond

        def snapshot_with_book(sym: str) -> bool:
            q = hub.quotes.get(sym)
            fresh = hub.freshness(sym)
            return (
                fresh.state is Freshness.SNAPSHOT
                and q is not None
                and q.bid is not None
                and q.ask is not None
            )

        await wait_until(lambda: all(snapshot_with_book(s) for s in beyond), 20, "snapshots with books")
        info = hub.freshness(beyond[0])
        assert info.note == "beyond the plan's streaming capacity" and info.age(info.since + 1) == 1
    finally:
        await desk.close()
        sim.stop()
