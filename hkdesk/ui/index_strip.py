"""A row of index quotes above the watchlist (HSI, HSCEI, HSTECH by default; the codes are a setting).

Painted from the quote hub on the window's frame timer like every other view; an index that is
not live is dimmed and names its state, and its tooltip says why and how old its figures are.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from hkdesk.domain import formatting as fmt
from hkdesk.domain.freshness import Freshness
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.symbols import SymbolInfo
from hkdesk.i18n import ENGLISH
from hkdesk.ui.colours import Palette
from hkdesk.ui.freshness_text import badge_text, tooltip
from hkdesk.ui.translations import current_language, shown_chinese_name


class IndexQuote(QLabel):
    """One index: name, level, change and change %."""

    def __init__(self, code: str, hub: QuoteHub, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("indexQuote")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.code = code
        self._hub = hub

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            q = self._hub.quotes.get(self.code)
            self.setToolTip(tooltip(self._hub.freshness(self.code), time.time(), q.last_ts if q else 0))
        return super().event(e)


class IndexStrip(QWidget):
    def __init__(self, hub: QuoteHub, universe: dict[str, SymbolInfo], palette: Palette, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("indexStrip")
        self._hub = hub
        self._universe = universe
        self._palette = palette
        self._quotes: dict[str, IndexQuote] = {}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(6, 2, 6, 2)
        self._layout.setSpacing(18)
        self._layout.addStretch(1)

    @property
    def codes(self) -> list[str]:
        return list(self._quotes)

    def set_codes(self, codes: list[str]) -> None:
        for label in self._quotes.values():
            label.deleteLater()
        self._quotes = {}
        for i, code in enumerate(codes):
            self._quotes[code] = IndexQuote(code, self._hub, self)
            self._layout.insertWidget(i, self._quotes[code])
        self.refresh(set(codes))

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.refresh(set(self._quotes))

    def refresh(self, dirty: set[str]) -> None:
        for code in dirty & self._quotes.keys():
            text = self._text(code)
            if self._quotes[code].text() != text:
                self._quotes[code].setText(text)

    def _text(self, code: str) -> str:
        info = self._universe.get(code)
        name = f"<b>{index_name(info) if info else code}</b>"
        q = self._hub.quotes.get(code)
        if q is None or q.last is None:
            return f"{name} {fmt.EMPTY}"
        state = self._hub.freshness(code).state
        p = self._palette
        sign = 0 if q.change is None else (q.change > 0) - (q.change < 0)
        colour = (p.for_sign(sign) if state is Freshness.LIVE else p.muted_brush).color().name()
        figures = (
            f"{fmt.price_text(q.last, is_index=True)} {fmt.change_text(q.change, is_index=True)} "
            f"{fmt.percent_text(q.change_pct)}"
        )
        text = f"{name} <span style='color:{colour}'>{figures}</span>"
        if state is not Freshness.LIVE:
            text += f" <span style='color:{p.badge[state].color().name()}'>⚠ {badge_text(state)}</span>"
        return text


def index_name(info: SymbolInfo) -> str:
    """The index's name in the interface's language (恒生指數 in a Chinese one)."""
    if current_language() != ENGLISH:
        return shown_chinese_name(info) or info.name_en
    return info.name_en
