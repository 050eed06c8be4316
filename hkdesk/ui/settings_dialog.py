"""The settings dialog: feed, token, host, plan, database, colours and theme.

The token field starts empty and is a password field; what is stored is only ever shown as
"set". When no OS keyring exists the dialog says so and points to ``HKDESK_TOKEN``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from hkdesk.app.settings import PLANS, AppSettings, FeedSource
from hkdesk.app.token_store import ENV_VAR, TokenStore, mask


@dataclass(frozen=True, slots=True)
class SettingsChange:
    feed_changed: bool
    looks_changed: bool
    db_changed: bool


class SettingsDialog(QDialog):
    def __init__(self, settings: AppSettings, tokens: TokenStore, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("hkdesk settings")
        self.setObjectName("settingsDialog")
        self.setMinimumWidth(520)
        self._settings = settings
        self._tokens = tokens

        self.source = QComboBox(objectName="feedSource")
        self.source.addItem("Built-in simulator", FeedSource.SIMULATOR.value)
        self.source.addItem("AllTick", FeedSource.ALLTICK.value)
        self.source.setCurrentIndex(self.source.findData(settings.feed_source.value))
        self.url = QLineEdit(settings.alltick_url, objectName="feedUrl")
        self.url.setPlaceholderText("wss://quote.alltick.co/quote-stock-b-ws-api")
        self.token = QLineEdit(objectName="tokenField")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        status = tokens.status()
        self.token.setPlaceholderText(f"{mask(tokens.get())} — type to replace")
        self.keyring_note = QLabel(objectName="keyringNote")
        self.keyring_note.setWordWrap(True)
        if status.keyring_available:
            self.keyring_note.setText(f"Stored in the OS keyring. Current source: {status.source}.")
        else:
            self.keyring_note.setText(
                f"No OS keyring is available here ({status.detail}). A token typed here is used for "
                f"this session only; set the {ENV_VAR} environment variable to keep it. "
                f"Current source: {status.source}."
            )
        self.plan = QComboBox(objectName="planCombo")
        self.plan.addItems(PLANS)
        self.plan.setCurrentText(settings.plan)

        self.db_url = QLineEdit(settings.db_url, objectName="dbUrl")
        self.db_url.setPlaceholderText("default: SQLite file in the user data folder")
        self.colours = QComboBox(objectName="colourCombo")
        self.colours.addItem("Green up / red down (Hong Kong)", "hk")
        self.colours.addItem("Red up / green down (Mainland)", "mainland")
        self.colours.setCurrentIndex(self.colours.findData(settings.colours))
        self.theme = QComboBox(objectName="themeCombo")
        self.theme.addItem("Dark", "dark")
        self.theme.addItem("Light", "light")
        self.theme.setCurrentIndex(self.theme.findData(settings.theme))

        feed_box = QGroupBox("Market data")
        f = QFormLayout(feed_box)
        f.addRow("Feed", self.source)
        f.addRow("Host URL", self.url)
        f.addRow("Token", self.token)
        f.addRow("", self.keyring_note)
        f.addRow("Plan", self.plan)
        store_box = QGroupBox("Storage")
        s = QFormLayout(store_box)
        s.addRow("Database URL", self.db_url)
        look_box = QGroupBox("Display")
        lk = QFormLayout(look_box)
        lk.addRow("Colours", self.colours)
        lk.addRow("Theme", self.theme)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for w in (feed_box, store_box, look_box):
            lay.addWidget(w)
        lay.addWidget(buttons)

    def apply(self) -> SettingsChange:
        """Write the dialog's values (token to the keyring only); report what changed."""
        st = self._settings
        new_source = FeedSource(self.source.currentData())
        token = self.token.text().strip()
        feed_changed = (
            new_source != st.feed_source
            or self.url.text().strip() != st.alltick_url
            or self.plan.currentText() != st.plan
            or bool(token)
        )
        looks_changed = self.colours.currentData() != st.colours or self.theme.currentData() != st.theme
        db_changed = self.db_url.text().strip() != st.db_url
        st.feed_source = new_source
        st.alltick_url = self.url.text()
        st.plan = self.plan.currentText()
        st.db_url = self.db_url.text()
        st.colours = self.colours.currentData()
        st.theme = self.theme.currentData()
        st.sync()
        if token:
            self._tokens.set(token)
        self.token.clear()
        return SettingsChange(feed_changed, looks_changed, db_changed)
