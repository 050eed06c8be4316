"""The notification of a firing: the tray when there is one, the status bar always, a beep when
the setting says so, and a batch beyond three firings told in one more line."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from hkdesk.alerts.model import Alert, Kind
from hkdesk.alerts.rule import AlertEvent
from hkdesk.domain.symbols import default_universe
from hkdesk.ui.alert_notifier import AlertNotifier

TS = 1_764_207_000_000


def event(symbol: str, price: str) -> AlertEvent:
    alert = Alert(symbol, Kind.ABOVE, Decimal("1"))
    return AlertEvent(alert, alert.describe(), Decimal(price), TS, 1)


def test_without_a_tray_the_status_bar_tells_it(qapp, monkeypatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    beeps: list[int] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(1)))
    shown: list[tuple[str, int]] = []
    notifier = AlertNotifier(default_universe(), QIcon(), lambda t, ms: shown.append((t, ms)), lambda: False)
    assert notifier.tray is None
    notices = notifier.notify([event("700.HK", "401.2")])
    assert notices[0].title == "00700 TENCENT"
    assert notices[0].text.startswith("price ≥ 1: traded at 401.2 at ")
    assert shown == [(f"{notices[0].title}: {notices[0].text}", 10_000)]
    assert beeps == [], "the sound is off"


def test_a_burst_is_told_in_four_lines_with_one_beep(qapp, monkeypatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    tray: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda self, t, m, *a: tray.append((t, m)))
    beeps: list[int] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(1)))
    notifier = AlertNotifier(default_universe(), QIcon(), lambda t, ms: None, lambda: True)
    symbols = ["700.HK", "5.HK", "9988.HK", "1299.HK", "388.HK"]
    notifier.notify([event(s, "10") for s in symbols])
    assert [t for t, _ in tray] == ["00700 TENCENT", "00005 HSBC HOLDINGS", "09988 BABA-SW", "hkdesk"]
    assert tray[-1][1] == "2 more alerts fired"
    assert beeps == [1]
    notifier.close()
