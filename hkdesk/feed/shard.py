"""One socket's state inside the feed client, and the gaps a drop may leave in its symbols' ticks.

After a reconnect the server may re-send the last trade it pushed before the drop, and any
trade in between may be lost. Per symbol the shard keeps the last tick seen before the drop
(``gap_from``); the first different tick afterwards closes the gap. Gap work runs only while
a shard has open gaps, so the receive path pays nothing for it in steady state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from hkdesk.domain.types import Gap, Tick
from hkdesk.feed.backoff import Backoff
from hkdesk.feed.session import Session
from hkdesk.feed.status import FeedState, FeedStats
from hkdesk.feed.subscriptions import ListTracker


@dataclass
class Shard:
    index: int
    backoff: Backoff
    trades: ListTracker
    depth: ListTracker
    state: FeedState = FeedState.IDLE
    reason: str = ""
    retry_at: float | None = None
    session: Session | None = None
    reconnects: int = 0
    connected_once: bool = False
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    sent_trades: tuple[str, ...] | None = None
    #: The depth list as last sent: its codes and each code's level.
    sent_depth: tuple[tuple[str, ...], tuple[int, ...]] | None = None
    gap_from: dict[str, Tick] = field(default_factory=dict)
    down_at: float = 0.0
    up_at: float = 0.0
    opened_at: float = float("-inf")

    def note_drop(self, symbols: Iterable[str], last_tick: dict[str, Tick], now: float) -> None:
        """Open a possible gap for every symbol of the shard that had ticks before the drop."""
        self.down_at = now
        gap_from = self.gap_from
        for symbol in symbols:
            last = last_tick.get(symbol)
            if last is not None:
                gap_from.setdefault(symbol, last)

    def close_gaps(
        self,
        ticks: list[Tick],
        stats: FeedStats,
        wall: Callable[[], float],
        report: Callable[[Gap], None] | None,
    ) -> list[Tick]:
        """First tick per symbol after a reconnect: report the gap, drop a re-sent last tick."""
        kept: list[Tick] = []
        gap_from = self.gap_from
        for tick in ticks:
            before = gap_from.get(tick.symbol)
            if before is None:
                kept.append(tick)
                continue
            if tick.seq == before.seq and tick.ts == before.ts:
                stats.duplicates += 1
                continue
            del gap_from[tick.symbol]
            kept.append(tick)
            up_at = self.up_at or wall()
            gap = Gap(
                tick.symbol,
                before.ts,
                tick.ts,
                start_seq=before.seq,
                end_seq=tick.seq,
                down_at=self.down_at,
                up_at=up_at,
            )
            stats.gaps += 1
            if report is not None:
                report(gap)
        return kept
