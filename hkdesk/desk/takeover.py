"""The gap a take-over leaves, per symbol, in exchange time.

When a server takes over from a leader that vanished, it reads the last trade the stream holds
for each symbol it will stream (one direct get per symbol, concurrently, before its upstream
opens). The first trade the new upstream delivers for a symbol closes that symbol's gap:
trades between the two may be missing, and the gap says so with both exchange times, as the
feed client does after a reconnect. A first trade equal to the last one stored (the provider
re-sending its latest trade) does not close it.
"""

from __future__ import annotations

import asyncio
import contextlib

from nats.aio.client import Client

from hkdesk.desk.codec import decode_tick
from hkdesk.desk.subjects import DeskNames
from hkdesk.domain.types import Gap, Tick

FAILOVER_REASON = "desk failover"


class TakeoverGaps:
    def __init__(self) -> None:
        self.open: dict[str, Tick] = {}

    async def load(
        self, nc: Client, names: DeskNames, symbols: tuple[str, ...], timeout: float = 2.0
    ) -> None:
        """Remember the stream's last trade of each of ``symbols`` (symbols with none have no gap)."""

        async def last(symbol: str) -> Tick | None:
            subject = f"$JS.API.DIRECT.GET.{names.stream}.{names.trade_subject(symbol)}"
            with contextlib.suppress(Exception):
                reply = await nc.request(subject, b"", timeout=timeout)
                if reply.data:
                    return decode_tick(reply.data)
            return None

        found = await asyncio.gather(*(last(s) for s in symbols))
        self.open = {tick.symbol: tick for tick in found if tick is not None}

    def close(self, ticks: list[Tick]) -> list[Gap]:
        """The gaps the first new trades of their symbols close (call only while some are open)."""
        gaps: list[Gap] = []
        open_ = self.open
        for tick in ticks:
            before = open_.get(tick.symbol)
            if before is None or (tick.ts, tick.seq) <= (before.ts, before.seq):
                continue
            del open_[tick.symbol]
            gaps.append(Gap(tick.symbol, before.ts, tick.ts, FAILOVER_REASON))
        return gaps
