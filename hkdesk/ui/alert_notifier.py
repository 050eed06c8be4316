"""A fired alert told to the user: a desktop notification, an optional beep, a status message.

The notification goes through the system tray (``QSystemTrayIcon.showMessage``), which works
while the window is minimised. Where there is no tray (a bare X server, the offscreen platform)
the same words go to the status bar only. The sound is ``QApplication.beep()``: the system's
own alert sound, with nothing to ship (PySide6-Essentials has no QtMultimedia to play a file).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from hkdesk.alerts.rule import AlertEvent
from hkdesk.domain.symbols import SymbolInfo
from hkdesk.ui.alert_text import fired_text, symbol_title

#: Firings shown one by one in a batch; beyond that one notification says how many more.
SHOWN_AT_ONCE = 3
NOTICE_MS = 10_000


@dataclass(frozen=True, slots=True)
class Notice:
    title: str
    text: str


class AlertNotifier(QObject):
    def __init__(
        self,
        universe: dict[str, SymbolInfo],
        icon: QIcon,
        status: Callable[[str, int], None],
        sound: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        """``status(text, ms)``: the status bar; ``sound()``: whether to beep now (a setting)."""
        super().__init__(parent)
        self._universe = universe
        self._status = status
        self._sound = sound
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("hkdesk")
            self.tray.show()
        #: Every notice given, newest last (what the user was told; the diagnostics read it).
        self.notices: list[Notice] = []

    def notify(self, events: Sequence[AlertEvent]) -> list[Notice]:
        notices = [
            Notice(symbol_title(e.symbol, self._universe), fired_text(e.alert, e.price, e.ts))
            for e in events[:SHOWN_AT_ONCE]
        ]
        if len(events) > SHOWN_AT_ONCE:
            more = QCoreApplication.translate("Alerts", "{n} more alerts fired").format(
                n=len(events) - SHOWN_AT_ONCE
            )
            notices.append(Notice("hkdesk", more))
        for notice in notices:
            if self.tray is not None:
                self.tray.showMessage(
                    notice.title, notice.text, QSystemTrayIcon.MessageIcon.Information, NOTICE_MS
                )
            self._status(f"{notice.title}: {notice.text}", NOTICE_MS)
        self.notices.extend(notices)
        del self.notices[:-200]
        if self._sound():
            QApplication.beep()
        return notices

    def close(self) -> None:
        if self.tray is not None:
            self.tray.hide()
