"""The market cap, P/E and dividend yield columns' reference data, fitted to the main window.

Only while one of them is shown, the list's stocks without today's facts are handed to
:class:`~hkdesk.app.fundamentals.Fundamentals` (database first, then the provider), once the
source is up, and again when the list, the day or the source changes; never per frame or per tick.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from hkdesk.app.fundamentals import Fundamentals, day_start
from hkdesk.ui.background import spawn
from hkdesk.ui.tool_host import ToolHost
from hkdesk.ui.watchlist_rows import FACT_COLUMNS


class FactColumns:
    def __init__(self, win: ToolHost) -> None:
        self.win = win
        market = win.market
        self.fundamentals = Fundamentals(market.reads.read, lambda: market.http, lambda: market.writer)
        self._shown = False
        self._stale = True
        self._source = ""
        self._day = 0.0
        self.task: asyncio.Future[Any] | None = None

    def columns_shown(self, shown: set[int]) -> None:
        self._shown = not FACT_COLUMNS.isdisjoint(shown)
        self._stale = self._stale or self._shown

    def list_changed(self) -> None:
        self._stale = True

    def refresh(self) -> None:
        """Every frame: load when something changed, a column is shown and the source is up."""
        market = self.win.market
        source, day = market.config.source.store_source, day_start(time.time())
        if source != self._source:
            self.fundamentals.forget()
            self.win.model.clear_facts()  # another provider's figures
            self._source, self._stale = source, True
        if day != self._day:
            self._day, self._stale = day, True
        if not (self._stale and self._shown and market.feed is not None):
            return
        if self.task is None or self.task.done():
            self._load()

    def _load(self) -> None:
        model, universe, since = self.win.model, self.win.universe, self._day
        self._stale = False
        symbols = [
            s
            for s in model.symbols()
            if not ((info := universe.get(s)) and info.is_index)
            and ((facts := model.facts.get(s)) is None or facts.fetched_at < since)
        ]
        if symbols:
            self.task = spawn(self._fetch(symbols), "reading the reference data")

    async def _fetch(self, symbols: list[str]) -> None:
        missing = await self.fundamentals.load(symbols, self.win.model.set_facts)
        self.win.model.set_facts_missing(missing)
