"""Named watchlists: one owner that edits them, saves them and tells everyone who follows.

:class:`WatchlistService` is the only code that changes a list. The window's model, the feed's
subscription and the saved file (:mod:`hkdesk.watchlist_file`) all follow its ``changed``
signal; nobody edits a list of their own.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from hkdesk.watchlist_file import MAX_NAME, WatchlistStore


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

    def move_to(self, symbol: str, name: str) -> bool:
        """Move ``symbol`` from the current list to the end of the list ``name`` (kept once there)."""
        lst, target = self._wl.symbols(), self._wl.lists.get(name)
        if symbol not in lst or target is None or name == self._wl.current:
            return False
        lst.remove(symbol)
        if symbol not in target:
            target.append(symbol)
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
