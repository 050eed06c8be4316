"""Calm sorting: a sorted watchlist re-sorts at most once a second, and never under the user's hand.

A list sorted by change % that reorders every second moves the row the user is about to click.
So the live re-sort waits while the mouse is over the list and for ``key_quiet`` seconds after a
key was pressed in it (or in its search and filter boxes), and runs at most once every
``min_interval`` seconds. A sort the user asks for (a click on a header) happens at once. The
timer may tick more often than ``min_interval`` so a re-sort follows soon after the mouse leaves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

MIN_INTERVAL_S = 1.0
KEY_QUIET_S = 2.0


class CalmSorter(QObject):
    def __init__(
        self,
        hover: QWidget,
        keys: Iterable[QWidget],
        resort: Callable[[], bool],
        *,
        clock: Callable[[], float] = time.monotonic,
        min_interval: float = MIN_INTERVAL_S,
        key_quiet: float = KEY_QUIET_S,
    ) -> None:
        """``hover``: the widget the mouse must not be over; ``keys``: widgets whose key presses
        hold the sort; ``resort()``: re-sort now, False when the list is not sorted."""
        super().__init__(hover)
        self._hover = hover
        self._resort = resort
        self._clock = clock
        self.min_interval = min_interval
        self.key_quiet = key_quiet
        self.hovering = False
        self.last_key = -1e18
        self.last_sort = -1e18
        self.sorts = 0
        hover.installEventFilter(self)
        for widget in keys:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._hover and kind in (QEvent.Type.Enter, QEvent.Type.Leave):
            self.hovering = kind == QEvent.Type.Enter
        elif kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            self.last_key = self._clock()
        return False

    def held(self) -> bool:
        """Whether a re-sort would be under the user's hand (or too soon after the last) now."""
        now = self._clock()
        return (
            self.hovering or now - self.last_key < self.key_quiet or now - self.last_sort < self.min_interval
        )

    def tick(self) -> bool:
        """Re-sort unless held; True when the list was re-sorted."""
        if self.held() or not self._resort():
            return False
        self.last_sort = self._clock()
        self.sorts += 1
        return True
