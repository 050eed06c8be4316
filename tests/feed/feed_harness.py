"""Client-side helpers for the feed tests: fast timings and a recorder of every callback."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field

from support.fake_alltick import TOKEN
from support.timings import FEED, FEED_PLAN

from hkdesk.domain.types import Book, Gap, Tick
from hkdesk.feed.client import FeedClient
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedStatus, FeedTimings


@dataclass
class Recorder:
    ticks: list[Tick] = field(default_factory=list)
    batches: int = 0
    books: list[Book] = field(default_factory=list)
    statuses: list[FeedStatus] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    symbol_errors: list[tuple[str, int, str]] = field(default_factory=list)

    def on_ticks(self, ticks: list[Tick]) -> None:
        self.batches += 1
        self.ticks.extend(ticks)

    def seqs(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for t in self.ticks:
            out[t.symbol].append(t.seq)
        return out

    def client(self, url: str, *, plan: Plan = FEED_PLAN, timings: FeedTimings = FEED, **kw) -> FeedClient:
        return FeedClient(
            url,
            kw.pop("token", TOKEN),
            plan=plan,
            on_ticks=self.on_ticks,
            on_books=self.books.extend,
            on_status=self.statuses.append,
            on_gap=self.gaps.append,
            on_symbol_error=lambda s, r, m: self.symbol_errors.append((s, r, m)),
            timings=timings,
            **kw,
        )


class Running:
    """``async with Running(client):`` runs the client in a task and closes it afterwards."""

    def __init__(self, client: FeedClient) -> None:
        self.client = client
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> FeedClient:
        self.task = asyncio.get_running_loop().create_task(self.client.run())
        return self.client

    async def __aexit__(self, *exc: object) -> None:
        await self.client.close()
        assert self.task is not None
        await asyncio.wait_for(self.task, 3)
