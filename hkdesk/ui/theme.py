"""Loading the QSS themes shipped in ``hkdesk.resources`` (found with importlib, so frozen builds work)."""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from hkdesk.ui.colours import Theme

log = logging.getLogger(__name__)


def stylesheet(theme: Theme | str) -> str:
    name = f"{Theme(theme).value}.qss"
    try:
        return resources.files("hkdesk.resources").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        log.warning("theme %s not found (%s); using the Qt default look", name, exc)
        return ""


def app_icon() -> QIcon:
    """The window icon (an SVG in ``hkdesk.resources/icons``); empty if it is missing."""
    try:
        data = resources.files("hkdesk.resources").joinpath("icons", "hkdesk.svg").read_bytes()
    except (FileNotFoundError, OSError):
        return QIcon()
    pixmap = QPixmap()
    pixmap.loadFromData(data, "SVG")
    return QIcon(pixmap)


def apply_theme(app: QApplication, theme: Theme | str) -> None:
    app.setStyle("Fusion")
    app.setStyleSheet(stylesheet(theme))
