"""Firings written to the alert log from a worker thread, so the event loop never waits on disk.

``record`` stamps the events with our clock and hands them to one worker thread, which writes
them in order. A write that fails (the file locked past its busy timeout, a full disk) is kept
and retried with the next firing and at ``close``, so a firing is not lost to a passing lock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.exc import SQLAlchemyError

from hkdesk.alerts.rule import AlertEvent
from hkdesk.alerts.store import AlertStore
from hkdesk.store.errors import StoreError

log = logging.getLogger(__name__)


class FiringRecorder:
    def __init__(self, store: AlertStore, source: str, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        #: Name of the quote source the firings came from (e.g. ``simulator``, ``alltick``).
        self.source = source
        self._clock = clock
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hkdesk-alert-log")
        self._pending: list[tuple[AlertEvent, float]] = []  # touched by the worker thread only

    def record(self, events: Sequence[AlertEvent]) -> Future[int]:
        """Queue ``events`` for the log; never blocks. The future gives the entries written."""
        now = self._clock()
        return self._pool.submit(self._write, [(e, now) for e in events], self.source)

    @property
    def pending(self) -> int:
        """Firings waiting for a retry after a failed write."""
        return len(self._pending)

    def _write(self, stamped: list[tuple[AlertEvent, float]], source: str) -> int:
        batch = self._pending + stamped
        try:
            self.store.record(batch, source)
        except (SQLAlchemyError, StoreError, OSError) as exc:
            self._pending = batch
            log.error("alert log: %d firing(s) not written yet, retried with the next: %s", len(batch), exc)
            return 0
        self._pending = []
        return len(batch)

    def close(self) -> None:
        """Write what is queued (one last retry of anything pending) and stop the worker."""
        self._pool.submit(self._write, [], self.source)
        self._pool.shutdown(wait=True)
        if self._pending:
            log.error("alert log: %d firing(s) could not be written", len(self._pending))
