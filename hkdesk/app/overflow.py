"""Symbols beyond the plan's streaming capacity: their latest trade and book fetched over HTTP
every few seconds, shown as snapshots with their age (never as live figures)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from hkdesk.app.status import BEYOND_PLAN
from hkdesk.domain.freshness import Origin
from hkdesk.domain.quotes import QuoteHub
from hkdesk.feed.http import HttpError, QuoteHttp
from hkdesk.feed.task_stop import stop_task

log = logging.getLogger("hkdesk.app.market")

#: Seconds between two snapshots of the same symbols (the HTTP client keeps the plan's pace too).
EVERY_S = 10.0


class OverflowSnapshots:
    def __init__(
        self, hub: QuoteHub, http: QuoteHttp, beyond: Callable[[], list[str]], every: float = EVERY_S
    ) -> None:
        self._hub = hub
        self._http = http
        self._beyond = beyond
        self._every = every
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="hkdesk-overflow")

    async def stop(self) -> None:
        if self._task is not None:
            await stop_task(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            symbols = self._beyond()
            if symbols:
                try:
                    await self._snapshot(symbols)
                except HttpError as exc:
                    log.warning("snapshots beyond the plan: %s", exc)
            await asyncio.sleep(self._every if symbols else 1.0)  # look again soon while none

    async def _snapshot(self, symbols: list[str]) -> None:
        hub = self._hub
        trades = await self._http.fetch_latest_trades(symbols)
        books = await self._http.books(symbols)
        now = time.time()
        hub.apply_ticks(list(trades.values()), Origin.SNAPSHOT)
        for sym in trades:
            hub.mark(sym, Origin.SNAPSHOT, BEYOND_PLAN, now)
        hub.apply_books(list(books.values()), Origin.SNAPSHOT)
