"""The settings dialog: feed, token, host, plan, database, colours, theme and language.

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
        self.setWindowTitle(self.tr("hkdesk settings"))
        self.setObjectName("settingsDialog")
        self.setMinimumWidth(520)
        self._settings = settings
        self._tokens = tokens

        self.source = QComboBox(objectName="feedSource")
        self.source.addItem(self.tr("Built-in simulator"), FeedSource.SIMULATOR.value)
        self.source.addItem("AllTick", FeedSource.ALLTICK.value)
        self.source.setCurrentIndex(self.source.findData(settings.feed_source.value))
        self.url = QLineEdit(settings.alltick_url, objectName="feedUrl")
        self.url.setPlaceholderText("wss://quote.alltick.co/quote-stock-b-ws-api")
        self.token = QLineEdit(objectName="tokenField")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        status = tokens.status()
        self.token.setPlaceholderText(self.tr("{token} — type to replace").format(token=mask(tokens.get())))
        self.keyring_note = QLabel(objectName="keyringNote")
        self.keyring_note.setWordWrap(True)
        if status.keyring_available:
            self.keyring_note.setText(
                self.tr("Stored in the OS keyring. Current source: {source}.").format(source=status.source)
            )
        else:
            self.keyring_note.setText(
                self.tr(
                    "No OS keyring is available here ({detail}). A token typed here is used for "
                    "this session only; set the {env} environment variable to keep it. "
                    "Current source: {source}."
                ).format(detail=status.detail, env=ENV_VAR, source=status.source)
            )
        self.plan = QComboBox(objectName="planCombo")
        self.plan.addItems(PLANS)
        self.plan.setCurrentText(settings.plan)

        self.db_url = QLineEdit(settings.db_url, objectName="dbUrl")
        self.db_url.setPlaceholderText(self.tr("default: SQLite file in the user data folder"))
        self.colours = QComboBox(objectName="colourCombo")
        self.colours.addItem(self.tr("Green up / red down (Hong Kong)"), "hk")
        self.colours.addItem(self.tr("Red up / green down (Mainland)"), "mainland")
        self.colours.setCurrentIndex(self.colours.findData(settings.colours))
        self.theme = QComboBox(objectName="themeCombo")
        self.theme.addItem(self.tr("Dark"), "dark")
        self.theme.addItem(self.tr("Light"), "light")
        self.theme.setCurrentIndex(self.theme.findData(settings.theme))
        self.language = QComboBox(objectName="languageCombo")
        self.language.addItem(self.tr("System default"), "")
        self.language.addItem("English", "en")
        self.language.addItem("繁體中文（香港）", "zh_HK")
        self.language.setCurrentIndex(self.language.findData(settings.language))

        feed_box = QGroupBox(self.tr("Market data"))
        f = QFormLayout(feed_box)
        f.addRow(self.tr("Feed"), self.source)
        f.addRow(self.tr("Host URL"), self.url)
        f.addRow(self.tr("Token"), self.token)
        f.addRow("", self.keyring_note)
        f.addRow(self.tr("Plan"), self.plan)
        store_box = QGroupBox(self.tr("Storage"))
        s = QFormLayout(store_box)
        s.addRow(self.tr("Database URL"), self.db_url)
        look_box = QGroupBox(self.tr("Display"))
        lk = QFormLayout(look_box)
        lk.addRow(self.tr("Colours"), self.colours)
        lk.addRow(self.tr("Theme"), self.theme)
        lk.addRow(self.tr("Language"), self.language)
        lk.addRow("", QLabel(self.tr("A new language applies when hkdesk is next started.")))
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
        st.language = self.language.currentData()
        st.sync()
        if token:
            self._tokens.set(token)
        self.token.clear()
        return SettingsChange(feed_changed, looks_changed, db_changed)
