"""Alerts in the real window over a scripted AllTick tape: each kind fires on exactly the trade
that meets its condition and not before, and the row mark, the notification (tray and beep),
the Alerts dock and the alert log in the database follow. Alerts survive a restart."""

from __future__ import annotations

import json
from datetime import datetime, time
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from support.desks import make_desk
from support.scripted_alltick import Scripted
from support.waits import wait_until

from hkdesk.alerts.model import Alert, Kind
from hkdesk.alerts.store import AlertStore
from hkdesk.domain.sessions import HK_TZ, hk_now
from hkdesk.ui.alert_text import rule_text
from hkdesk.ui.watchlist_model import Col

TOKEN = "alerts-test-token"
SYMBOLS = "700,5,9988,1299,939,388"
OPEN = datetime.combine(hk_now().date(), time(9, 30), HK_TZ)
OPEN_MS = int(OPEN.timestamp() * 1000)
MINUTE = 60_000

ALERTS = [
    Alert("700.HK", Kind.ABOVE, Decimal("101.0")),
    Alert("5.HK", Kind.BELOW, Decimal("99.0")),
    Alert("9988.HK", Kind.CHANGE_ABOVE, Decimal("2")),
    Alert("1299.HK", Kind.CHANGE_BELOW, Decimal("-2")),
    Alert("939.HK", Kind.MOVE, Decimal("1"), minutes=2),
    Alert("388.HK", Kind.VOLUME_SURGE, Decimal("3"), minutes=1),
]
#: Per symbol: trades (ms after the open, price, volume) that must not fire, then the one that must.
TAPES: dict[str, tuple[list[tuple[int, str, int]], tuple[int, str, int]]] = {
    "700.HK": ([(10_000, "100.5", 100), (20_000, "100.9", 100)], (30_000, "101.0", 100)),
    "5.HK": ([(10_000, "99.5", 100), (20_000, "99.05", 100)], (30_000, "99.0", 100)),
    "9988.HK": ([(10_000, "101.0", 100), (20_000, "101.95", 100)], (30_000, "102.0", 100)),
    "1299.HK": ([(10_000, "99.0", 100), (20_000, "98.05", 100)], (30_000, "98.0", 100)),
    # 1 % from the window's low (100.0) is 101.0; 100.99 is not enough, and 101.0 three minutes
    # after the low would be (the low has left the two-minute window by then: not tested here)
    "939.HK": ([(0, "100.0", 100), (30_000, "100.5", 100), (60_000, "100.99", 100)], (90_000, "101.0", 100)),
    # five one-minute windows of 100 each, then the sixth minute reaches 3 × 100 on its fourth trade
    "388.HK": (
        [(m * MINUTE + 5_000, "50.0", 100) for m in range(5)]
        + [(5 * MINUTE + s * 1000, "50.0", v) for s, v in ((1, 100), (2, 100), (3, 99))],
        (5 * MINUTE + 4_000, "50.0", 1),
    ),
}


def trade(code: str, seq: int, ts: int, price: str, volume: int) -> str:
    data = {"code": code, "seq": seq, "tick_time": ts, "price": price, "volume": str(volume)}
    return json.dumps({"cmd_id": 22998, "data": {**data, "trade_direction": 1}})


def subscribed(server: Scripted) -> bool:
    """The newest socket streams every symbol with an alert."""
    newest = server.lists.get(len(server.sockets) - 1, [])
    return {a.symbol for a in ALERTS} <= set(newest)


class Calls:
    def __init__(self) -> None:
        self.tray: list[tuple[str, str]] = []
        self.beeps = 0


@pytest.fixture
def calls(monkeypatch) -> Calls:
    """A system tray that records what it is asked to show (offscreen has none), and the beep."""
    seen = Calls()
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda self, t, m, *a: seen.tray.append((t, m)))

    def beep() -> None:
        seen.beeps += 1

    monkeypatch.setattr(QApplication, "beep", staticmethod(beep))
    return seen


