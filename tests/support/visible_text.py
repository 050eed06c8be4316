"""Every text a window shows: its widgets' words, its menus, its tables' headers and visible
cells, and whatever its widgets paint (the ladder's words, the chart's axes), and a judge of
which of them are still English.

Painted text is caught by wrapping ``QPainter.drawText`` while the window paints itself into a
pixmap: the depth ladder and pyqtgraph's axes draw their words from Python through it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QWidget,
)

Found = list[tuple[str, str]]  # (where, text)
_TAGS = re.compile(r"<[^>]+>")


@contextmanager
def painted_texts() -> Iterator[list[str]]:
    """Collects the text of every ``QPainter.drawText`` made from Python inside the block."""
    original = QPainter.drawText
    seen: list[str] = []

    def spy(painter: QPainter, *args):
        seen.extend(a for a in args if isinstance(a, str))
        return original(painter, *args)

    QPainter.drawText = spy
    try:
        yield seen
    finally:
        QPainter.drawText = original


def _name(w: QWidget) -> str:
    return w.objectName() or type(w).__name__


def widget_texts(root: QWidget, skip: Callable[[QWidget], bool] = lambda w: False) -> Found:
    """The words of ``root`` and its visible children (``skip``: widgets whose own words are data)."""
    out: Found = [("window title", root.windowTitle())]
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible() or skip(w):
            continue
        where = _name(w)
        out.append((f"{where} tooltip", w.toolTip()))
        if isinstance(w, QLabel):
            out.append((where, _TAGS.sub(" ", w.text())))
        elif isinstance(w, QAbstractButton):
            out.append((where, w.text()))
        elif isinstance(w, QLineEdit):
            out += [(where, w.text()), (f"{where} placeholder", w.placeholderText())]
        elif isinstance(w, QComboBox):
            out += [(where, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QGroupBox):
            out.append((where, w.title()))
        elif isinstance(w, QDockWidget):
            out.append((where, w.windowTitle()))
        elif isinstance(w, QTabBar):
            out += [(where, w.tabText(i)) for i in range(w.count())]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            out += view_texts(w)
    return out


def view_texts(view: QAbstractItemView, data_columns: Iterable[int] = ()) -> Found:
    """A table's column headers and the cells on screen with their tooltips (``data_columns``
    left out)."""
    model, where = view.model(), _name(view)
    skip = set(data_columns)
    out: Found = [
        (f"{where} header", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
        for c in range(model.columnCount())
    ]
    rows = range(min(model.rowCount(), 40))
    for r in rows:
        for c in range(model.columnCount()):
            if c not in skip:
                index = model.index(r, c)
                out.append((f"{where} cell", str(index.data() or "")))
                out.append((f"{where} cell tooltip", str(index.data(Qt.ItemDataRole.ToolTipRole) or "")))
    return out


def menu_texts(actions: Iterable[QAction], where: str = "menu") -> Found:
    out: Found = []
    for a in actions:
        out.append((where, a.text()))
        if a.toolTip() != re.sub(r"&|…|\.\.\.", "", a.text()):  # one of its own, not Qt's copy of the text
            out.append((f"{where} tooltip", a.toolTip()))
        menu: QMenu | None = a.menu()
        if menu is not None:
            out += menu_texts(menu.actions(), f"{where} › {menu.title()}")
    return out


class EnglishJudge:
    """Finds texts with English words left in them, after taking out what stays as it is in
    every language: ``allowed`` words and phrases (product names, codes, stock names), ``units``
    right after a figure (``12.5K``) and web addresses."""

    def __init__(self, allowed: Iterable[str], units: Iterable[str] = ()) -> None:
        words = sorted({a for a in allowed if a}, key=len, reverse=True)
        self._allowed = re.compile("|".join(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])" for w in words))
        self._units = re.compile("|".join(rf"(?<=\d){re.escape(u)}(?![A-Za-z])" for u in units) or "$^")
        self._url = re.compile(r"\w+://\S+")
        self._mnemonic = re.compile(r"\(&\w\)")  # the Chinese way: 檔案(&F)

    def leftover(self, text: str) -> str:
        text = self._mnemonic.sub(" ", self._url.sub(" ", text))
        return self._units.sub(" ", self._allowed.sub(" ", text))

    def english(self, found: Found) -> Found:
        return [(where, text) for where, text in found if re.search(r"[A-Za-z]", self.leftover(text))]
