"""The latest quote per symbol, updated from tick and book batches.

This sits on the receive path of the GUI thread, so it does only cheap arithmetic per tick
and no I/O. Views never get a callback per tick: they ask :meth:`QuoteHub.take_dirty` on a
frame timer and repaint just the symbols that changed.

Each quote also knows where its figures came from (:class:`~hkdesk.domain.freshness.Origin`)
and whether its stream is flowing (:meth:`QuoteHub.set_streaming`), so the screen can say which
figures are live and which are not. A new trading day (the first trade of a later day, or
:meth:`QuoteHub.advance_day` from the clock) starts every quote's day afresh: the last price
becomes the previous close, the day's figures and the tape are cleared.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from hkdesk.domain.freshness import Freshness, FreshnessInfo, Origin
from hkdesk.domain.sessions import HK_OFFSET_MS, HK_TZ
from hkdesk.domain.types import Bar, Book, Tick

_DAY_MS = 86_400_000
_EPOCH = date(1970, 1, 1)


def hk_day(ts_ms: int) -> int:
    """Days since the epoch in Hong Kong time; the trading day a timestamp belongs to."""
    return (ts_ms + HK_OFFSET_MS) // _DAY_MS


def start_of_hk_day(now: float | None = None) -> datetime:
    """Midnight in Hong Kong of the trading day ``now`` (epoch s) falls in, as a UTC datetime."""
    day = hk_day(int((time.time() if now is None else now) * 1000))
    return datetime.fromtimestamp(day * 86_400 - HK_OFFSET_MS // 1000, UTC)


def day_number(day: date) -> int:
    """A Hong Kong date as :func:`hk_day` counts it."""
    return (day - _EPOCH).days


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
    #: Where the last trade came from (an ``Origin``).
    origin: int = Origin.LIVE
    #: Trades (and books) of this symbol are flowing now.
    streaming: bool = False
    book_streaming: bool = False
    #: Our wall clock when the stream stopped (or the snapshot was taken), and why.
    stopped_at: float = 0.0
    note: str = ""
    #: Trades of the day before this exchange time (ms) are in its volume and turnover already.
    counted_from: int = 0
    #: The day's open, high, low, volume and turnover count only the trades from this exchange
    #: time (ms), the first this quote had: the day before is not known (0: from the open).
    counted_since: int = 0
    #: A session (day) that had no trade when its stream began: its trades are all streamed.
    whole_day: int = -1
    #: While the day is a part day: the volume and turnover before each minute's first trade
    #: (by minute since the epoch), so the day before a cut joins exactly, however long ago.
    minute_marks: dict[int, tuple[Decimal, Decimal]] | None = None
    mark_minute: int = -1
    #: The day before ``counted_from`` (a bar, and that time) for a day not begun in this quote.
    pending_base: tuple[Bar, int] | None = None

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
    def part_day_since(self) -> int:
        """When the shown day is a part day (traded, the day before unknown): the exchange time
        (ms) its figures count from; 0 for a whole day."""
        return self.counted_since if self.trades else 0

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
    #: The trading day (days since the epoch, Hong Kong time) of the newest figures; -1 before any.
    day: int = -1
    _dirty: set[str] = field(default_factory=set)
    _dirty_books: set[str] = field(default_factory=set)

    def quote(self, symbol: str) -> Quote:
        q = self.quotes.get(symbol)
        if q is None:
            q = self.quotes[symbol] = Quote(symbol)
            self.tapes[symbol] = deque(maxlen=self.tape_length)
        return q

    def apply_ticks(self, ticks: Iterable[Tick], origin: Origin = Origin.LIVE) -> None:
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
                if day > self.day:
                    self.advance_day(day)
                self._new_day(q)
                q.day = day
                q.counted_since = 0 if q.whole_day == day else t.ts
                if q.pending_base is not None:
                    self._take_pending_base(q)
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
            if q.counted_since and (minute := t.ts // 60_000) != q.mark_minute:  # a part day's minute
                q.mark_minute = minute
                if q.minute_marks is None:
                    q.minute_marks = {}
                q.minute_marks[minute] = (q.volume, q.turnover)
            if t.ts >= q.counted_from:  # else the day's bar before it holds it
                q.volume += t.volume
                q.turnover += t.turnover  # type: ignore[operator]
            q.trades += 1
            q.last_ts = t.ts
            q.last_seq = t.seq
            q.last_direction = t.direction
            q.received_at = t.received_at
            q.origin = origin
            if origin == Origin.LIVE:
                q.streaming = True  # a streamed trade proves the stream flows
            self.tapes[t.symbol].append(t)
            dirty.add(t.symbol)
        self.ticks_applied += n

    def _new_day(self, q: Quote) -> None:
        if q.trades and q.last is not None:
            q.prev_close = q.last
        q.open = q.high = q.low = None
        q.volume = Decimal(0)
        q.turnover = Decimal(0)
        q.trades = 0
        q.tick_move = 0
        q.counted_from = 0
        q.minute_marks, q.mark_minute = None, -1
        self.tapes[q.symbol].clear()

    def advance_day(self, day: int) -> None:
        """A new trading day has begun: every quote starts the day afresh (previous close = last
        price; no volume, range or tape yet). Its last price stays, marked as not today's."""
        if day <= self.day:
            return
        if self.day >= 0:
            for q in self.quotes.values():
                if q.day < day:
                    self._new_day(q)
                    self._dirty.add(q.symbol)
                    self._dirty_books.add(q.symbol)
        self.day = day

    def apply_books(self, books: Iterable[Book], origin: Origin = Origin.LIVE) -> None:
        """Books of the stream, or fetched once (``Origin.SNAPSHOT``: the book is not streaming)."""
        live = origin == Origin.LIVE
        for b in books:
            q = self.quotes.get(b.symbol) or self.quote(b.symbol)
            if live:
                q.book_streaming = True
            self.books[b.symbol] = b
            if b.bids:
                q.bid, q.bid_volume = b.bids[0].price, b.bids[0].volume
            if b.asks:
                q.ask, q.ask_volume = b.asks[0].price, b.asks[0].volume
            self._dirty.add(b.symbol)
            self._dirty_books.add(b.symbol)

    def set_streaming(
        self, trades: Collection[str], books: Collection[str], why_not: Callable[[str], str], now: float
    ) -> None:
        """The symbols whose trades and books flow now; every other quote's stream has stopped
        (``why_not(symbol)`` says why, ``now`` is our wall clock). When a book stops streaming its
        bid and ask leave the quote (a price that no longer moves is not shown as a bid); the last
        book stays for the depth ladder, which shows it as stale."""
        for sym, q in self.quotes.items():
            streaming = sym in trades
            if streaming != q.streaming:
                q.streaming = streaming
                if not streaming:
                    q.stopped_at, q.note = now, why_not(sym)
                self._dirty.add(sym)
            book = sym in books
            if book != q.book_streaming:
                q.book_streaming = book
                if not book:  # the ladder keeps the last book, shown as stale
                    q.bid = q.ask = q.bid_volume = q.ask_volume = None
                self._dirty.add(sym)
                self._dirty_books.add(sym)

    def mark(self, symbol: str, origin: Origin, note: str = "", at: float = 0.0) -> None:
        """Say where ``symbol``'s figures came from when they were not streamed: a snapshot taken
        at ``at`` (our wall clock), or figures restored from the store."""
        q = self.quote(symbol)
        q.origin = origin
        q.note = note
        if at:
            q.stopped_at = at
        self._dirty.add(symbol)

    def freshness(self, symbol: str) -> FreshnessInfo:
        q = self.quotes.get(symbol)
        if q is None:
            return FreshnessInfo(Freshness.STALE, 0.0)
        if q.last is None and q.origin == Origin.LIVE:  # no trade yet: the stream is all there is
            if q.streaming:
                return FreshnessInfo(Freshness.LIVE, 0.0)
            return FreshnessInfo(Freshness.STALE, q.stopped_at, q.note)
        if q.origin == Origin.SNAPSHOT:
            return FreshnessInfo(Freshness.SNAPSHOT, q.stopped_at or q.received_at, q.note)
        if q.origin == Origin.STORED or q.trades == 0 or q.day < self.day:
            return FreshnessInfo(Freshness.STORED, q.received_at, q.note if q.origin == Origin.STORED else "")
        if not q.streaming:
            return FreshnessInfo(Freshness.STALE, q.stopped_at, q.note)
        return FreshnessInfo(Freshness.LIVE, q.received_at)

    def clear(self) -> None:
        """Forget every figure (another source now feeds the hub); views repaint every symbol."""
        self._dirty.update(self.quotes)
        self._dirty_books.update(self.quotes)
        self.quotes.clear()
        self.books.clear()
        self.tapes.clear()
        self.day = -1

    def apply_session_bar(self, symbol: str, bar: Bar) -> bool:
        """The provider's daily bar of the session so far: the day's open, high, low, volume and
        turnover from the open, whenever the stream began. Applied to a quote holding a trade of
        that session (False otherwise). The trades streamed before the provider answered are in the
        bar, so its volume and turnover replace what they added; trades after it add on top."""
        q = self.quotes.get(symbol)
        if q is None or q.last is None or hk_day(bar.start) != q.day:
            return False
        q.open = bar.open
        q.high = bar.high if q.high is None else max(q.high, bar.high)
        q.low = bar.low if q.low is None else min(q.low, bar.low)
        q.volume = bar.volume
        q.turnover = bar.turnover
        q.counted_since = 0
        self._dirty.add(symbol)
        return True

    def set_whole_day(self, symbol: str, day: int) -> None:
        """The session of ``day`` had no trade when ``symbol``'s stream began: the stream holds
        all of its trades, so the quote's day counts from the open."""
        q = self.quote(symbol)
        q.whole_day = day
        if q.day == day and q.counted_since:
            q.counted_since = 0
            self._dirty.add(symbol)

    def apply_session_base(self, symbol: str, bar: Bar, counted_from: int) -> bool:
        """The session's trades before exchange time ``counted_from`` as one bar, from a stream
        that holds every trade from then on (a shared desk's). Unlike :meth:`apply_session_bar`
        it joins the stream exactly, in either order: trades before ``counted_from`` add nothing
        to the volume and turnover, later ones add on top. A bar for a session not begun in this
        quote is kept until its first trade. False when it cannot be joined: an earlier
        session's, or trades from ``counted_from`` on are no longer all in the tape (the quote
        keeps what it counted). A part day cut at a minute's start joins through its minute marks,
        however many trades it has had since."""
        q = self.quote(symbol)
        day = hk_day(bar.start)
        if day < q.day:
            return False
        if day > q.day or q.last is None:
            q.pending_base = (bar, counted_from)
            return True
        if counted_from < q.counted_from:
            return True  # an earlier cut of the same session: the one applied is newer
        marks = q.minute_marks if q.counted_since and counted_from % 60_000 == 0 else None
        if marks is not None:  # a part day cut at a minute: its marks give the trades from then on
            cut = counted_from // 60_000
            before = next((v for m, v in marks.items() if m >= cut), (q.volume, q.turnover))
            volume, turnover = q.volume - before[0], q.turnover - before[1]
        else:
            tape = self.tapes[symbol]
            if len(tape) < q.trades and (not tape or tape[0].ts >= counted_from):
                return False  # a trade from the cut on may have left the tape (those left are older)
            after = [t for t in tape if t.ts >= counted_from]
            volume, turnover = sum(t.volume for t in after), sum(t.turnover for t in after)  # type: ignore[misc]
        high, low = max(bar.high, q.high), min(bar.low, q.low)  # type: ignore[type-var]
        self._set_base(q, bar, counted_from)
        q.volume += volume
        q.turnover += turnover
        q.high, q.low = high, low
        self._dirty.add(symbol)
        return True

    def _take_pending_base(self, q: Quote) -> None:
        bar, counted_from = q.pending_base  # type: ignore[misc]
        q.pending_base = None
        if hk_day(bar.start) == q.day:
            self._set_base(q, bar, counted_from)

    @staticmethod
    def _set_base(q: Quote, bar: Bar, counted_from: int) -> None:
        q.open, q.high, q.low = bar.open, bar.high, bar.low
        q.volume, q.turnover = bar.volume, bar.turnover
        q.counted_from = counted_from
        q.counted_since = 0
        q.minute_marks, q.mark_minute = None, -1

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
