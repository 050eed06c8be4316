"""A table whose columns share extra width in proportion, instead of one column taking it all.

Each column has a base width (its default, or what the user dragged it to), and every column is
that times one factor: the table's width over the base widths together. A maximised window so
spreads the watchlist's columns instead of opening a gap after the English name; a narrow one
narrows them all a little, down to :data:`MIN_FACTOR`, before the table scrolls sideways.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView

MIN_FACTOR = 0.85


class ColumnShares(QObject):
    def __init__(self, view: QTableView, widths: dict[int, int]) -> None:
        super().__init__(view)
        self._view = view
        self.base = dict(widths)
        self._applying = False
        view.horizontalHeader().sectionResized.connect(self._resized_by_user)
        view.viewport().installEventFilter(self)

    def _shown(self) -> dict[int, int]:
        return {c: w for c, w in self.base.items() if not self._view.isColumnHidden(c)}

    def factor(self) -> float:
        total = sum(self._shown().values())
        return max(MIN_FACTOR, self._view.viewport().width() / total) if total else 1.0

    def rebase(self) -> None:
        """Take the columns' present widths as their base (after a saved header was restored; one
        saved by an earlier version had a stretching column, which would fight the shares)."""
        self._view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        f = self.factor()
        view = self._view
        self.base = {
            c: w if view.isColumnHidden(c) else max(1, round(view.columnWidth(c) / f))
            for c, w in self.base.items()
        }
        self.apply()

    def apply(self) -> None:
        f = self.factor()
        self._applying = True
        try:
            for column, width in self._shown().items():
                self._view.setColumnWidth(column, int(width * f))  # rounded down: never a pixel too wide
        finally:
            self._applying = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.apply()
        return False

    def _resized_by_user(self, column: int, _old: int, new: int) -> None:
        if not self._applying and column in self.base and new > 0:
            self.base[column] = max(1, round(new / self.factor()))
