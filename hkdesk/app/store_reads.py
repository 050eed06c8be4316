"""The window's reads of the source's database, each on the one history worker thread so the
event loop never waits for a query; with no database in use they answer empty."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor
from typing import TypeVar

import numpy as np
from sqlalchemy import Engine

from hkdesk.app.day_history import load_past_days, load_today
from hkdesk.app.lookup import stored_symbols
from hkdesk.domain.bars import DAY
from hkdesk.domain.day_holes import OPEN_SLACK_MS, DayFill, Hole, day_holes, open_of
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.symbols import SymbolInfo
from hkdesk.domain.types import Gap
from hkdesk.store.history import gaps_between

T = TypeVar("T")


class StoreReads:
    def __init__(
        self,
        hub: QuoteHub,
        executor: Executor,
        engine: Callable[[], Engine | None],
        day_fill: Callable[[str], DayFill] = lambda _symbol: DayFill.NONE,
    ) -> None:
        """``engine``: the database in use now (it changes with the source); ``day_fill``: how far
        a symbol's day from the provider is stored."""
        self._hub = hub
        self._executor = executor
        self._engine = engine
        self._day_fill = day_fill

    async def load_today(self, symbol: str) -> tuple[np.ndarray, ...] | None:
        """Today's (HK) stored trades and provider minutes as the chart's points."""
        engine = self._engine()
        if engine is None:
            return None
        return await load_today(self._hub, engine, symbol, self._executor)

    async def load_past_days(self, symbol: str, before_ms: int) -> np.ndarray:
        engine = self._engine()
        if engine is None:
            return np.zeros((0, 6))
        return await load_past_days(engine, symbol, before_ms, self._executor)

    async def stored_symbols(self) -> dict[str, SymbolInfo]:
        return await stored_symbols(self._engine(), self._executor)

    async def day_holes(self, symbol: str, first_ts: int | None) -> list[Hole]:
        """Where the chart's day of ``symbol`` (first point at ``first_ts``) may be missing trades."""
        unfilled: list[Gap] = []
        if first_ts is not None:
            opened = open_of(first_ts)
            found = await self.read(gaps_between, symbol, opened - OPEN_SLACK_MS, opened + DAY * 1000)
            unfilled = [g for g in found or () if not g.filled_at]
        return day_holes(first_ts, self._day_fill(symbol), unfilled)

    async def read(self, query: Callable[..., T], *args) -> T | None:
        """``query(engine, *args)`` on the history worker thread; None without a database."""
        engine = self._engine()
        if engine is None:
            return None
        return await asyncio.get_running_loop().run_in_executor(self._executor, query, engine, *args)
