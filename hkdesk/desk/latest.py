"""The latest-quote bucket: the newest trade and book of every symbol, coalesced.

A desktop reads it when it starts and paints at once, before the day's trades arrive from
the stream. The receive path only remembers the newest record per symbol (a dict store); a
task writes the symbols that changed every ``interval`` (a few times a second, not per
tick). Writes are plain publishes into the bucket's subject, unacknowledged: a lost one is
replaced by the next, and after a reconnect every symbol is written again.
"""

from __future__ import annotations

import asyncio
import logging

from nats.aio.client import Client

from hkdesk.desk.codec import Latest, encode
from hkdesk.desk.subjects import encode_token
from hkdesk.domain.types import Book, Tick
from hkdesk.feed.task_stop import stop_task

log = logging.getLogger(__name__)


class LatestBoard:
    def __init__(self, nc: Client, bucket: str, *, interval: float = 0.25) -> None:
        self._nc = nc
        self._prefix = f"$KV.{bucket}."
        self.interval = interval
        self._latest: dict[str, Latest] = {}
        self._dirty: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self.writes = 0

    def note_ticks(self, ticks: list[Tick]) -> None:
        latest, dirty = self._latest, self._dirty
        for tick in ticks:
            entry = latest.get(tick.symbol)
            if entry is None:
                entry = latest[tick.symbol] = Latest()
            entry.trade = tick
            dirty.add(tick.symbol)

    def note_books(self, books: list[Book]) -> None:
        latest, dirty = self._latest, self._dirty
        for book in books:
            entry = latest.get(book.symbol)
            if entry is None:
                entry = latest[book.symbol] = Latest()
            entry.book = book
            dirty.add(book.symbol)

    def mark_all_dirty(self) -> None:
        """After a reconnect: the writes made while NATS was away may be lost."""
        self._dirty.update(self._latest)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="hkdesk-desk-latest")

    async def close(self) -> None:
        if self._task is not None:
            await stop_task(self._task)  # cancelled again if it swallows one
            self._task = None
        await self.write_dirty()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.write_dirty()

    async def write_dirty(self) -> None:
        if not self._dirty or not self._nc.is_connected:
            return
        dirty, self._dirty = self._dirty, set()
        try:
            for symbol in dirty:
                await self._nc.publish(self._prefix + encode_token(symbol), encode(self._latest[symbol]))
                self.writes += 1
        except Exception as exc:  # the link went away mid-way: write them all next time
            log.warning("latest quotes not written (%s); retrying", exc.__class__.__name__)
            self.mark_all_dirty()
