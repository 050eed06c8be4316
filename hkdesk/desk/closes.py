"""Previous closes for the desk's desktops: a direct connection asks the provider's HTTP API for
them, a desktop on the desk has no token, so the leading desk server asks for the symbols it
streams and keeps each in the latest-quote bucket under ``<symbol>.close`` (a desktop follows
those keys for as long as it runs, so a symbol added later gets its close too).

Each record names the session whose previous close it is (its Hong Kong date: the date of the
session's daily bar where the provider has one, else the day it was fetched); the desk fetches
again when the Hong Kong date changes, and a desktop uses a close only for that session. A
failed fetch is tried again after ``retry_wait``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from decimal import Decimal

from nats.aio.client import Client

from hkdesk.desk.codec import DeskClose, encode
from hkdesk.desk.subjects import DeskNames
from hkdesk.domain.sessions import hk_now
from hkdesk.feed.task_stop import stop_task

log = logging.getLogger(__name__)

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
        today: Callable[[], date] = hk_today,
    ) -> None:
        self._nc = nc
        self._names = names
        self._fetch = fetch
        self.retry_wait = retry_wait
        self.check_every = check_every
        self._today = today
        self._wanted: list[str] = []
        self._fetched: dict[str, date] = {}
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
            today = self._today()
            pending = [s for s in self._wanted if self._fetched.get(s) != today]
            if pending and self._nc.is_connected:
                try:
                    await self._fetch_and_write(pending, today)
                except Exception as exc:
                    log.warning(
                        "previous closes not fetched (%s %s); trying again", exc.__class__.__name__, exc
                    )
                    await asyncio.sleep(self.retry_wait)
                    continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.check_every)

    async def _fetch_and_write(self, symbols: list[str], today: date) -> None:
        found = await self._fetch(symbols)
        for symbol, (price, session) in found.items():
            record = DeskClose(symbol=symbol, day=(session or today).isoformat(), close=price)
            await self._nc.publish(self._names.close_key(symbol), encode(record))
            self.written += 1
        for symbol in symbols:  # those not answered for are asked again the next day, not in a loop
            self._fetched[symbol] = today
