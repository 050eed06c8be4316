"""Where the app keeps its per-user files, without importing Qt (the CLI verbs need it too)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

ALERTS_FILE = "alerts.db"


def default_config_dir() -> Path:
    """The folder for settings, watchlists and alerts when ``--config-dir`` is not given."""
    return Path(platformdirs.user_config_dir("hkdesk"))


def config_dir(explicit: str | Path | None) -> Path:
    return Path(explicit) if explicit else default_config_dir()
