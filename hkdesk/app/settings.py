"""User settings in an INI file (QSettings, IniFormat) inside the config folder.

The AllTick token is deliberately not a setting: it lives in the OS keyring
(:mod:`hkdesk.app.token_store`) and never touches this file.
"""

from __future__ import annotations

import logging
import os
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from hkdesk.i18n import LANGUAGES

log = logging.getLogger(__name__)

DEFAULT_ALLTICK_URL = "wss://quote.alltick.co/quote-stock-b-ws-api"
PLANS = ("free", "basic", "premium", "professional")


class FeedSource(StrEnum):
    SIMULATOR = "simulator"
    ALLTICK = "alltick"


class AppSettings:
    def __init__(self, config_dir: Path) -> None:
        self.config_dir = Path(config_dir)
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.config_dir / "hkdesk.ini"
        self.q = QSettings(str(self.path), QSettings.Format.IniFormat)
        if self.q.status() is QSettings.Status.FormatError:
            self._set_aside_corrupt_file()

    def _set_aside_corrupt_file(self) -> None:
        """Start from defaults, keeping the unreadable file for the user (never a crash)."""
        kept = self.path.with_name(self.path.name + ".corrupt")
        del self.q
        os.replace(self.path, kept)
        log.warning(
            "settings file %s could not be read; using defaults (the old file is kept as %s)",
            self.path,
            kept.name,
        )
        self.q = QSettings(str(self.path), QSettings.Format.IniFormat)

    def _str(self, key: str, default: str) -> str:
        value = self.q.value(key, default)
        return value if isinstance(value, str) else default

    def _choice(self, key: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self._str(key, default)
        return value if value in allowed else default

    @property
    def feed_source(self) -> FeedSource:
        return FeedSource(self._choice("feed/source", FeedSource.SIMULATOR, tuple(FeedSource)))

    @feed_source.setter
    def feed_source(self, value: FeedSource | str) -> None:
        self.q.setValue("feed/source", FeedSource(value).value)

    @property
    def alltick_url(self) -> str:
        return self._str("feed/url", DEFAULT_ALLTICK_URL)

    @alltick_url.setter
    def alltick_url(self, value: str) -> None:
        self.q.setValue("feed/url", value.strip())

    @property
    def plan(self) -> str:
        return self._choice("feed/plan", "free", PLANS)

    @plan.setter
    def plan(self, value: str) -> None:
        self.q.setValue("feed/plan", value if value in PLANS else "free")

    @property
    def db_url(self) -> str:
        return self._str("store/db_url", "")

    @db_url.setter
    def db_url(self, value: str) -> None:
        self.q.setValue("store/db_url", value.strip())

    @property
    def colours(self) -> str:
        return self._choice("ui/colours", "hk", ("hk", "mainland"))

    @colours.setter
    def colours(self, value: str) -> None:
        self.q.setValue("ui/colours", value)

    @property
    def theme(self) -> str:
        return self._choice("ui/theme", "dark", ("dark", "light"))

    @theme.setter
    def theme(self, value: str) -> None:
        self.q.setValue("ui/theme", value)

    @property
    def language(self) -> str:
        """Empty: follow the system locale; "en" or "zh_HK" pick one (applied at the next start)."""
        return self._choice("ui/language", "", LANGUAGES)

    @language.setter
    def language(self, value: str) -> None:
        self.q.setValue("ui/language", value if value in LANGUAGES else "")

    @property
    def chart_interval(self) -> str:
        return self._str("ui/chart_interval", "Intraday")

    @chart_interval.setter
    def chart_interval(self, value: str) -> None:
        self.q.setValue("ui/chart_interval", value)

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        geo = self.q.value("window/geometry")
        state = self.q.value("window/state")
        return (
            geo if isinstance(geo, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.q.setValue("window/geometry", geometry)
        self.q.setValue("window/state", state)

    def header_state(self) -> QByteArray | None:
        v = self.q.value("window/watchlist_header")
        return v if isinstance(v, QByteArray) else None

    def save_header_state(self, state: QByteArray) -> None:
        self.q.setValue("window/watchlist_header", state)

    def sync(self) -> None:
        self.q.sync()
