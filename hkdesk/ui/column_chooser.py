"""The watchlist's columns: shown, hidden and reordered from the header's context menu, per list.

Each named list keeps its own columns (which are shown, their order and widths), saved in the
settings under the list's name and brought back when the list is shown again. A list with none
saved starts from the layout the app saved before columns were kept per list, else from the
default. Columns added to the app after a list's layout was saved start hidden on it. The model
formats only the optional columns that are shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView

from hkdesk.app.settings import AppSettings
from hkdesk.ui.column_shares import ColumnShares
from hkdesk.ui.watchlist_rows import NCOL, OPTIONAL, Col

translate = QCoreApplication.translate
#: The columns a list's layout held when layouts were saved without their count (up to the 52-week low).
SAVED_BEFORE_COUNTS = Col.LOW_52W + 1


class ColumnChooser(QObject):
    def __init__(
        self,
        view: QTableView,
        shares: ColumnShares,
        settings: AppSettings,
        shown_changed: Callable[[set[int]], None],
    ) -> None:
        """``shown_changed(columns)``: the columns on screen changed (the model formats those)."""
        super().__init__(view)
        self._view = view
        self._shares = shares
        self._settings = settings
        self._shown_changed = shown_changed
        self._header = view.horizontalHeader()
        self._default = QByteArray(self._header.saveState())
        self._default_base = dict(shares.base)
        self._header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._header.customContextMenuRequested.connect(self._popup)
        self.menu_shown: QMenu | None = None

    def shown(self) -> set[int]:
        return {c for c in range(NCOL) if not self._view.isColumnHidden(c)}

    def menu(self) -> QMenu:
        """Every column, checked when shown, in the order on screen; then Reset."""
        menu = QMenu(self._view)
        menu.setObjectName("columnsMenu")
        model = self._view.model()
        for visual in range(self._header.count()):
            col = self._header.logicalIndex(visual)
            title = model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            action = QAction(str(title), menu, checkable=True, checked=not self._view.isColumnHidden(col))
            action.setData(col)
            action.setEnabled(col != Col.CODE)  # a row needs its code
            action.toggled.connect(lambda on, c=col: self.set_shown(c, on))
            menu.addAction(action)
        menu.addSeparator()
        reset = QAction(translate("ColumnChooser", "Reset columns"), menu, objectName="resetColumns")
        reset.triggered.connect(self.reset)
        menu.addAction(reset)
        return menu

    def _popup(self, pos: QPoint) -> None:
        self.menu_shown = self.menu()
        self.menu_shown.popup(self._header.mapToGlobal(pos))

    def set_shown(self, col: int, shown: bool) -> None:
        if col == Col.CODE or self._view.isColumnHidden(col) != shown:
            return
        self._view.setColumnHidden(col, not shown)
        if shown:
            self._view.setColumnWidth(col, self._shares.base.get(col, 70))
        self._changed()

    def reset(self) -> None:
        """The default columns, order and widths."""
        self._header.restoreState(self._default)
        self._shares.base = dict(self._default_base)
        self._changed()

    def _changed(self) -> None:
        self._shares.apply()
        self._shown_changed(self.shown())

    # ------------------------------------------------------------ per list
    def load(self, list_name: str) -> None:
        """Show the columns kept for ``list_name`` (or the older shared layout, or the default)."""
        state = self._settings.columns_state(list_name)
        if state is not None and self._header.restoreState(state):
            known = self._settings.columns_known(list_name) or SAVED_BEFORE_COUNTS
            if known < NCOL:
                self._rebuild(known)
            self._shares.rebase()
        else:
            self._header.restoreState(self._default)
            self._shares.base = dict(self._default_base)
            legacy = self._settings.header_state()
            if legacy is not None and self._header.restoreState(legacy):
                for col in OPTIONAL:  # columns newer than that layout start hidden
                    self._view.setColumnHidden(col, True)
                self._shares.rebase()
        self._changed()

    def _rebuild(self, known: int) -> None:
        """A layout of the first ``known`` columns, restored, on the default header, the columns
        added since then hidden. Qt shows those, and keeps a header restored from fewer sections in
        a state whose saved form it cannot restore, so the layout is applied afresh."""
        header, view = self._header, self._view
        order = sorted(range(NCOL), key=header.visualIndex)
        hidden = {c for c in range(NCOL) if view.isColumnHidden(c) or (c >= known and c in OPTIONAL)}
        widths = {c: header.sectionSize(c) for c in range(known) if c not in hidden}
        header.restoreState(self._default)
        for position, col in enumerate(order):
            header.moveSection(header.visualIndex(col), position)
        for col in range(NCOL):
            view.setColumnHidden(col, col in hidden)
        for col, width in widths.items():
            header.resizeSection(col, width)

    def save(self, list_name: str) -> None:
        self._settings.save_columns_state(list_name, QByteArray(self._header.saveState()), NCOL)

    def follow(self, old: str, new: str, names: list[str]) -> None:
        """The list shown changed from ``old`` to ``new``: a switch keeps each list's columns; a
        rename carries them over; a deleted list's are forgotten."""
        if old == new:
            return
        if old in names:
            self.save(old)
            self.load(new)
            return
        self._settings.forget_columns_state(old)
        if self._settings.columns_state(new) is None:
            self.save(new)  # renamed: the same columns under the new name
        else:
            self.load(new)
