"""Time & sales: the latest trades of the selected symbol, newest on top, bounded."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from hkdesk.domain import formatting as fmt
from hkdesk.domain.types import Direction, Tick
from hkdesk.i18n import QT_TRANSLATE_NOOP
from hkdesk.ui.colours import Palette, make_palette
from hkdesk.ui.freshness_badge import FreshnessBadge

HEADERS = (
    QT_TRANSLATE_NOOP("TapeModel", "Time"),
    QT_TRANSLATE_NOOP("TapeModel", "Price"),
    QT_TRANSLATE_NOOP("TapeModel", "Volume"),
    "",
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_DIR_TEXT = {
    Direction.BUY: QT_TRANSLATE_NOOP("TapeModel", "B"),
    Direction.SELL: QT_TRANSLATE_NOOP("TapeModel", "S"),
    Direction.NEUTRAL: "",
}


class TapeModel(QAbstractTableModel):
    """Rows are pre-formatted when a trade arrives; the deque bounds memory."""

    def __init__(self, capacity: int = 300, palette: Palette | None = None, parent=None) -> None:
        super().__init__(parent)
        self.capacity = capacity
        self._palette = palette or make_palette()
        self._rows: deque[tuple[tuple[str, str, str, str], int]] = deque()
        self._is_index = False
        self.live = True
        self._headers = tuple(QCoreApplication.translate("TapeModel", h) if h else "" for h in HEADERS)
        self._sides = {
            d: QCoreApplication.translate("TapeModel", t) if t else "" for d, t in _DIR_TEXT.items()
        }

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self._repaint()

    def set_live(self, live: bool) -> None:
        """Trades of a stream that stopped are shown dimmed (they are history, not the market now)."""
        if live != self.live:
            self.live = live
            self._repaint()

    def _repaint(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 3))

    def reset(self, ticks: Iterable[Tick], *, is_index: bool = False) -> None:
        """Show a new symbol's recent trades (oldest first in ``ticks``)."""
        self.beginResetModel()
        self._is_index = is_index
        self._rows = deque(self._row(t) for t in reversed(list(ticks)[-self.capacity :]))
        self.endResetModel()

    def prepend(self, ticks: list[Tick]) -> None:
        """Add new trades (oldest first) at the top, dropping the oldest beyond capacity."""
        if not ticks:
            return
        ticks = ticks[-self.capacity :]
        self.beginInsertRows(QModelIndex(), 0, len(ticks) - 1)
        for t in ticks:
            self._rows.appendleft(self._row(t))
        self.endInsertRows()
        excess = len(self._rows) - self.capacity
        if excess > 0:
            n = len(self._rows)
            self.beginRemoveRows(QModelIndex(), n - excess, n - 1)
            for _ in range(excess):
                self._rows.pop()
            self.endRemoveRows()

    def _row(self, t: Tick) -> tuple[tuple[str, str, str, str], int]:
        sign = 1 if t.direction == Direction.BUY else -1 if t.direction == Direction.SELL else 0
        texts = (
            fmt.time_text(t.ts),
            fmt.price_text(t.price, is_index=self._is_index),
            fmt.amount_text(t.volume) if t.volume >= 10_000 else f"{t.volume:,.0f}",
            self._sides.get(Direction(t.direction), ""),
        )
        return texts, sign

    def row_texts(self, row: int) -> tuple[str, str, str, str]:
        return self._rows[row][0]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _RIGHT if section in (1, 2) else _CENTER
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        texts, sign = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            if index.column() == 0 or not self.live:
                return self._palette.muted_brush
            return self._palette.for_sign(sign)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if index.column() in (1, 2) else _CENTER
        return None


class TapePanel(QWidget):
    """A compact table over :class:`TapeModel`; follows the newest trade unless scrolled."""

    def __init__(self, model: TapeModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = QTableView(self)
        self.view.setObjectName("tapeView")
        self.view.setModel(model)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(False)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setFocusPolicy(self.view.focusPolicy().NoFocus)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(18)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        h = self.view.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        h.setStretchLastSection(False)
        for col, width in enumerate((66, 72, 62, 22)):
            self.view.setColumnWidth(col, width)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.freshness = FreshnessBadge()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.freshness)
        lay.addWidget(self.view)
