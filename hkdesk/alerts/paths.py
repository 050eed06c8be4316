"""The alerts' file in the config folder (``hkdesk.folders`` says where that is)."""

from __future__ import annotations

ALERTS_FILE = "alerts.db"
