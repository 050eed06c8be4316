"""Rate-limited logging: a flood of bad frames becomes one line per kind per interval."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from hkdesk.feed.alltick.protocol import redact


class ThrottledLog:
    """Counts events by kind and logs at most one line per kind every ``interval`` seconds."""

    def __init__(
        self,
        logger: logging.Logger,
        interval: float = 10.0,
        *,
        level: int = logging.WARNING,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = logger
        self.interval = interval
        self.level = level
        self._clock = clock
        self._unlogged: dict[str, int] = {}
        self._last_logged: dict[str, float] = {}

    def event(self, kind: str, what: str, example: str = "") -> bool:
        """Record one event; returns True if a line was logged now."""
        count = self._unlogged.get(kind, 0) + 1
        now = self._clock()
        last = self._last_logged.get(kind)
        if last is not None and now - last < self.interval:
            self._unlogged[kind] = count
            return False
        self._unlogged[kind] = 0
        self._last_logged[kind] = now
        suffix = f", e.g. {redact(example)[:200]}" if example else ""
        self._log.log(self.level, "%s: %d × %s%s", what, count, kind, suffix)
        return True
