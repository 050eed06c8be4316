"""The user's folders: settings, watch lists and alerts in the config folder; databases and
spill files in the data folder. No Qt, so the command-line verbs and the recorder share them."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "hkdesk"


def default_config_dir() -> Path:
    """The folder for settings, watchlists and alerts when ``--config-dir`` is not given."""
    return Path(platformdirs.user_config_dir(APP_NAME))


def config_dir(explicit: str | Path | None) -> Path:
    return Path(explicit) if explicit else default_config_dir()


def default_data_dir() -> Path:
    """The folder for databases and spill files (the user's data folder)."""
    return Path(platformdirs.user_data_dir(APP_NAME))
