"""The headless heart shared by the recorder, the desktop app and the benchmarks.

One direction, no back and forth: the feed decodes a batch of frames and hands it here once;
the batch updates the quote hub (cheap, on the event loop) and is queued for the writer
thread (one append). Nothing here blocks or touches the database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.types import Book, Gap, SessionSoFar, Tick
from hkdesk.feed.status import FeedState, FeedStatus, FeedTimings
from hkdesk.sources.upstream import FeedCallbacks, Upstream
from hkdesk.store.errors import redact_url
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
        on_session: Callable[[SessionSoFar], None] | None = None,
        on_simulator: Callable[[], None] | None = None,
    ) -> None:
        """``on_simulator``: the upstream is for real data only (``Upstream.real_only``) and its
        server named itself hkdesk's simulator in its handshake: nothing of it is stored."""
        self.hub = hub or QuoteHub()
        self.writer = writer
        self.alerts = alerts
        self.ticks_received = 0
        #: Exchange time (epoch ms) of the newest trade received, and our clock (epoch s) then.
        self.last_ts = 0
        self.last_received_at = 0.0
        #: Exchange time (epoch ms) of the first trade received (0: none yet).
        self.first_ts = 0
        self._on_status = on_status
        self._on_symbol_error = on_symbol_error
        self._on_gap = on_gap
        self._on_simulator = on_simulator
        self.upstream = upstream
        callbacks = FeedCallbacks(
            self._ticks, self._books, self._status, self._gap, self._symbol_error, on_session
        )
        self.feed = upstream.feed(callbacks, timings or FeedTimings())

    def _status(self, status: FeedStatus) -> None:
        """Called before the connection asks for any trade: a simulator found only now (it did
        not answer when the database was chosen) stores nothing into a database of real data."""
        if status.simulator and self.writer is not None and self.upstream.real_only:
            log.error(
                "the server at %s is hkdesk's simulator: its trades are not stored in %s, which "
                "keeps real data",
                self.upstream.url,
                redact_url(self.writer.engine.url),
            )
            self.writer = None
            if self._on_simulator is not None:
                self._on_simulator()
        if self._on_status is not None:
            self._on_status(status)

    def _ticks(self, ticks: list[Tick]) -> None:
        self.hub.apply_ticks(ticks)
        if self.alerts is not None:
            self.alerts.put(ticks)
        if self.writer is not None:
            self.writer.put_ticks(ticks)
        self.ticks_received += len(ticks)
        newest = ticks[-1]
        if not self.first_ts:
            self.first_ts = ticks[0].ts
        if newest.ts >= self.last_ts:  # a symbol's day caught up later is older than the clock
            self.last_ts = newest.ts
            self.last_received_at = newest.received_at

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

    def exchange_now(self) -> int | None:
        """Exchange time now (epoch ms): the newest trade's plus the time since it came on our
        clock (behind by the feed's latency: a minute is taken as over late, never early). From
        a real feed before its first trade, our clock; None before a simulator's first trade,
        whose demo clock runs on a day and time of its own, and while a shared desk is not live
        (its leader may not have said yet whether its upstream is one)."""
        if self.last_ts:
            return self.last_ts + max(0, int((time.time() - self.last_received_at) * 1000))
        status = self.feed.status
        if self.upstream.simulated or status.simulator:
            return None
        if self.upstream.desk is not None and status.state is not FeedState.LIVE:
            return None
        return int(time.time() * 1000)

    async def run(self) -> None:
        await self.feed.run()

    async def close(self) -> None:
        await self.feed.close()