async def test_each_kind_fires_on_the_trade_that_meets_it_and_the_window_follows(
    qtbot, tmp_path, calls
) -> None:
    cfg = tmp_path / "cfg"
    store = AlertStore.in_folder(cfg)
    stored = store.add(ALERTS)
    store.close()
    async with Scripted(token=TOKEN) as server:
        server.paused = True  # only the trades the test sends
        desk = make_desk(cfg, f"sqlite:///{tmp_path / 'a.db'}", url=server.url, token=TOKEN, symbols=SYMBOLS)
        win = await desk.open()
        win.dock_alerts.show()
        win.showMinimized()  # alerts are judged and told whether the window shows or not
        try:
            fired: list = []
            desk.alerts.fired.connect(fired.extend)
            assert sorted(desk.alerts.symbols()) == sorted(a.symbol for a in ALERTS)
            await wait_until(lambda: subscribed(server), what="the symbols subscribed")
            for symbol in ("9988.HK", "1299.HK"):
                desk.market.set_previous_close(symbol, Decimal("100"))
            seq = 0
            for symbol, (quiet, firing) in TAPES.items():
                for offset, price, volume in quiet:
                    seq += 1
                    server.inject.put_nowait(trade(symbol, seq, OPEN_MS + offset, price, volume))
                await wait_until(
                    lambda s=symbol, p=quiet[-1][1]: (
                        (q := desk.market.hub.quotes.get(s)) and q.last == Decimal(p)
                    ),
                    what=f"{symbol}'s quiet trades in the hub",
                )
                await wait_until(lambda: desk.alerts.pump.pending == 0, what="the quiet trades judged")
                assert [e for e in fired if e.symbol == symbol] == [], f"{symbol} fired before its condition"
                assert symbol not in win.model.marked()
                seq += 1
                offset, price, volume = firing
                server.inject.put_nowait(trade(symbol, seq, OPEN_MS + offset, price, volume))
                await wait_until(lambda s=symbol: any(e.symbol == s for e in fired), what=f"{symbol} firing")
                event = next(e for e in fired if e.symbol == symbol)
                assert event.price == Decimal(price) and event.ts == OPEN_MS + offset and event.seq == seq
                # the row is marked with what fired, in words of the interface
                alert = next(a for a in stored if a.symbol == symbol)
                assert rule_text(alert) in win.model.marked()[symbol]
                code = win.model.index(win.model.row_of(symbol), Col.CODE)
                assert code.data(Qt.ItemDataRole.BackgroundRole) == win.palette_.alert
            assert len(fired) == len(ALERTS), "each alert once, nothing else"
            # one notification per firing, in the tray and the status bar, with a beep each time
            assert [t for t, _ in calls.tray] == [n.title for n in win.tools.notifier.notices]
            assert len(calls.tray) == len(ALERTS) and calls.beeps == len(ALERTS)
            for title, text in calls.tray:
                assert title.split()[0] in {"00700", "00005", "09988", "01299", "00939", "00388"}
                assert "traded at" in text
            # the log in the database holds each firing, and the dock reads it back
            log_store = AlertStore.in_folder(cfg)
            try:
                await wait_until(lambda: len(log_store.log()) == len(ALERTS), what="the alert log written")
                entries = log_store.log()
                assert {(e.symbol, e.price, e.ts) for e in entries} == {
                    (e.symbol, e.price, e.ts) for e in fired
                }
                assert all(e.source == "alltick" for e in entries)
                assert all(a.last_fired_ts is not None for a in log_store.alerts()), "firing times kept"
            finally:
                log_store.close()
            await wait_until(
                lambda: win.tools.alerts_panel.log_model.rowCount() == len(ALERTS), what="the log"
            )
            states = [r[3] for r in win.tools.alerts_panel.alerts_model.rows]
            assert set(states) == {"fired"}, "once-alerts are spent"
        finally:
            await desk.close()

        # after a restart the spent alerts stay spent: the same trades again fire nothing
        desk = make_desk(cfg, f"sqlite:///{tmp_path / 'a.db'}", url=server.url, token=TOKEN, symbols=SYMBOLS)
        await desk.open()
        try:
            fired = []
            desk.alerts.fired.connect(fired.extend)
            assert all(a.spent for a in desk.alerts.alerts())
            await wait_until(lambda: len(server.sockets) > 1 and subscribed(server), what="subscribed again")
            seq += 1
            server.inject.put_nowait(trade("700.HK", seq, OPEN_MS + 40_000, "105.0", 100))
            await wait_until(
                lambda: (q := desk.market.hub.quotes.get("700.HK")) and q.last == Decimal("105.0"),
                what="a trade",
            )
            await wait_until(lambda: desk.alerts.pump.pending == 0, what="judged")
            assert fired == []
        finally:
            await desk.close()


async def test_an_unreadable_alerts_file_leaves_the_window_running_and_says_why(qtbot, tmp_path) -> None:
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    junk = b"not an alerts file " * 200
    (cfg / "alerts.db").write_bytes(junk)
    async with Scripted(token=TOKEN) as server:
        desk = make_desk(cfg, f"sqlite:///{tmp_path / 'b.db'}", url=server.url, token=TOKEN, symbols="700")
        win = await desk.open()
        try:
            assert "cannot use the alerts file" in desk.alerts.problem
            await wait_until(lambda: desk.market.link()[0] == "Live", what="the feed live all the same")
            dialog = win.tools.new_alert_for("700.HK", value=Decimal("400"))
            dialog.accept()
            await wait_until(
                lambda: "cannot use the alerts file" in win.status.currentMessage(), what="the reason shown"
            )
        finally:
            await desk.close()
    assert (cfg / "alerts.db").read_bytes() == junk, "the user's file is left as it was"
