"""A 10-level depth ladder: asks above, bids below, volume bars, spread and mid in between."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from hkdesk.domain import formatting as fmt
from hkdesk.domain.freshness import Freshness
from hkdesk.domain.types import Book
from hkdesk.ui.colours import Palette, make_palette
from hkdesk.ui.freshness_text import badge_text

LEVELS = 10


class DepthLadder(QWidget):
    """Painted directly (one ``paintEvent`` per book change), which is far cheaper than a table."""

    def __init__(self, palette: Palette | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("depthLadder")
        self._palette = palette or make_palette()
        self.symbol: str | None = None
        self._is_index = False
        self._asks: list[tuple[str, str, float]] = []
        self._bids: list[tuple[str, str, float]] = []
        self._max_volume = 1.0
        self.spread_text = fmt.EMPTY
        self.mid_text = fmt.EMPTY
        #: The book's freshness while it is not live (the figures are then dimmed); None when live.
        self.state: Freshness | None = None
        self._words = {
            "level": self.tr("Lvl"),
            "price": self.tr("Price"),
            "volume": self.tr("Volume"),
            "spread": self.tr("Spread {value}"),
            "mid": self.tr("Mid {value}"),
            "none": self.tr("Select a symbol"),
            "ask": self.tr("A", "ask level, as in A1"),
            "bid": self.tr("B", "bid level, as in B1"),
        }
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._font = QFont(self.font())
        self._bold = QFont(self._font)
        self._bold.setBold(True)

    def sizeHint(self) -> QSize:
        return QSize(260, 24 * (2 * LEVELS + 2))

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def set_state(self, state: Freshness | None, tip: str = "") -> None:
        """``None`` while the book streams; else its state, named on the ladder and explained in
        the tooltip ``tip``."""
        self.setToolTip(tip)
        if state is Freshness.LIVE:
            state = None
        if state != self.state:
            self.state = state
            self.update()

    def set_symbol(self, symbol: str | None, *, is_index: bool = False) -> None:
        self.symbol = symbol
        self._is_index = is_index
        self._asks, self._bids = [], []
        self.spread_text = self.mid_text = fmt.EMPTY
        self.update()

    def set_book(self, book: Book | None) -> None:
        if book is None or book.symbol != self.symbol:
            return

        def rows(levels) -> list[tuple[str, str, float]]:
            return [
                (
                    fmt.price_text(lv.price, is_index=self._is_index),
                    fmt.amount_text(lv.volume),
                    float(lv.volume),
                )
                for lv in levels[:LEVELS]
            ]

        self._asks, self._bids = rows(book.asks), rows(book.bids)
        vols = [r[2] for r in self._asks + self._bids]
        self._max_volume = max(vols) if vols and max(vols) > 0 else 1.0
        if book.bids and book.asks:
            bid, ask = book.bids[0].price, book.asks[0].price
            spread: Decimal = ask - bid
            mid = (ask + bid) / 2
            self.spread_text = fmt.price_text(spread, is_index=self._is_index)
            self.mid_text = f"{mid:.4f}".rstrip("0").rstrip(".") if not self._is_index else f"{mid:,.2f}"
        else:
            self.spread_text = self.mid_text = fmt.EMPTY
        self.update()

    def ladder_rows(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(asks, bids) as (price, volume) text pairs, best first; for tests and accessibility."""
        return [(p, v) for p, v, _ in self._asks], [(p, v) for p, v, _ in self._bids]

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        pal = self._palette
        if self.symbol is None:  # an empty ladder says why, with no levels or band to write over
            p.setPen(pal.muted)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._words["none"])
            p.end()
            return
        w, h = self.width(), self.height()
        rows = 2 * LEVELS + 1
        rh = max(14.0, min(22.0, h / (rows + 1)))
        dim = self.state is not None
        text_colour = pal.muted if dim else pal.flat
        header = QColor(pal.muted)
        p.setFont(self._font)
        p.setPen(header)
        p.drawText(
            QRectF(6, 0, w * 0.2, rh),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            self._words["level"],
        )
        p.drawText(
            QRectF(0, 0, w * 0.48, rh),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            self._words["price"],
        )
        p.drawText(
            QRectF(0, 0, w - 8, rh),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            self._words["volume"],
        )
        bar_left = w * 0.52
        bar_span = w - bar_left - 4

        def draw_side(levels, top_index: int, downwards: bool, colour: QColor, label: str) -> None:
            fill = QColor(colour)
            fill.setAlpha(60)
            for i in range(LEVELS):
                slot = top_index + i if downwards else top_index - i
                y = rh * (slot + 1)
                rect_y = QRectF(0, y, w, rh)
                if i < len(levels):
                    price, vol, v = levels[i]
                    bw = bar_span * (v / self._max_volume)
                    p.fillRect(QRectF(w - 4 - bw, y + 2, bw, rh - 4), fill)
                    p.setPen(colour)
                    p.drawText(
                        QRectF(0, y, w * 0.48, rh),
                        Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                        price,
                    )
                    p.setPen(text_colour)
                    p.drawText(
                        QRectF(0, y, w - 8, rh),
                        Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                        vol,
                    )
                p.setPen(header)
                p.drawText(
                    rect_y.adjusted(6, 0, 0, 0),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    f"{label}{i + 1}",
                )

        draw_side(self._asks, LEVELS - 1, False, pal.muted if dim else pal.down, self._words["ask"])
        mid_y = rh * (LEVELS + 1)
        band = QColor(pal.muted)
        band.setAlpha(40)
        p.fillRect(QRectF(0, mid_y, w, rh), band)
        p.setPen(text_colour)
        p.setFont(self._bold)
        spread = self._words["spread"].format(value=self.spread_text)
        if dim:  # the book is not live: say so where the eye goes first, in the badge colour
            p.setPen(pal.badge[self.state].color())  # type: ignore[index]
            spread = f"⚠ {badge_text(self.state).upper()}  {spread}"  # type: ignore[arg-type]
        p.drawText(
            QRectF(6, mid_y, w - 12, rh),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            spread,
        )
        p.setPen(text_colour)
        p.drawText(
            QRectF(6, mid_y, w - 12, rh),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            self._words["mid"].format(value=self.mid_text),
        )
        p.setFont(self._font)
        draw_side(self._bids, LEVELS + 1, True, pal.muted if dim else pal.up, self._words["bid"])
        p.end()
