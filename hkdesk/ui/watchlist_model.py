"""The watchlist table model: one row per symbol, repainted in coalesced frames.

Ticks never reach this model directly. The frame timer hands it the symbols that changed
(``QuoteHub.take_dirty()``) and the source rows currently on screen. Changed rows on screen are
formatted at once and compared with what they showed: ``dataChanged`` covers only the cells
whose text or colour changed (a trade usually changes six of thirteen), one emission per run of
rows with the same changed columns, so the view repaints those cells and no others. Rows off
screen are only marked stale and formatted lazily, on the first ``data()`` that needs them. The
background role of rows whose flash is still fading is re-emitted alone.

``data()`` answers from lists prepared by the formatting; it is called once per role per cell
for every cell painted (seven roles through the sorting proxy), so roles the model never sets
return at once, before the index is read.

A row whose figures are not live (a snapshot, stored from an earlier run or day, or a stream that
stopped) is dimmed, does not flash, names its state in the Status column and explains itself in
a tooltip (computed only when asked for).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Iterator
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from hkdesk.app.fundamentals import Missing
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.static_info import StaticInfo
from hkdesk.domain.symbols import SymbolInfo
from hkdesk.ui.colours import FLASH_STEPS, Palette, make_palette
from hkdesk.ui.facts_text import facts_tip
from hkdesk.ui.freshness_text import part_day_text, tooltip
from hkdesk.ui.watchlist_rows import (
    ALIGN,
    FACT_COLUMNS,
    HEADER_TIPS,
    HEADERS,
    NCOL,
    OPTIONAL,
    PART_DAY_COLUMNS,
    Col,
    Row,
    format_row,
)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SYMBOL_ROLE = Qt.ItemDataRole.UserRole + 2
FLASH_SECONDS = 0.6


#: Roles a quote change can affect; the view repaints exactly these.
QUOTE_ROLES = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole]
FLASH_ROLES = [Qt.ItemDataRole.BackgroundRole]
# Plain ints: data() compares its role argument with these on every call.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_SORT = int(SORT_ROLE)
_SYMBOL = int(SYMBOL_ROLE)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_SERVED = frozenset({_DISPLAY, _FOREGROUND, _BACKGROUND, _ALIGNMENT, _SORT, _SYMBOL, _TOOLTIP})


def contiguous_ranges(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted, merged ``(first, last)`` ranges, e.g. ``{1, 2, 3, 7}`` -> ``[(1, 3), (7, 7)]``."""
    out: list[tuple[int, int]] = []
    for r in sorted(rows):
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


Spans = tuple[tuple[int, int], ...]


def _runs(spans: dict[int, Spans]) -> Iterator[tuple[int, int, Spans]]:
    """Runs of consecutive rows with the same changed column spans: ``(first, last, spans)``."""
    rows = sorted(spans)
    first = 0
    for i, row in enumerate(rows):
        end = i + 1 == len(rows) or rows[i + 1] != row + 1 or spans[rows[i + 1]] != spans[row]
        if end:
            yield rows[first], row, spans[row]
            first = i + 1


