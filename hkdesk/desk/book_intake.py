"""A desktop's books from the desk: the latest-quote bucket's paint, then the stream's books.

The two race at start (the paint may arrive after a live book), so a book is handed on only
when it is newer (exchange time, sequence) than the last one handed on for its symbol.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from hkdesk.desk.codec import decode_book, decode_latest
from hkdesk.desk.follower import StreamMsg
from hkdesk.desk.subjects import DeskNames
from hkdesk.domain.types import Book
from hkdesk.feed.status import FeedStats

_BAD = (msgspec.DecodeError, msgspec.ValidationError, ValueError)


class BookIntake:
    """Books of the depth symbols (``tokens``, subject tokens) for ``deliver``."""

    def __init__(
        self, names: DeskNames, stats: FeedStats, deliver: Callable[[list[Book]], None] | None
    ) -> None:
        self.tokens: frozenset[str] = frozenset()
        self._stats = stats
        self._deliver = deliver
        self._book_start = len(names.kind_prefix("book"))
        self._latest_start = len(f"$KV.{names.latest_bucket}.")
        self._last: dict[str, tuple[int, int]] = {}

    def on_stream(self, msgs: list[StreamMsg]) -> None:
        start, watched = self._book_start, self.tokens
        books: list[Book] = []
        for msg in msgs:
            if msg.subject[start:] in watched:
                try:
                    books.append(decode_book(msg.data))
                except _BAD as exc:
                    self._stats.bad_frames[exc.__class__.__name__] += 1
        self._hand(books)

    def on_latest(self, msgs: list[StreamMsg]) -> None:
        start = self._latest_start
        books: list[Book] = []
        for msg in msgs:
            if msg.subject[start:] in self.tokens and msg.data:
                try:
                    latest = decode_latest(msg.data)
                except _BAD as exc:
                    self._stats.bad_frames[exc.__class__.__name__] += 1
                    continue
                if latest.book is not None:
                    books.append(latest.book)
        self._hand(books)

    def _hand(self, books: list[Book]) -> None:
        last = self._last
        fresh = []
        for book in books:
            key = (book.ts, book.seq)
            if key > last.get(book.symbol, (0, -1)):
                last[book.symbol] = key
                fresh.append(book)
        if fresh:
            self._stats.books += len(fresh)
            if self._deliver is not None:
                self._deliver(fresh)
