"""The look: the QSS themes shipped in ``hkdesk.resources`` (found with importlib, so frozen builds
work) over Qt's Fusion style, with title-bar icons drawn in the theme's colours.

Fusion's own close and float icons are dark glyphs on a light square, made for a light palette;
on the dark theme they nearly vanish (the dark stylesheet used to hide the close icon altogether).
"""

from __future__ import annotations

import logging
import re
from importlib import resources

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

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


#: Colour of the title-bar glyphs: the dock titles' text colour in each theme.
GLYPH_COLOUR = {Theme.DARK: "#c9d1d9", Theme.LIGHT: "#57606a"}
_CLOSE = (QStyle.StandardPixmap.SP_TitleBarCloseButton, QStyle.StandardPixmap.SP_DockWidgetCloseButton)
_FLOAT = QStyle.StandardPixmap.SP_TitleBarNormalButton


def _glyph(colour: str, close: bool, scale: int) -> QPixmap:
    """A 12-point close cross or float (two windows) glyph, drawn at ``scale`` for sharp HiDPI."""
    pixmap = QPixmap(12 * scale, 12 * scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    pixmap.setDevicePixelRatio(scale)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor(colour), 1.6, c=Qt.PenCapStyle.RoundCap))
    if close:
        p.drawLine(QLineF(2.5, 2.5, 9.5, 9.5))
        p.drawLine(QLineF(9.5, 2.5, 2.5, 9.5))
    else:  # a window in front of another, the one behind showing above and to the right
        p.drawRect(QRectF(1.5, 4.5, 6, 6))
        p.drawPolyline(QPolygonF([QPointF(4.5, 4.5), QPointF(4.5, 1.5), QPointF(10.5, 1.5),
                                  QPointF(10.5, 7.5), QPointF(7.5, 7.5)]))  # fmt: skip
    p.end()
    return pixmap


class DeskStyle(QProxyStyle):
    """Fusion, with the dock title bars' close and float icons drawn in ``colour``."""

    def __init__(self, colour: str) -> None:
        super().__init__("Fusion")
        self.icons = {}
        for key, close in ((_FLOAT, False), *((k, True) for k in _CLOSE)):
            icon = QIcon()
            for scale in (1, 2):
                icon.addPixmap(_glyph(colour, close, scale))
            self.icons[key] = icon

    def standardIcon(
        self,
        standardIcon: QStyle.StandardPixmap,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> QIcon:
        found = self.icons.get(standardIcon)
        return QIcon(found) if found is not None else super().standardIcon(standardIcon, option, widget)


_FONT_SIZE = re.compile(r"font-size:\s*(\d+)px")


def zoomed(qss: str, zoom: float) -> str:
    """The stylesheet with every ``font-size`` scaled by ``zoom`` (the View menu's text size)."""
    if zoom == 1:
        return qss
    return _FONT_SIZE.sub(lambda m: f"font-size: {max(6, round(int(m[1]) * zoom))}px", qss)


def apply_theme(app: QApplication, theme: Theme | str, zoom: float = 1.0) -> None:
    app.setStyle(DeskStyle(GLYPH_COLOUR[Theme(theme)]))
    app.setStyleSheet(zoomed(stylesheet(theme), zoom))
