"""Tick batches judged on a worker thread of the app, where the judge process cannot run.

The app judges alerts in a process of its own (:mod:`hkdesk.alerts.process_judge`); this pump is
where judging moves when that process cannot be started or dies, and what judged them before.

At 20,000 trades a second judging costs the evaluator some 2 µs a trade, 4 % of a loop thread
that the window already keeps nearly busy; judged on the loop, between its timers and paints,
that work added several milliseconds to the loop's lag p99. The pump takes a batch in O(1) on the
receive path (a queue append) and a worker thread judges it, ``slice_ticks`` trades at a time.
The judging still needs the GIL, but it now runs while the loop thread waits for events or
paints in Qt's C++ code, which release it, instead of in line with the loop's own callbacks;
the worker pauses briefly after each slice so that a loop thread waiting for the GIL gets it
within a slice.

Nothing is skipped or reordered: one thread judges the batches whole, in the order they arrived,
each trade once. Firings are handed to ``on_events`` on the event loop's thread, in order, a
loop iteration or so after their slice was judged.

The evaluator belongs to the worker while it judges: read or change it (its alerts, previous
closes, seeds) only while holding :attr:`AlertPump.lock`, which the worker holds for one slice
at a time. :meth:`flush` waits until everything queued is judged and hands on its firings, for
an edit of the alert set that must not overlap trades judged under the old one, and at shutdown.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.alerts.model import Alert
from hkdesk.alerts.relay import FiringRelay
from hkdesk.alerts.rule import AlertEvent
from hkdesk.domain.types import Bar, Tick

log = logging.getLogger(__name__)

#: Trades judged per hold of the lock: well under a millisecond.
SLICE_TICKS = 256
#: The worker's pause after each slice. Judging holds the GIL; a thread that only gives it up
#: when asked does so after the interpreter's switch interval (5 ms), which a loop thread waking
#: for a timer would wait out. A short sleep hands the GIL over at every slice instead.
YIELD_S = 0.0002
#: The longest :meth:`AlertPump.flush` waits for the worker before it gives up with a log line.
FLUSH_TIMEOUT = 30.0

_Item = list[Tick] | threading.Event | None


class AlertPump:
    def __init__(
        self,
        evaluator: AlertEvaluator,
        on_events: Callable[[Sequence[AlertEvent]], None],
        *,
        slice_ticks: int = SLICE_TICKS,
    ) -> None:
        if slice_ticks < 1:
            raise ValueError("slice_ticks must be at least 1")
        self.evaluator = evaluator
        self.slice_ticks = slice_ticks
        #: Held by the worker while it judges a slice; hold it to read or change the evaluator.
        self.lock = threading.Lock()
        self._relay = FiringRelay(on_events)
        self._queue: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._queued = 0  # trades put (written on the loop's thread only)
        self._judged = 0  # trades judged (written by the worker only)
        self._thread: threading.Thread | None = None
        self._closed = False

    def put(self, ticks: list[Tick]) -> None:
        """Queue a batch (the list is kept, not copied: the feed hands over a new one each time)."""
        if not ticks or self._closed or not self.evaluator:
            return
        if self._thread is None:
            self._start()
        self._queued += len(ticks)
        self._queue.put(ticks)

    # ------------------------------------------------------------ the alerts judged
    def set_alerts(self, alerts: Iterable[Alert]) -> None:
        with self.lock:
            self.evaluator.set_alerts(alerts)

    def alerts(self) -> list[Alert]:
        with self.lock:
            return self.evaluator.alerts()

    def symbols(self) -> set[str]:
        with self.lock:
            return self.evaluator.symbols()

    def set_previous_close(self, symbol: str, price: Decimal) -> None:
        with self.lock:
            self.evaluator.set_previous_close(symbol, price)

    def seed_minute_bars(self, symbol: str, bars: Sequence[Bar]) -> None:
        with self.lock:
            self.evaluator.seed_minute_bars(symbol, bars)

    def restart(self) -> None:
        """Judge the next trades afresh (another quote source); each alert keeps its firing state."""
        self.flush()
        with self.lock:
            self.evaluator.restart()

    @property
    def pending(self) -> int:
        """Trades queued and not judged yet."""
        return self._queued - self._judged

    def flush(self) -> None:
        """Judge everything queued now and hand its firings on (call from the loop's thread)."""
        if self._thread is None:
            return
        done = threading.Event()
        self._queue.put(done)
        if not done.wait(FLUSH_TIMEOUT):
            log.error("alerts: %d trades still not judged after %.0f s", self.pending, FLUSH_TIMEOUT)
        self._relay.deliver()

    def close(self) -> None:
        """Judge what is queued, hand it on and stop the worker; later batches are not judged."""
        self.flush()
        self._closed = True
        thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(FLUSH_TIMEOUT)

    # ------------------------------------------------------------------ worker

    def _start(self) -> None:
        self._relay.bind()
        self._thread = threading.Thread(target=self._work, name="hkdesk-alert-judge", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        get = self._queue.get
        while (item := get()) is not None:
            if isinstance(item, threading.Event):
                item.set()
                continue
            try:
                self._judge(item)
            except Exception:  # the worker must outlive any batch: flush() waits on it
                log.exception("alerts: a batch of %d trades could not be judged", len(item))

    def _judge(self, batch: list[Tick]) -> None:
        lock = self.lock
        size, step = len(batch), self.slice_ticks
        for start in range(0, size, step):
            part = batch if start == 0 and size <= step else batch[start : start + step]
            with lock:
                try:
                    events = self.evaluator.evaluate(part)
                except Exception:
                    log.exception("alerts: a slice of %d trades could not be judged", len(part))
                    # what fired before the failure is spent in the evaluator: it is still told
                    events = self.evaluator.take_fired()
            if events:
                self._relay.hand_on(events)
            self._judged += len(part)  # after the hand-on: pending 0 means every firing is queued
            if YIELD_S:
                time.sleep(YIELD_S)
