"""Sorting and filtering for the watchlist, re-sorted on demand instead of on every tick."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from hkdesk.ui.watchlist_model import SORT_ROLE, Col


class WatchlistProxy(QSortFilterProxyModel):
    """``dynamicSortFilter`` is off: a live sort would reshuffle rows on every frame.

    The window calls :meth:`resort` on a slow timer; filtering matches code and names.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self.setSortRole(SORT_ROLE)
        self._needle = ""

    def set_filter_text(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self._needle = text.strip().lower()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = text.strip().lower()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._needle:
            return True
        m = self.sourceModel()
        for col in (Col.CODE, Col.NAME, Col.NAME_ZH):
            text = m.data(m.index(source_row, col, source_parent), Qt.ItemDataRole.DisplayRole)
            if text and self._needle in str(text).lower():
                return True
        return False

    def resort(self) -> None:
        col = self.sortColumn()
        if col >= 0:
            self.sort(col, self.sortOrder())
