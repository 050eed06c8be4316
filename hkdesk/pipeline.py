"""The headless heart shared by the recorder, the desktop app and the benchmarks.

One direction, no back and forth: the feed decodes a batch of frames and hands it here once;
the batch updates the quote hub (cheap, on the event loop) and is queued for the writer
thread (one append). Nothing here blocks or touches the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.types import Book, Gap, Tick
from hkdesk.feed.status import FeedStatus, FeedTimings
from hkdesk.sources.upstream import FeedCallbacks, Upstream
from hkdesk.store.writer import BatchWriter

log = logging.getLogger(__name__)


class TickSink(Protocol):
    """Takes each live batch after the quote hub (the alert pump): queues it, never blocks."""

    def put(self, ticks: list[Tick]) -> None: ...


class Pipeline:
    """Feed → quote hub (→ alerts) → batched writer (``writer`` None: nothing is stored, e.g. no
    database; ``alerts`` None: no alert judging)."""

    def __init__(
        self,
        upstream: Upstream,
        *,
        writer: BatchWriter | None,
        hub: QuoteHub | None = None,
        timings: FeedTimings | None = None,
        on_status: Callable[[FeedStatus], None] | None = None,
        on_symbol_error: Callable[[str, int, str], None] | None = None,
        on_gap: Callable[[Gap], None] | None = None,
        alerts: TickSink | None = None,
    ) -> None:
        self.hub = hub or QuoteHub()
        self.writer = writer
        self.alerts = alerts
        self.ticks_received = 0
        #: Exchange time (epoch ms) of the newest trade received.
        self.last_ts = 0
        self._on_status = on_status
        self._on_symbol_error = on_symbol_error
        self._on_gap = on_gap
        self.upstream = upstream
        callbacks = FeedCallbacks(self._ticks, self._books, on_status, self._gap, self._symbol_error)
        self.feed = upstream.feed(callbacks, timings or FeedTimings())

    def _ticks(self, ticks: list[Tick]) -> None:
        self.hub.apply_ticks(ticks)
        if self.alerts is not None:
            self.alerts.put(ticks)
        if self.writer is not None:
            self.writer.put_ticks(ticks)
        self.ticks_received += len(ticks)
        self.last_ts = ticks[-1].ts

    def _books(self, books: list[Book]) -> None:
        self.hub.apply_books(books)
        if self.writer is not None:
            self.writer.put_books(books)

    def _gap(self, gap: Gap) -> None:
        log.warning(
            "%s: trades between seq %d and %d may be missing after a reconnect",
            gap.symbol,
            gap.start_seq,
            gap.end_seq,
        )
        if self.writer is not None:
            self.writer.put_gap(gap.symbol, gap.start_ts, gap.end_ts, reason="reconnect")
        if self._on_gap:
            self._on_gap(gap)

    def _symbol_error(self, symbol: str, ret: int, message: str) -> None:
        log.warning("%s is not streamed (ret %d): %s", symbol, ret, message)
        if self._on_symbol_error:
            self._on_symbol_error(symbol, ret, message)

    async def run(self) -> None:
        await self.feed.run()

    async def close(self) -> None:
        await self.feed.close()
