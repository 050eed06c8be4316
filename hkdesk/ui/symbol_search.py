"""The add-a-symbol box: completion over code (any typed form), English and Chinese names."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit

from hkdesk.domain.symbols import SymbolInfo, search, try_normalise
from hkdesk.ui.translations import shown_chinese_name

_SEP = "  "


def entry_text(info: SymbolInfo) -> str:
    return f"{info.display_code}{_SEP}{info.name_en}{_SEP}{shown_chinese_name(info)}"


class SymbolSearchBox(QLineEdit):
    """Emits :attr:`symbol_chosen` with a wire code (``700.HK``) on Enter or a completion pick.

    The completer's list is recomputed from :func:`hkdesk.domain.symbols.search` as the user
    types, so ``700``, ``00700``, ``0700.HK``, ``tencent`` and ``騰訊`` all offer Tencent.
    """

    symbol_chosen = Signal(str)
    rejected = Signal(str)
    #: Escape pressed (with no completion list open): the text was cleared.
    escaped = Signal()

    def __init__(self, universe: dict[str, SymbolInfo], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("symbolSearch")
        self._universe = universe
        self.setPlaceholderText(self.tr("Add / jump: code or name (type anywhere)"))
        self.setClearButtonEnabled(True)
        self._list = QStringListModel(self)
        self.completer_ = QCompleter(self._list, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setMaxVisibleItems(12)
        self.setCompleter(self.completer_)
        self.completer_.activated[str].connect(self._picked)
        self.textEdited.connect(self._refresh)
        self.returnPressed.connect(self._submit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not self.completer_.popup().isVisible():
            self.clear()
            self.escaped.emit()
            return
        super().keyPressEvent(event)

    def matches(self, text: str) -> list[SymbolInfo]:
        return search(text, self._universe.values(), limit=15)

    def _refresh(self, text: str) -> None:
        self._list.setStringList([entry_text(i) for i in self.matches(text)])

    def resolve(self, text: str) -> str | None:
        """The wire code a typed text or a completion line stands for."""
        head = text.strip().split(_SEP)[0]
        found = self.matches(head)
        if found:
            return found[0].symbol
        return try_normalise(head)

    def _picked(self, text: str) -> None:
        symbol = self.resolve(text)
        if symbol:
            self.symbol_chosen.emit(symbol)
            self.clear()

    def _submit(self) -> None:
        text = self.text()
        if not text.strip():
            return
        if self.completer_.popup().isVisible():
            self.completer_.popup().hide()
        symbol = self.resolve(text)
        if symbol is None:
            self.rejected.emit(text)
            return
        self.symbol_chosen.emit(symbol)
        self.clear()
