"""Named watchlists: one owner that edits them, saves them and tells everyone who follows.

:class:`WatchlistService` is the only code that changes a list. The window's model, the feed's
subscription and the saved file all follow its ``changed`` signal; nobody edits a list of their
own. Lists are saved as JSON in the config folder and validated on load: a corrupt or unreadable
file never stops the app, we fall back to the defaults, keep the bad file aside
(``watchlists.json.bad``) so nothing the user typed is lost, and report why.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

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


class WatchlistService(QObject):
    """The watch lists' one owner. Every operation saves the lists and emits ``changed``; a refused
    one returns why, in words for the user, and changes nothing."""

    changed = Signal()

    def __init__(self, store: WatchlistStore, initial: list[str] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._wl = store.load(initial)

    @property
    def problem(self) -> str | None:
        """Why the saved file could not be used, if it could not."""
        return self._store.problem

    @property
    def current(self) -> str:
        return self._wl.current

    def names(self) -> list[str]:
        return self._wl.names()

    def symbols(self, name: str | None = None) -> list[str]:
        """A copy of the list ``name`` (the current one by default)."""
        return list(self._wl.lists.get(name or self._wl.current, ()))

    # ------------------------------------------------------------ symbols of the current list
    def add(self, symbol: str) -> bool:
        lst = self._wl.symbols()
        if symbol in lst:
            return False
        lst.append(symbol)
        self._changed()
        return True

    def remove(self, symbol: str) -> bool:
        lst = self._wl.symbols()
        if symbol not in lst:
            return False
        lst.remove(symbol)
        self._changed()
        return True

    def move(self, symbol: str, index: int) -> bool:
        """Reorder: put ``symbol`` at ``index`` of the current list."""
        lst = self._wl.symbols()
        if symbol not in lst:
            return False
        lst.remove(symbol)
        lst.insert(max(0, min(index, len(lst))), symbol)
        self._changed()
        return True

    # ------------------------------------------------------------ the lists themselves
    def switch(self, name: str) -> bool:
        if name not in self._wl.lists or name == self._wl.current:
            return False
        self._wl.current = name
        self._changed()
        return True

    def name_problem(self, name: str) -> str | None:
        name = name.strip()
        if not name:
            return self.tr("A watchlist needs a name.")
        if len(name) > MAX_NAME:
            return self.tr("A watchlist name has at most {n} characters.").format(n=MAX_NAME)
        if name.casefold() in {n.casefold() for n in self._wl.lists}:
            return self.tr("There is already a watchlist named “{name}”.").format(name=name)
        return None

    def create(self, name: str) -> str | None:
        """A new empty list, made current; or why not."""
        problem = self.name_problem(name)
        if problem is None:
            self._wl.lists[name.strip()] = []
            self._wl.current = name.strip()
            self._changed()
        return problem

    def rename(self, new: str) -> str | None:
        """Rename the current list, keeping its place; or why not."""
        problem = self.name_problem(new)
        if problem is None:
            old, new = self._wl.current, new.strip()
            self._wl.lists = {(new if k == old else k): v for k, v in self._wl.lists.items()}
            self._wl.current = new
            self._changed()
        return problem

    def delete(self) -> str | None:
        """Delete the current list and switch to the first one left; or why not."""
        if len(self._wl.lists) <= 1:
            return self.tr("The last watchlist cannot be deleted.")
        del self._wl.lists[self._wl.current]
        self._wl.current = next(iter(self._wl.lists))
        self._changed()
        return None

    def _changed(self) -> None:
        self._store.save(self._wl)
        self.changed.emit()
