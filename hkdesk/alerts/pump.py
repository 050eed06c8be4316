"""Tick batches handed to the evaluator in slices on the event loop, so alerts never stall it.

At 20,000 trades a second the feed hands over batches of hundreds to a thousand and more
trades; judging such a batch in one go held the window's event loop for milliseconds on top of
the quote hub. The pump takes a batch in O(1) on the receive path and judges it
``slice_ticks`` trades per loop callback, so timers and paints run between slices. Nothing is
skipped or reordered: batches are judged whole, in the order they arrived, each trade once.

It cannot fall behind for long: a callback judges at least a quarter of what is queued, so when
the loop is too busy to run many callbacks (a slow machine, a burst) the slices grow instead of
the queue, which stays within about four callbacks' worth of arrivals; a firing reaches
``on_events`` a few loop iterations after its batch arrived.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Sequence

from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.alerts.rule import AlertEvent
from hkdesk.domain.types import Tick

#: Trades judged per loop callback while the queue is short: well under a millisecond.
SLICE_TICKS = 256
#: A callback judges at least 1/CATCH_UP of the queue.
CATCH_UP = 4


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
        self._on_events = on_events
        self._queue: deque[list[Tick]] = deque()
        self._offset = 0  # trades of the first queued batch already judged
        self._pending = 0
        self._scheduled = False
        self._loop: asyncio.AbstractEventLoop | None = None

    def put(self, ticks: list[Tick]) -> None:
        """Queue a batch (the list is kept, not copied: the feed hands over a new one each time)."""
        if not ticks or not self.evaluator:
            return
        self._queue.append(ticks)
        self._pending += len(ticks)
        if not self._scheduled:
            self._scheduled = True
            if self._loop is None:
                self._loop = asyncio.get_running_loop()
            self._loop.call_soon(self._slice)

    @property
    def pending(self) -> int:
        """Trades queued and not judged yet."""
        return self._pending

    def _slice(self) -> None:
        self._scheduled = False
        self._judge(max(self.slice_ticks, -(-self._pending // CATCH_UP)))
        if self._queue:
            self._scheduled = True
            self._loop.call_soon(self._slice)  # type: ignore[union-attr]

    def flush(self) -> None:
        """Judge everything queued now (at shutdown, or before the alert set changes)."""
        while self._queue:
            self._judge(self.slice_ticks)

    def _judge(self, budget: int) -> None:
        queue = self._queue
        while budget > 0 and queue:
            batch = queue[0]
            start = self._offset
            end = min(len(batch), start + budget)
            part = batch if start == 0 and end == len(batch) else batch[start:end]
            budget -= end - start
            self._pending -= end - start
            if end == len(batch):
                queue.popleft()
                self._offset = 0
            else:
                self._offset = end
            events = self.evaluator.evaluate(part)
            if events:
                self._on_events(events)
