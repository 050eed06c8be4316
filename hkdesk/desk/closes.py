"""Previous closes for the desk's desktops: a direct connection asks the provider's HTTP API for
them, a desktop on the desk has no token, so the leading desk server asks for the symbols it
streams and keeps each in the latest-quote bucket under ``<symbol>.close`` (a desktop follows
those keys for as long as it runs, so a symbol added later gets its close too).

Each record names the session whose previous close it is (its Hong Kong date: the date of the
session's daily bar where the provider has one, else the day it was fetched); the desk fetches
again when the Hong Kong date changes, and a desktop uses a close only for that session. A
symbol left without a close (a failed request, a code the provider does not know) is asked
again after ``retry_wait``, up to ``MAX_TRIES`` times a day; closes are written through JetStream
and acknowledged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from decimal import Decimal

from nats.aio.client import Client

from hkdesk.desk.codec import DeskClose, encode
from hkdesk.desk.subjects import DeskNames
from hkdesk.domain.sessions import hk_now
from hkdesk.feed.task_stop import stop_task

log = logging.getLogger(__name__)

#: Tries a day for a symbol the provider leaves out of its answer (unknown, or its request failed).
MAX_TRIES = 3

#: Symbols → (previous close, the session's date or None: today); unanswered ones left out.
CloseFetch = Callable[[list[str]], Awaitable[dict[str, tuple[Decimal, date | None]]]]


def hk_today() -> date:
    return hk_now().date()


class CloseBoard:
    def __init__(
        self,
        nc: Client,
        names: DeskNames,
        fetch: CloseFetch,
        *,
        retry_wait: float = 30.0,
        check_every: float = 60.0,
        ack_timeout: float = 2.0,
        today: Callable[[], date] = hk_today,
    ) -> None:
        self._nc = nc
        self._names = names
        self._fetch = fetch
        self.retry_wait = retry_wait
        self.check_every = check_every
        self.ack_timeout = ack_timeout
        self._today = today
        self._wanted: list[str] = []
        self._fetched: dict[str, date] = {}
        #: Symbols asked for without an answer: (the day, how many times, when last).
        self._asked: dict[str, tuple[date | None, int, float]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.written = 0

    def watch(self, symbols: Iterable[str]) -> None:
        """The symbols the desk streams now (none while it stands by)."""
        self._wanted = list(dict.fromkeys(symbols))
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="hkdesk-desk-closes")

    async def close(self) -> None:
        if self._task is not None:
            await stop_task(self._task)  # cancelled again if it swallows one
            self._task = None

    async def _run(self) -> None:
        while True:
            today, now = self._today(), time.monotonic()
            due = self._retries(today)
            pending = [s for s, at in due.items() if at <= now]
            if pending and not self._nc.is_connected:
                await asyncio.sleep(self.retry_wait)  # written once NATS is back
                continue
            if pending:
                try:
                    missing = await self._fetch_and_write(pending, today)
                except Exception as exc:
                    reason = f"{exc.__class__.__name__} {exc}"
                    log.warning("previous closes not fetched (%s); trying again", reason)
                    missing = pending
                for symbol in missing:
                    day, tries, _ = self._asked.get(symbol, (None, 0, 0.0))
                    self._asked[symbol] = (today, tries + 1 if day == today else 1, now)
            self._wake.clear()
            wait = min([self.check_every, *(at - time.monotonic() for at in self._retries(today).values())])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(0.0, wait))

    def _retries(self, today: date) -> dict[str, float]:
        """The watched symbols still without today's close, with the monotonic time each is next
        asked for: at once if not asked today, ``retry_wait`` after a try left it out, never once
        its tries are spent."""
        due: dict[str, float] = {}
        for symbol in self._wanted:
            if self._fetched.get(symbol) == today:
                continue
            day, tries, at = self._asked.get(symbol, (None, 0, 0.0))
            if day != today:
                due[symbol] = 0.0
            elif tries < MAX_TRIES:
                due[symbol] = at + self.retry_wait
        return due

    async def _fetch_and_write(self, symbols: list[str], today: date) -> list[str]:
        """Write the closes the provider gave (acknowledged by JetStream); return the symbols
        still without one (left out of the answer: unknown, or their request failed)."""
        found = await self._fetch(symbols)
        js = self._nc.jetstream()
        for symbol, (price, session) in found.items():
            record = DeskClose(symbol=symbol, day=(session or today).isoformat(), close=price)
            await js.publish(self._names.close_key(symbol), encode(record), timeout=self.ack_timeout)
            self._fetched[symbol] = today
            self.written += 1
        return [s for s in symbols if s not in found]
