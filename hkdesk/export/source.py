"""Which market database an export reads when ``--db`` is not given.

Each quote source has its own database, as in the app: the simulator's file, or a real feed's
configured database (else its own file). ``--source`` picks one; by default the source the app's
settings (in the config folder) name, read without Qt.
"""

from __future__ import annotations

import configparser
from pathlib import Path

from hkdesk.folders import default_config_dir, default_data_dir
from hkdesk.store.engine import default_db_url

#: ``simulator-url``: a simulator the app reached through an AllTick URL (its own database).
SOURCES = ("simulator", "alltick", "simulator-url")
FILE_NAMES = {"simulator": "simulator", "alltick": "hkdesk", "simulator-url": "simulator-url"}


def saved_setting(config_dir: Path, section: str, key: str) -> str:
    """A value of the app's settings file (an INI file Qt writes; quotes around values dropped)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(config_dir / "hkdesk.ini", encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return ""
    return parser.get(section, key, fallback="").strip().strip('"')


def market_db_url(explicit: str | None, config_dir: Path | None = None, source: str | None = None) -> str:
    """``config_dir``: the app's ``--config-dir`` (which then also holds the default databases)."""
    if explicit:
        return explicit
    settings_dir = config_dir or default_config_dir()
    kind = source or saved_setting(settings_dir, "feed", "source") or "simulator"
    if kind not in SOURCES:
        kind = "simulator"
    if kind == "alltick" and (configured := saved_setting(settings_dir, "store", "db_url")):
        return configured
    return default_db_url(FILE_NAMES[kind], config_dir or default_data_dir())
