"""Firings judged on another thread, handed to the event loop's thread in order."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence

from hkdesk.alerts.rule import AlertEvent

log = logging.getLogger(__name__)


class FiringRelay:
    """:meth:`hand_on` from any thread; ``on_events`` runs on the loop's thread, once per batch of
    firings, in the order they were handed on (a loop iteration or so later, or at :meth:`deliver`)."""

    def __init__(self, on_events: Callable[[Sequence[AlertEvent]], None]) -> None:
        self._on_events = on_events
        self._fired: deque[Sequence[AlertEvent]] = deque()
        self._scheduled = False
        self.loop: asyncio.AbstractEventLoop | None = None

    def bind(self) -> None:
        """Deliver on the running loop (call from the loop's thread before the first hand-on)."""
        self.loop = asyncio.get_running_loop()

    def hand_on(self, events: Sequence[AlertEvent]) -> None:
        """Queue firings for the loop's thread, waking it once for all queued."""
        self._fired.append(events)
        if not self._scheduled:
            self._scheduled = True
            try:
                self.loop.call_soon_threadsafe(self.deliver)  # type: ignore[union-attr]
            except RuntimeError:  # the loop is closed: nobody is left to tell
                self._fired.clear()
                self._scheduled = False

    def deliver(self) -> None:
        """Hand every queued firing on now (on the loop's thread)."""
        # The flag is cleared before the queue is read: a firing queued after that read schedules
        # another delivery, one queued before it is read here.
        self._scheduled = False
        fired = self._fired
        while fired:
            events = fired.popleft()
            try:
                self._on_events(events)
            except Exception:
                log.exception("alerts: firings could not be handed on")
