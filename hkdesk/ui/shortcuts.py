"""The keyboard: a shortcut for each panel, text size (Ctrl + / Ctrl − / Ctrl 0, remembered), and
Help → Keyboard shortcuts, which lists every key the window knows from the one table below."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hkdesk.app.settings import FONT_ZOOM_RANGE, AppSettings
from hkdesk.i18n import QT_TRANSLATE_NOOP
from hkdesk.ui.theme import apply_theme

translate = QCoreApplication.translate

#: Panel key → its shortcut (a dock's key, or "chart" for the central chart).
PANEL_KEYS = {
    "watchlist": "Ctrl+1",
    "chart": "Ctrl+2",
    "depth": "Ctrl+3",
    "time_sales": "Ctrl+4",
    "alerts": "Ctrl+5",
    "log": "Ctrl+6",
}
PANEL_WORDS = {
    "watchlist": QT_TRANSLATE_NOOP("Shortcuts", "Go to the watchlist"),
    "chart": QT_TRANSLATE_NOOP("Shortcuts", "Go to the chart"),
    "depth": QT_TRANSLATE_NOOP("Shortcuts", "Go to the depth ladder"),
    "time_sales": QT_TRANSLATE_NOOP("Shortcuts", "Go to time & sales"),
    "alerts": QT_TRANSLATE_NOOP("Shortcuts", "Go to the alerts"),
    "log": QT_TRANSLATE_NOOP("Shortcuts", "Go to the log"),
}
NEW_ALERT = "Ctrl+Shift+A"
EXPORT_LIST = "Ctrl+E"
ZOOM_IN = ("Ctrl++", "Ctrl+=")
ZOOM_OUT = "Ctrl+-"
ZOOM_RESET = "Ctrl+0"
#: Every key of the window, in the order the help lists them: (keys, what they do).
KEYS: tuple[tuple[str, str], ...] = (
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Up / Down"),
        QT_TRANSLATE_NOOP("Shortcuts", "Previous / next symbol in the watchlist"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "PgUp / PgDown"),
        QT_TRANSLATE_NOOP("Shortcuts", "A page up / down the watchlist"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Home / End"),
        QT_TRANSLATE_NOOP("Shortcuts", "First / last symbol of the watchlist"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Return"),
        QT_TRANSLATE_NOOP("Shortcuts", "Open the symbol's chart in a new window"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Del"),
        QT_TRANSLATE_NOOP("Shortcuts", "Remove the symbol from the list"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Esc"),
        QT_TRANSLATE_NOOP("Shortcuts", "Clear the search and the filter"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "0-9 A-Z"),
        QT_TRANSLATE_NOOP("Shortcuts", "Type a code or name anywhere to find or add it"),
    ),
    ("Ctrl+F", QT_TRANSLATE_NOOP("Shortcuts", "Find / add a symbol")),
    *((PANEL_KEYS[k], PANEL_WORDS[k]) for k in PANEL_KEYS),
    (NEW_ALERT, QT_TRANSLATE_NOOP("Shortcuts", "New alert for the selected symbol")),
    (EXPORT_LIST, QT_TRANSLATE_NOOP("Shortcuts", "Export the watchlist")),
    ("Ctrl++", QT_TRANSLATE_NOOP("Shortcuts", "Larger text")),
    (ZOOM_OUT, QT_TRANSLATE_NOOP("Shortcuts", "Smaller text")),
    (ZOOM_RESET, QT_TRANSLATE_NOOP("Shortcuts", "Text at its normal size")),
    ("Ctrl+,", QT_TRANSLATE_NOOP("Shortcuts", "Settings")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("Shortcuts", "Quit")),
)
ZOOM_STEP = 1.1
#: Row heights in pixels at zoom 1 (the stylesheet's 12 px text).
ROW_HEIGHT = {"watchlistView": 21, "tapeView": 18}


def key_text(keys: str) -> str:
    """A key sequence as the platform writes it (``Ctrl+1``; ``⌘1`` on a Mac); named keys in the
    interface language."""
    if "+" not in keys or " " in keys:
        return translate("Shortcuts", keys)
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText) or keys


def action(
    parent: QWidget, text: str, keys: str | tuple[str, ...], slot: Callable[[], object], name: str
) -> QAction:
    a = QAction(text, parent, objectName=name)
    sequences = [QKeySequence(k) for k in ((keys,) if isinstance(keys, str) else keys)]
    a.setShortcuts(sequences)
    a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    a.triggered.connect(lambda _checked=False: slot())
    parent.addAction(a)
    return a


class TextSize:
    """The interface's text size: the theme's font sizes and row heights times ``zoom``."""

    def __init__(self, settings: AppSettings, root: QWidget) -> None:
        self._settings = settings
        self._root = root
        self.zoom = settings.font_zoom

    def change(self, factor: float | None) -> float:
        """Multiply the size by ``factor`` (None: back to normal), within the allowed range."""
        low, high = FONT_ZOOM_RANGE
        zoom = 1.0 if factor is None else min(high, max(low, round(self.zoom * factor, 2)))
        if abs(zoom - 1.0) < 0.05:
            zoom = 1.0
        self.zoom = zoom
        self._settings.font_zoom = zoom
        self._settings.sync()
        self.apply()
        return zoom

    def apply(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, self._settings.theme, self.zoom)
        self.apply_rows()

    def apply_rows(self) -> None:
        """Row heights for the text size (the stylesheet holds the font sizes)."""
        for name, height in ROW_HEIGHT.items():
            for view in self._root.findChildren(QAbstractItemView, name):
                view.verticalHeader().setDefaultSectionSize(round(height * self.zoom))  # type: ignore[attr-defined]


class ShortcutsDialog(QDialog):
    """Help → Keyboard shortcuts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(translate("Shortcuts", "Keyboard shortcuts"))
        self.table = QTableWidget(len(KEYS), 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels(
            [translate("Shortcuts", "Keys"), translate("Shortcuts", "Action")]
        )
        for row, (keys, words) in enumerate(KEYS):
            self.table.setItem(row, 0, QTableWidgetItem(key_text(keys)))
            self.table.setItem(row, 1, QTableWidgetItem(translate("Shortcuts", words)))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addWidget(buttons)
        self.resize(520, 520)