class WatchlistModel(QAbstractTableModel):
    def __init__(
        self,
        hub: QuoteHub,
        universe: dict[str, SymbolInfo],
        palette: Palette | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._hub = hub
        self._universe = universe
        self._palette = palette or make_palette()
        self._clock = clock
        self._rows: list[Row] = []
        self._index: dict[str, int] = {}
        self._flashing: set[int] = set()
        self.emitted_ranges = 0
        self._headers = tuple(QCoreApplication.translate("WatchlistModel", h) for h in HEADERS)
        self._tips = {c: QCoreApplication.translate("WatchlistModel", t) for c, t in HEADER_TIPS.items()}
        #: The optional columns shown (only these are formatted).
        self._optional: frozenset[int] = frozenset()
        #: The provider's reference data per symbol (kept across lists), and why some have none.
        self.facts: dict[str, StaticInfo] = {}
        self._missing: dict[str, Missing] = {}

    # ------------------------------------------------------------ rows
    def symbols(self) -> list[str]:
        return [r.symbol for r in self._rows]

    def row_of(self, symbol: str) -> int:
        return self._index.get(symbol, -1)

    def symbol_at(self, row: int) -> str:
        return self._rows[row].symbol

    def set_symbols(self, symbols: Iterable[str]) -> None:
        """Replace the whole list (switching watchlists): a reset is right here, never on a tick."""
        self.beginResetModel()
        self._rows = [Row(s, self._universe.get(s), facts=self.facts.get(s)) for s in dict.fromkeys(symbols)]
        self._reindex()
        self._flashing.clear()
        self.endResetModel()

    def sync_symbols(self, symbols: list[str]) -> None:
        """Follow the watch list with the smallest change: rows removed and rows appended keep
        the others (and their flash and selection) where they are; any other change resets."""
        wanted = list(dict.fromkeys(symbols))
        keep = set(wanted)
        kept = [s for s in self.symbols() if s in keep]
        if kept != wanted[: len(kept)]:
            self.set_symbols(wanted)
            return
        for sym in [s for s in self.symbols() if s not in keep]:
            self.remove_symbol(sym)
        for sym in wanted[len(kept) :]:
            self.add_symbol(sym)

    def add_symbol(self, symbol: str) -> bool:
        if symbol in self._index:
            return False
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(Row(symbol, self._universe.get(symbol), facts=self.facts.get(symbol)))
        self._index[symbol] = n
        self.endInsertRows()
        return True

    def remove_symbol(self, symbol: str) -> bool:
        row = self._index.get(symbol)
        if row is None:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._reindex()
        self._flashing = {r if r < row else r - 1 for r in self._flashing if r != row}
        self.endRemoveRows()
        return True

    def _reindex(self) -> None:
        self._index = {r.symbol: i for i, r in enumerate(self._rows)}

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self._repaint_all()

    def _repaint_all(self) -> None:
        for r in self._rows:
            r.stale = True
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, NCOL - 1), QUOTE_ROLES)

    def set_shown_optional(self, columns: Iterable[int]) -> None:
        """The optional columns on screen: formatted from now on (the others are left blank)."""
        shown = frozenset(columns) & OPTIONAL
        if shown != self._optional:
            self._optional = shown
            self._repaint_all()

    def set_year_ranges(self, ranges: dict[str, tuple[Decimal | None, Decimal | None]]) -> None:
        """52-week high and low stored before today, per symbol read (None: nothing stored)."""
        for sym, (high, low) in ranges.items():
            row = self._index.get(sym)
            if row is not None:
                r = self._rows[row]
                r.year_known, r.year_high, r.year_low = True, high, low
                r.stale = True
        self._repaint_all()

    def set_facts(self, facts: dict[str, StaticInfo]) -> None:
        """The provider's reference data of these symbols (market cap, P/E, dividend yield)."""
        self.facts.update(facts)
        for sym in facts:
            self._missing.pop(sym, None)
        self._rows_changed(facts, lambda r: setattr(r, "facts", self.facts[r.symbol]))

    def set_facts_missing(self, missing: dict[str, Missing]) -> None:
        """Why these symbols have no reference data (their cells' tooltip says so)."""
        self._missing.update(missing)

    def clear_facts(self) -> None:
        """Another source or day: no reference data is shown until read again."""
        self.facts.clear()
        self._missing.clear()
        self._rows_changed([r.symbol for r in self._rows], lambda r: setattr(r, "facts", None))

    def _rows_changed(self, symbols: Iterable[str], change: Callable[[Row], None]) -> None:
        for sym in symbols:
            row = self._index.get(sym)
            if row is not None:
                change(self._rows[row])
                self._rows[row].stale = True
        if self._optional & FACT_COLUMNS:
            self._repaint_all()

    # ------------------------------------------------------------ alert marks
    def mark_alert(self, symbol: str, text: str) -> None:
        """Mark a row whose alert fired (its code cell, with what fired as its tooltip)."""
        self._set_mark(symbol, text)

    def clear_mark(self, symbol: str) -> None:
        self._set_mark(symbol, "")

    def clear_marks(self) -> None:
        for r in self._rows:
            if r.alert:
                self._set_mark(r.symbol, "")

    def marked(self) -> dict[str, str]:
        return {r.symbol: r.alert for r in self._rows if r.alert}

    def _set_mark(self, symbol: str, text: str) -> None:
        row = self._index.get(symbol)
        if row is not None and self._rows[row].alert != text:
            self._rows[row].alert = text
            cell = self.index(row, Col.CODE)
            self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])

    # ------------------------------------------------------------ frame
    def apply_frame(self, dirty: Collection[str], visible: Collection[int] | None = None) -> int:
        """Take one frame's changed symbols; repaint the changed cells on screen and live flashes.

        ``visible`` holds source rows on screen (``None`` means all). Returns the number of
        ``dataChanged`` emissions, so tests and the benchmark can see the coalescing.
        """
        now = self._clock()
        spans: dict[int, Spans] = {}
        for sym in dirty:
            row = self._index.get(sym)
            if row is None:
                continue
            r = self._rows[row]
            q = self._hub.quotes.get(sym)
            flashed = False
            if q is not None and (q.last_seq != r.seen_seq or q.last_ts != r.seen_ts):
                r.seen_seq, r.seen_ts = q.last_seq, q.last_ts
                if q.tick_move and q.streaming:
                    r.flash_at, r.flash_dir = now, q.tick_move
                    self._flashing.add(row)
                    flashed = True
            if visible is not None and row not in visible:
                r.stale = True
                continue
            cells = self._reformat(r)
            if flashed and Col.LAST not in cells:
                cells.append(Col.LAST)
            if cells:
                spans[row] = tuple(contiguous_ranges(cells))
        emitted = 0
        for first, last, columns in _runs(spans):
            for c0, c1 in columns:
                self.dataChanged.emit(self.index(first, c0), self.index(last, c1), QUOTE_ROLES)
                emitted += 1
        fading = []
        for row in list(self._flashing):
            if now - self._rows[row].flash_at >= FLASH_SECONDS:
                self._flashing.discard(row)
                self._rows[row].flash_dir = 0
            if visible is None or row in visible:
                fading.append(row)
        repainted = {row for row, columns in spans.items() if any(a <= Col.LAST <= b for a, b in columns)}
        for first, last in contiguous_ranges(set(fading) - repainted):
            self.dataChanged.emit(self.index(first, Col.LAST), self.index(last, Col.LAST), FLASH_ROLES)
            emitted += 1
        self.emitted_ranges += emitted
        return emitted

    def _reformat(self, r: Row) -> list[int]:
        """Format ``r`` now; return the columns whose text or colour differs from before (all of
        them if the row had never been formatted since it last changed off screen)."""
        if r.stale:
            self._format(r)
            return list(range(NCOL))
        texts, brushes = r.texts.copy(), r.brushes.copy()
        self._format(r)
        new_texts, new_brushes = r.texts, r.brushes
        return [c for c in range(NCOL) if new_texts[c] != texts[c] or new_brushes[c] is not brushes[c]]

    def flashing_rows(self) -> set[int]:
        return set(self._flashing)

    # ------------------------------------------------------------ Qt API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else NCOL

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return ALIGN[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._tips.get(section)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        if role not in _SERVED:
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == _DISPLAY:
            if r.stale:
                self._format(r)
            return r.texts[col]
        if role == _FOREGROUND:
            if r.stale:
                self._format(r)
            return r.brushes[col]
        if role == _BACKGROUND:
            if col != Col.LAST:
                return self._palette.alert if col == Col.CODE and r.alert else None
            if not r.flash_dir:
                return None
            age = self._clock() - r.flash_at
            if age >= FLASH_SECONDS:
                return None
            ramp = self._palette.flash_up if r.flash_dir > 0 else self._palette.flash_down
            return ramp[int(age / FLASH_SECONDS * FLASH_STEPS)]
        if role == _ALIGNMENT:
            return ALIGN[col]
        if role == _SORT:
            if r.stale:
                self._format(r)
            return r.keys[col]
        if role == _TOOLTIP:
            q = self._hub.quotes.get(r.symbol)
            tip = tooltip(self._hub.freshness(r.symbol), time.time(), q.last_ts if q else 0)
            if r.alert and col == Col.CODE:
                return "\n".join(t for t in (r.alert, tip) if t)
            if q is not None and q.part_day_since and col in PART_DAY_COLUMNS:
                return "\n".join((part_day_text(q.part_day_since), tip))
            if col in FACT_COLUMNS:
                is_index = bool(r.info and r.info.is_index)
                facts = facts_tip(r.facts, self._missing.get(r.symbol), is_index)
                return facts if col == Col.DIV_YIELD else "\n".join(t for t in (facts, tip) if t)
            return tip
        return r.symbol

    # ------------------------------------------------------------ formatting

    def _format(self, r: Row) -> None:
        hub = self._hub
        format_row(r, hub.quotes.get(r.symbol), self._palette, hub.freshness(r.symbol).state, self._optional)
