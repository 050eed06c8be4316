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
    """The window icon: the PNG set in ``hkdesk.resources/icons`` (packaging/make_icons.py renders
    it from the SVG, each size drawn for its size), or the SVG if the set is missing."""
    icon = QIcon()
    try:
        folder = resources.files("hkdesk.resources").joinpath("icons")
        for entry in folder.iterdir():
            if entry.name.startswith("hkdesk-") and entry.name.endswith(".png"):
                pixmap = QPixmap()
                if pixmap.loadFromData(entry.read_bytes(), "PNG"):
                    icon.addPixmap(pixmap)
        if icon.isNull():
            pixmap = QPixmap()
            pixmap.loadFromData(folder.joinpath("hkdesk.svg").read_bytes(), "SVG")
            icon.addPixmap(pixmap)
    except (FileNotFoundError, OSError) as exc:
        log.warning("no app icon (%s)", exc)
    return icon


def apply_theme(app: QApplication, theme: Theme | str) -> None:
    app.setStyle("Fusion")
    app.setStyleSheet(stylesheet(theme))
