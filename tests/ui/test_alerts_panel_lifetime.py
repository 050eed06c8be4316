"""The Alerts panel lives as long as its window; the alert service lives on (it is closed last),
and a panel that is gone must no longer be told that the alerts changed."""

from __future__ import annotations

import shiboken6

from hkdesk.app.alert_service import AlertService
from hkdesk.app.settings import AppSettings
from hkdesk.ui.alerts_panel import AlertsPanel


def test_a_deleted_panel_no_longer_hears_the_service(qtbot, tmp_path) -> None:
    service = AlertService(tmp_path / "cfg")
    settings = AppSettings(tmp_path / "cfg")
    panel = AlertsPanel(service, {}, settings, lambda _text: None, lambda: None)
    service.changed.emit()
    shiboken6.delete(panel)
    service.changed.emit()  # reached the deleted panel: "Internal C++ object already deleted"
    qtbot.wait(10)
