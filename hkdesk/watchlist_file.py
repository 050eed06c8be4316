"""The watch lists' file: named lists saved as JSON in the config folder, validated on load.

A corrupt or unreadable file never stops the app: we fall back to the defaults, keep the bad
file aside (``watchlists.json.bad``) so nothing the user typed is lost, and report why. No Qt
here: the export command reads the lists too.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from hkdesk.domain.symbols import try_normalise
from hkdesk.i18n import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

FILE_NAME = "watchlists.json"
#: The list made from ``--symbols``: shown for this run, never saved.
COMMAND_LINE = QT_TRANSLATE_NOOP("WatchlistService", "Command line")
MAX_NAME = 60
# The names of the lists the app makes are saved in English and shown in the interface language.
HSI_CORE = QT_TRANSLATE_NOOP("WatchlistService", "HSI Core")
TECH = QT_TRANSLATE_NOOP("WatchlistService", "Tech")
DEFAULT_LISTS: dict[str, list[str]] = {
    HSI_CORE: [
        "700.HK", "9988.HK", "5.HK", "1299.HK", "939.HK", "1398.HK", "3690.HK", "388.HK", "1810.HK",
        "2318.HK", "941.HK", "883.HK", "1211.HK", "9618.HK", "2020.HK", "16.HK", "11.HK", "1.HK",
        "2.HK", "3988.HK", "1024.HK", "9999.HK", "27.HK", "669.HK",
    ],
    TECH: ["700.HK", "9988.HK", "3690.HK", "1810.HK", "9618.HK", "1024.HK", "9999.HK", "285.HK", "241.HK"],
}  # fmt: skip


@dataclass
class Watchlists:
    lists: dict[str, list[str]] = field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_LISTS.items()}
    )
    current: str = HSI_CORE

    def names(self) -> list[str]:
        return list(self.lists)

    def symbols(self) -> list[str]:
        return self.lists.setdefault(self.current, [])


class WatchlistStore:
    def __init__(self, config_dir: Path) -> None:
        self.path = Path(config_dir) / FILE_NAME
        self.problem: str | None = None
        """Why the file could not be used, for the status bar/log; ``None`` if it loaded."""

    def load(self, initial: list[str] | None = None) -> Watchlists:
        wl = Watchlists()
        if self.path.exists():
            try:
                wl = self._parse(json.loads(self.path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError) as exc:
                self.problem = f"watchlists file unusable ({exc}); using the default lists"
                log.warning("%s: %s", self.path.name, self.problem)
                with contextlib.suppress(OSError):
                    os.replace(self.path, self.path.with_suffix(".json.bad"))
                wl = Watchlists()
        if initial:
            wl.lists[COMMAND_LINE] = list(initial)
            wl.current = COMMAND_LINE
        return wl

    @staticmethod
    def _parse(raw: object) -> Watchlists:
        if not isinstance(raw, dict) or not isinstance(raw.get("lists"), dict):
            raise ValueError("expected an object with a 'lists' mapping")
        lists: dict[str, list[str]] = {}
        for name, syms in raw["lists"].items():
            if not isinstance(name, str) or not name.strip() or not isinstance(syms, list):
                raise ValueError(f"bad watchlist entry {name!r}")
            clean = []
            for s in syms:
                code = try_normalise(s) if isinstance(s, str) else None
                if code is None:
                    log.warning("watchlist %r: skipping unknown code %r", name, s)
                elif code not in clean:
                    clean.append(code)
            lists[name.strip()[:MAX_NAME]] = clean
        if not lists:
            raise ValueError("no watchlists in file")
        current = raw.get("current")
        if not isinstance(current, str) or current not in lists:
            current = next(iter(lists))
        return Watchlists(lists=lists, current=current)

    def save(self, wl: Watchlists) -> None:
        lists = {k: v for k, v in wl.lists.items() if k != COMMAND_LINE} or wl.lists
        current = wl.current if wl.current in lists else next(iter(lists))
        data = {"version": 1, "current": current, "lists": lists}
        tmp = self.path.with_suffix(".json.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            log.error("could not save watchlists: %s", exc)
