"""The latest quote per symbol, updated from tick and book batches.

This sits on the receive path of the GUI thread, so it does only cheap arithmetic per tick
and no I/O. Views never get a callback per tick: they ask :meth:`QuoteHub.take_dirty` on a
frame timer and repaint just the symbols that changed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from hkdesk.domain.sessions import HK_OFFSET_MS, HK_TZ
from hkdesk.domain.types import Book, Tick

_DAY_MS = 86_400_000


def hk_day(ts_ms: int) -> int:
    """Days since the epoch in Hong Kong time; the trading day a timestamp belongs to."""
    return (ts_ms + HK_OFFSET_MS) // _DAY_MS


def hk_datetime(ts_ms: int) -> datetime:
    """Hong Kong wall time of ``ts_ms`` (naive, for display and session look-ups)."""
    return datetime.fromtimestamp(ts_ms / 1000, HK_TZ).replace(tzinfo=None)


@dataclass(slots=True)
class Quote:
    """Day statistics and top of book for one symbol."""

    symbol: str
    prev_close: Decimal | None = None
    open: Decimal | None = None
    high: Decimal | None = None
    low: Decimal | None = None
    last: Decimal | None = None
    volume: Decimal = Decimal(0)
    turnover: Decimal = Decimal(0)
    trades: int = 0
    last_ts: int = 0
    last_seq: int = -1
    last_direction: int = 0
    #: +1 if the last trade was above the one before, -1 below, 0 unchanged.
    tick_move: int = 0
    bid: Decimal | None = None
    ask: Decimal | None = None
    bid_volume: Decimal | None = None
    ask_volume: Decimal | None = None
    day: int = -1
    #: Seconds (our clock) at which the latest tick was received; for latency measurements.
    received_at: float = 0.0

    @property
    def change(self) -> Decimal | None:
        if self.last is None or self.prev_close is None:
            return None
        return self.last - self.prev_close

    @property
    def change_pct(self) -> Decimal | None:
        if self.last is None or not self.prev_close:
            return None
        return (self.last - self.prev_close) * 100 / self.prev_close

    @property
    def vwap(self) -> Decimal | None:
        return self.turnover / self.volume if self.volume else None


@dataclass(slots=True)
class QuoteHub:
    """Latest quotes, books and a bounded tape per symbol."""

    tape_length: int = 500
    quotes: dict[str, Quote] = field(default_factory=dict)
    books: dict[str, Book] = field(default_factory=dict)
    tapes: dict[str, deque[Tick]] = field(default_factory=dict)
    ticks_applied: int = 0
    _dirty: set[str] = field(default_factory=set)
    _dirty_books: set[str] = field(default_factory=set)

    def quote(self, symbol: str) -> Quote:
        q = self.quotes.get(symbol)
        if q is None:
            q = self.quotes[symbol] = Quote(symbol)
            self.tapes[symbol] = deque(maxlen=self.tape_length)
        return q

    def apply_ticks(self, ticks: Iterable[Tick]) -> None:
        quotes = self.quotes
        dirty = self._dirty
        n = 0
        for t in ticks:
            n += 1
            q = quotes.get(t.symbol) or self.quote(t.symbol)
            day = (t.ts + HK_OFFSET_MS) // _DAY_MS
            if day < q.day:
                continue  # a late trade of an earlier session: stored, but not today's quote
            if day == q.day and t.seq <= q.last_seq:
                continue  # a replayed trade: the quote already has it
            if day > q.day:
                if q.day >= 0 and q.last is not None:
                    q.prev_close = q.last
                q.day = day
                q.open = q.high = q.low = None
                q.volume = Decimal(0)
                q.turnover = Decimal(0)
                q.trades = 0
            price = t.price
            prev = q.last
            q.tick_move = 0 if prev is None or price == prev else (1 if price > prev else -1)
            q.last = price
            if q.open is None:
                q.open = q.high = q.low = price
            elif price > q.high:  # type: ignore[operator]
                q.high = price
            elif price < q.low:  # type: ignore[operator]
                q.low = price
            q.volume += t.volume
            q.turnover += t.turnover  # type: ignore[operator]
            q.trades += 1
            q.last_ts = t.ts
            q.last_seq = t.seq
            q.last_direction = t.direction
            q.received_at = t.received_at
            self.tapes[t.symbol].append(t)
            dirty.add(t.symbol)
        self.ticks_applied += n

    def apply_books(self, books: Iterable[Book]) -> None:
        for b in books:
            q = self.quotes.get(b.symbol) or self.quote(b.symbol)
            self.books[b.symbol] = b
            if b.bids:
                q.bid, q.bid_volume = b.bids[0].price, b.bids[0].volume
            if b.asks:
                q.ask, q.ask_volume = b.asks[0].price, b.asks[0].volume
            self._dirty.add(b.symbol)
            self._dirty_books.add(b.symbol)

    def set_previous_close(self, symbol: str, price: Decimal) -> None:
        q = self.quote(symbol)
        q.prev_close = price
        self._dirty.add(symbol)

    def take_dirty(self) -> set[str]:
        """Symbols whose quote changed since the last call."""
        dirty, self._dirty = self._dirty, set()
        return dirty

    def take_dirty_books(self) -> set[str]:
        dirty, self._dirty_books = self._dirty_books, set()
        return dirty

    def tape(self, symbol: str) -> deque[Tick]:
        self.quote(symbol)
        return self.tapes[symbol]
