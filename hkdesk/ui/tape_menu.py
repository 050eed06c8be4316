"""Time & sales' context menu: copy a trade or the whole tape, export the day's ticks."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu

from hkdesk.ui.tape import TapePanel

translate = QCoreApplication.translate


class TapeMenu(QObject):
    def __init__(self, panel: TapePanel, export_ticks: Callable[[], object]) -> None:
        """``export_ticks()`` opens the export of the shown symbol's ticks of its day."""
        super().__init__(panel)
        self.panel = panel
        self._export = export_ticks
        panel.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        panel.view.customContextMenuRequested.connect(self._popup)
        self.menu_shown: QMenu | None = None

    def rows_text(self, rows: range | list[int]) -> str:
        """Tab-separated trades (time, price, volume, side) under a header line."""
        model = self.panel.model
        header = [
            str(model.headerData(c, Qt.Orientation.Horizontal) or translate("TapeMenu", "Side"))
            for c in range(model.columnCount())
        ]
        lines = ["\t".join(header)] + ["\t".join(model.row_texts(r)) for r in rows]
        return "\n".join(lines) + "\n"

    def copy(self, rows: range | list[int]) -> str:
        text = self.rows_text(rows)
        QGuiApplication.clipboard().setText(text)
        return text

    def menu(self, row: int) -> QMenu:
        """``row``: the trade under the pointer (-1: none)."""
        menu = QMenu(self.panel)
        menu.setObjectName("tapeMenu")
        one = QAction(translate("TapeMenu", "Copy trade"), menu, objectName="tape_copy")
        one.setEnabled(row >= 0)
        one.triggered.connect(lambda: self.copy([row]))
        every = QAction(translate("TapeMenu", "Copy all trades"), menu, objectName="tape_copy_all")
        every.setEnabled(self.panel.model.rowCount() > 0)
        every.triggered.connect(lambda: self.copy(range(self.panel.model.rowCount())))
        export = QAction(translate("TapeMenu", "Export the day's ticks…"), menu, objectName="tape_export")
        export.triggered.connect(self._export)
        for action in (one, every):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(export)
        return menu

    def _popup(self, pos: QPoint) -> None:
        self.menu_shown = self.menu(self.panel.view.rowAt(pos.y()))
        self.menu_shown.popup(self.panel.view.viewport().mapToGlobal(pos))
