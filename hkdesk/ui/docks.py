"""The window's dock widgets: a title that reads right docked and floating, and floating on screen.

Docked, Qt reads ``&`` in a dock's title as a mnemonic marker (in its title bar, its tab and the
View menu), so "Time & Sales" must be written "Time && Sales" there; a floating dock's title is a
window title, shown as written. The title is switched as the dock floats and docks again.

A floating dock, whether floated now or restored from a layout saved on a screen that is gone,
is moved (and if need be shrunk) into the available area of a screen.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QDockWidget, QWidget


def clamp_rect(rect: QRect, area: QRect) -> QRect:
    """``rect`` moved (and shrunk if larger) to lie inside ``area``."""
    w, h = min(rect.width(), area.width()), min(rect.height(), area.height())
    x = max(area.left(), min(rect.left(), area.right() + 1 - w))
    y = max(area.top(), min(rect.top(), area.bottom() + 1 - h))
    return QRect(x, y, w, h)


class Dock(QDockWidget):
    def __init__(self, key: str, title: str, widget: QWidget, parent: QWidget) -> None:
        """``key`` names the dock in the saved layout, so it must not change with the language."""
        super().__init__(parent)
        self.title = title
        self.setObjectName(f"dock_{key}")
        self.setWidget(widget)
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.topLevelChanged.connect(self._floated)
        self._show_title(floating=False)

    def _show_title(self, *, floating: bool) -> None:
        escaped = self.title.replace("&", "&&")
        self.setWindowTitle(self.title if floating else escaped)
        self.toggleViewAction().setText(escaped)  # a menu item: the mnemonic rule applies

    def _floated(self, floating: bool) -> None:
        self._show_title(floating=floating)
        if floating:
            # Qt places the new window after this signal; look at it once it has
            QTimer.singleShot(0, self, self.keep_on_screen)

    def _screen(self) -> QScreen | None:
        centre = self.frameGeometry().center()
        found = QGuiApplication.screenAt(centre)
        if found is not None:
            return found
        parent = self.parentWidget()
        return parent.screen() if parent is not None else QGuiApplication.primaryScreen()

    def keep_on_screen(self) -> None:
        """A floating dock wholly inside the available area of the screen it is on (the main
        window's screen when it is on none), title bar included."""
        if not self.isFloating():
            return
        screen = self._screen()
        if screen is None:
            return
        frame = self.frameGeometry()
        inside = clamp_rect(frame, screen.availableGeometry())
        if inside == frame:
            return
        border = QPoint(frame.width() - self.width(), frame.height() - self.height())
        self.resize(inside.width() - border.x(), inside.height() - border.y())
        self.move(inside.topLeft())
