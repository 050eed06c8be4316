"""User settings in an INI file (QSettings, IniFormat) inside the config folder.

The AllTick token is deliberately not a setting: it lives in the OS keyring
(:mod:`hkdesk.sources.token_store`) and never touches this file.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QSettings, Signal

from hkdesk.domain.symbols import INDEX_CODES
from hkdesk.i18n import LANGUAGES
from hkdesk.sources.spec import DEFAULT_ALLTICK_URL, PLAN_NAMES, SourceKind

log = logging.getLogger(__name__)

#: Announced in ``changed`` when a new token was stored (the token itself is not a setting).
TOKEN_KEY = "feed/token"
FONT_ZOOM_RANGE = (0.7, 2.0)


def _key_part(name: str) -> str:
    """A list's name as one INI key (``/`` would open a group; QSettings escapes the rest)."""
    return name.replace("%", "%25").replace("/", "%2F").replace("\\", "%5C")


@dataclass(frozen=True)
class SavedChart:
    """A chart window as the app left it: what it showed, the group it followed, where it was,
    and how its chart, ladder and tape shared it (each splitter's state)."""

    symbol: str
    group: str
    interval: str
    geometry: QByteArray | None
    body: QByteArray | None = None
    side: QByteArray | None = None


class AppSettings(QObject):
    #: The keys (a frozenset of str) whose values changed since the last sync.
    changed = Signal(object)

    def __init__(self, config_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: set[str] = set()
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

    def _set(self, key: str, value: str, current: str) -> None:
        """Store ``value``; a change from ``current`` (the value in effect) is announced at sync."""
        if self.q.value(key) != value:
            self.q.setValue(key, value)
        if value != current:
            self._pending.add(key)

    def mark_changed(self, key: str) -> None:
        """Announce a change kept outside this file (a new token) with the next :meth:`sync`."""
        self._pending.add(key)

    @property
    def feed_source(self) -> SourceKind:
        return SourceKind(self._choice("feed/source", SourceKind.SIMULATOR, tuple(SourceKind)))

    @feed_source.setter
    def feed_source(self, value: SourceKind | str) -> None:
        self._set("feed/source", SourceKind(value).value, self.feed_source.value)

    @property
    def alltick_url(self) -> str:
        return self._str("feed/url", DEFAULT_ALLTICK_URL)

    @alltick_url.setter
    def alltick_url(self, value: str) -> None:
        self._set("feed/url", value.strip(), self.alltick_url)

    @property
    def plan(self) -> str:
        return self._choice("feed/plan", "free", PLAN_NAMES)

    @plan.setter
    def plan(self, value: str) -> None:
        self._set("feed/plan", value if value in PLAN_NAMES else "free", self.plan)

    @property
    def desk_url(self) -> str:
        """A shared desk's NATS URL (``nats://HOST:4222``)."""
        return self._str("desk/url", "nats://127.0.0.1:4222")

    @desk_url.setter
    def desk_url(self, value: str) -> None:
        self._set("desk/url", value.strip(), self.desk_url)

    @property
    def desk_name(self) -> str:
        return self._str("desk/name", "main")

    @desk_name.setter
    def desk_name(self, value: str) -> None:
        self._set("desk/name", value.strip() or "main", self.desk_name)

    @property
    def desktop_id(self) -> str:
        """This desktop's id on the desk (its NATS user); empty: the user in the URL, else the
        machine's name."""
        return self._str("desk/desktop_id", "")

    @desktop_id.setter
    def desktop_id(self, value: str) -> None:
        self._set("desk/desktop_id", value.strip(), self.desktop_id)

    @property
    def nats_creds(self) -> str:
        """A NATS credentials file for the desk, if its server wants one."""
        return self._str("desk/creds", "")

    @nats_creds.setter
    def nats_creds(self, value: str) -> None:
        self._set("desk/creds", value.strip(), self.nats_creds)

    @property
    def desk_db_url(self) -> str:
        """The desk's database, read-only (empty: the day is what the desk's stream holds)."""
        return self._str("desk/db_url", "")

    @desk_db_url.setter
    def desk_db_url(self, value: str) -> None:
        self._set("desk/db_url", value.strip(), self.desk_db_url)

    @property
    def db_url(self) -> str:
        return self._str("store/db_url", "")

    @db_url.setter
    def db_url(self, value: str) -> None:
        self._set("store/db_url", value.strip(), self.db_url)

    @property
    def colours(self) -> str:
        return self._choice("ui/colours", "hk", ("hk", "mainland"))

    @colours.setter
    def colours(self, value: str) -> None:
        self._set("ui/colours", value, self.colours)

    @property
    def theme(self) -> str:
        return self._choice("ui/theme", "dark", ("dark", "light"))

    @theme.setter
    def theme(self, value: str) -> None:
        self._set("ui/theme", value, self.theme)

    @property
    def language(self) -> str:
        """Empty: follow the system locale; "en", "zh_HK" or "zh_CN" pick one (applied at the next start)."""
        return self._choice("ui/language", "", LANGUAGES)

    @language.setter
    def language(self, value: str) -> None:
        self._set("ui/language", value if value in LANGUAGES else "", self.language)

    @property
    def index_codes(self) -> list[str]:
        """The index strip's codes (AllTick does not publish its index codes: a setting, not a guess)."""
        text = self._str("ui/index_codes", ",".join(INDEX_CODES))
        return [c.strip().upper() for c in text.split(",") if c.strip()]

    @index_codes.setter
    def index_codes(self, codes: list[str]) -> None:
        self._set("ui/index_codes", ",".join(codes), ",".join(self.index_codes))

    @property
    def chart_interval(self) -> str:
        return self._str("ui/chart_interval", "Intraday")

    @chart_interval.setter
    def chart_interval(self, value: str) -> None:
        self._set("ui/chart_interval", value, self.chart_interval)

    @property
    def font_zoom(self) -> float:
        """The interface's text size as a factor of the theme's (Ctrl + / Ctrl −)."""
        try:
            value = float(self._str("ui/font_zoom", "1"))
        except ValueError:
            return 1.0
        return value if FONT_ZOOM_RANGE[0] <= value <= FONT_ZOOM_RANGE[1] else 1.0

    @font_zoom.setter
    def font_zoom(self, value: float) -> None:
        self._set("ui/font_zoom", f"{value:g}", f"{self.font_zoom:g}")

    @property
    def alert_sound(self) -> bool:
        """Whether a firing alert also beeps."""
        return self._str("alerts/sound", "on") == "on"

    @alert_sound.setter
    def alert_sound(self, on: bool) -> None:
        self._set("alerts/sound", "on" if on else "off", "on" if self.alert_sound else "off")

    @property
    def indicators(self) -> list[str]:
        """The indicators drawn on the candles (names of :mod:`hkdesk.ui.chart_indicators`)."""
        return [n for n in self._str("ui/indicators", "").split(",") if n]

    @indicators.setter
    def indicators(self, names: list[str]) -> None:
        self._set("ui/indicators", ",".join(names), ",".join(self.indicators))

    def columns_state(self, list_name: str) -> QByteArray | None:
        """The watchlist's columns (shown, order, widths) as last left on the list ``list_name``."""
        v = self.q.value(f"columns/{_key_part(list_name)}")
        return v if isinstance(v, QByteArray) else None

    def columns_known(self, list_name: str) -> int | None:
        """How many columns the watchlist had when ``list_name``'s were saved (None: not recorded,
        saved by an older version); columns added since then start hidden."""
        v = self.q.value(f"column_counts/{_key_part(list_name)}")
        try:
            return int(v) if v is not None else None
        except (TypeError, ValueError):
            return None

    def save_columns_state(self, list_name: str, state: QByteArray, count: int) -> None:
        self.q.setValue(f"columns/{_key_part(list_name)}", state)
        self.q.setValue(f"column_counts/{_key_part(list_name)}", count)

    def forget_columns_state(self, list_name: str) -> None:
        self.q.remove(f"columns/{_key_part(list_name)}")
        self.q.remove(f"column_counts/{_key_part(list_name)}")

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

    def chart_windows(self) -> list[SavedChart]:
        """The chart windows open when the app last closed, oldest first."""
        q, out = self.q, []
        for i in range(q.beginReadArray("charts")):
            q.setArrayIndex(i)
            symbol, group, interval, geometry, body, side = (
                q.value(k) for k in ("symbol", "group", "interval", "geometry", "body", "side")
            )
            if isinstance(symbol, str) and symbol:
                out.append(
                    SavedChart(
                        symbol,
                        group if isinstance(group, str) else "",
                        interval if isinstance(interval, str) else "",
                        *(v if isinstance(v, QByteArray) else None for v in (geometry, body, side)),
                    )
                )
        q.endArray()
        return out

    def save_chart_windows(self, charts: list[SavedChart], main_group: str) -> None:
        q = self.q
        q.remove("charts")
        q.beginWriteArray("charts", len(charts))
        for i, chart in enumerate(charts):
            q.setArrayIndex(i)
            q.setValue("symbol", chart.symbol)
            q.setValue("group", chart.group)
            q.setValue("interval", chart.interval)
            for key, value in (("geometry", chart.geometry), ("body", chart.body), ("side", chart.side)):
                if value is not None:
                    q.setValue(key, value)
        q.endArray()
        q.setValue("window/link_group", main_group)

    @property
    def main_link_group(self) -> str | None:
        """The main window's link group when the app last closed (None: never saved)."""
        value = self.q.value("window/link_group")
        return value if isinstance(value, str) else None

    def header_state(self) -> QByteArray | None:
        """The watchlist's columns as saved before each list kept its own (read once, for a list
        with none saved yet)."""
        v = self.q.value("window/watchlist_header")
        return v if isinstance(v, QByteArray) else None

    def sync(self) -> None:
        """Write the file, then tell the followers which keys changed."""
        self.q.sync()
        if self._pending:
            keys, self._pending = frozenset(self._pending), set()
            self.changed.emit(keys)
