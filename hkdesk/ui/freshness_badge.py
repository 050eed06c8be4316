"""A small label naming where the shown figures came from (live, snapshot, stored, stale).

Its tooltip is written when it is about to show, so the age it gives is the age now.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel

from hkdesk.domain.freshness import Freshness, FreshnessInfo
from hkdesk.ui.freshness_text import badge_text, state_name, tooltip


class FreshnessBadge(QLabel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("freshnessBadge")
        self.info: FreshnessInfo | None = None
        self._last_ts = 0
        self.setVisible(False)

    def show_state(self, info: FreshnessInfo | None, last_ts: int = 0) -> None:
        self._last_ts = last_ts
        if info == self.info:
            return
        self.info = info
        if info is None:
            self.setVisible(False)
            return
        live = info.state is Freshness.LIVE
        self.setText(f"● {state_name(info.state)}" if live else f"⚠ {badge_text(info.state).upper()}")
        self.setProperty("state", info.state.value)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(True)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and self.info is not None:
            self.setToolTip(tooltip(self.info, time.time(), self._last_ts))
        return super().event(e)
