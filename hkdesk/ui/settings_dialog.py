"""The settings dialog: feed, token, host, plan, database, colours, theme and language.

The token field starts empty and is a password field; what is stored is only ever shown as
"set". When no OS keyring exists the dialog says so and points to ``HKDESK_TOKEN``. A setting
that a command-line option overrides for this run says so under its field: what is entered there
is saved, and used from the next start without that option.

The dialog only writes the settings (and the token, to its store); whoever depends on them
follows ``AppSettings.changed``.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hkdesk.app.settings import TOKEN_KEY, AppSettings
from hkdesk.i18n import LANGUAGE_NAMES, language_label
from hkdesk.sources.spec import PLAN_NAMES, SourceKind
from hkdesk.sources.token_store import ENV_VAR, TokenStore, mask
from hkdesk.ui.engine_words import plan_text, token_text


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: AppSettings,
        tokens: TokenStore,
        parent=None,
        *,
        overridden: dict[str, str] | None = None,
    ) -> None:
        """``overridden``: setting key → the command-line option that overrides it for this run."""
        super().__init__(parent)
        self._overridden = dict(overridden or {})
        self.setWindowTitle(self.tr("hkdesk settings"))
        self.setObjectName("settingsDialog")
        self.setMinimumWidth(520)
        self._settings = settings
        self._tokens = tokens

        self.source = QComboBox(objectName="feedSource")
        self.source.addItem(self.tr("Built-in simulator"), SourceKind.SIMULATOR.value)
        self.source.addItem("AllTick", SourceKind.ALLTICK.value)
        self.source.addItem(self.tr("Shared desk"), SourceKind.DESK.value)
        self.source.setCurrentIndex(self.source.findData(settings.feed_source.value))
        self.url = QLineEdit(settings.alltick_url, objectName="feedUrl")
        self.url.setPlaceholderText("wss://quote.alltick.co/quote-stock-b-ws-api")
        self.token = QLineEdit(objectName="tokenField")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        status = tokens.status()
        self.token.setPlaceholderText(
            self.tr("{token} — type to replace").format(token=token_text(mask(tokens.get())))
        )
        self.keyring_note = QLabel(objectName="keyringNote")
        self.keyring_note.setWordWrap(True)
        if status.keyring_available:
            self.keyring_note.setText(
                self.tr("Stored in the OS keyring. Current source: {source}.").format(
                    source=token_text(status.source)
                )
            )
        else:
            self.keyring_note.setText(
                self.tr(
                    "No OS keyring is available here ({detail}). A token typed here is used for "
                    "this session only; set the {env} environment variable to keep it. "
                    "Current source: {source}."
                ).format(detail=token_text(status.detail), env=ENV_VAR, source=token_text(status.source))
            )
        self.plan = QComboBox(objectName="planCombo")
        for name in PLAN_NAMES:
            self.plan.addItem(plan_text(name), name)
        self.plan.setCurrentIndex(self.plan.findData(settings.plan))

        self.desk_url = QLineEdit(settings.desk_url, objectName="deskUrl")
        self.desk_url.setPlaceholderText("nats://HOST:4222")
        self.desk_name = QLineEdit(settings.desk_name, objectName="deskName")
        self.desktop_id = QLineEdit(settings.desktop_id, objectName="desktopId")
        self.desktop_id.setPlaceholderText(self.tr("default: the user in the URL, else this computer's name"))
        self.nats_creds = QLineEdit(settings.nats_creds, objectName="natsCreds")
        self.nats_creds.setPlaceholderText(self.tr("NATS credentials file, if the desk wants one"))
        self.desk_db = QLineEdit(settings.desk_db_url, objectName="deskDb")
        self.desk_db.setPlaceholderText(self.tr("the desk's database, read-only (optional)"))

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
        for language in LANGUAGE_NAMES:
            self.language.addItem(language_label(language), language)
        self.language.setCurrentIndex(self.language.findData(settings.language))

        feed_box = QGroupBox(self.tr("Market data"))
        f = QFormLayout(feed_box)
        f.addRow(self.tr("Feed"), self._noted(self.source, "feed/source"))
        f.addRow(self.tr("Host URL"), self._noted(self.url, "feed/url"))
        f.addRow(self.tr("Token"), self.token)
        f.addRow("", self.keyring_note)
        f.addRow(self.tr("Plan"), self._noted(self.plan, "feed/plan"))
        desk_box = QGroupBox(self.tr("Shared desk (no AllTick token needed)"), objectName="deskBox")
        d = QFormLayout(desk_box)
        d.addRow(self.tr("NATS URL"), self._noted(self.desk_url, "desk/url"))
        d.addRow(self.tr("Desk"), self._noted(self.desk_name, "desk/name"))
        d.addRow(self.tr("Desktop id"), self.desktop_id)
        d.addRow(self.tr("Credentials"), self.nats_creds)
        d.addRow(self.tr("Desk database"), self._noted(self.desk_db, "desk/db_url"))
        store_box = QGroupBox(self.tr("Storage"))
        s = QFormLayout(store_box)
        s.addRow(self.tr("Database URL"), self._noted(self.db_url, "store/db_url"))
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
        for w in (feed_box, desk_box, store_box, look_box):
            lay.addWidget(w)
        lay.addWidget(buttons)

    def _noted(self, field: QWidget, key: str) -> QWidget:
        """``field``, with a note under it when a command-line option overrides its setting."""
        option = self._overridden.get(key)
        if option is None:
            return field
        box = QWidget(objectName=f"overridden_{key.replace('/', '_')}")
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        note = QLabel(
            self.tr(
                "{option} on the command line overrides this for the current run; "
                "what you enter here is saved for the next start."
            ).format(option=option),
            objectName="overrideNote",
        )
        note.setWordWrap(True)
        lay.addWidget(field)
        lay.addWidget(note)
        return box

    def apply(self) -> None:
        """Write the dialog's values to the settings (the token to its store only)."""
        st = self._settings
        st.feed_source = SourceKind(self.source.currentData())
        st.alltick_url = self.url.text()
        st.plan = self.plan.currentData()
        st.db_url = self.db_url.text()
        st.desk_url = self.desk_url.text()
        st.desk_name = self.desk_name.text()
        st.desktop_id = self.desktop_id.text()
        st.nats_creds = self.nats_creds.text()
        st.desk_db_url = self.desk_db.text()
        st.colours = self.colours.currentData()
        st.theme = self.theme.currentData()
        st.language = self.language.currentData()
        token = self.token.text().strip()
        if token:
            self._tokens.set(token)
            st.mark_changed(TOKEN_KEY)
        self.token.clear()
        st.sync()
