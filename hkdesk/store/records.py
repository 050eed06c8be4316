"""Records that only the store deals in."""

from __future__ import annotations

import msgspec


class Gap(msgspec.Struct, frozen=True, gc=False):
    """A span of exchange time (epoch ms) for which ``symbol`` may be missing trades.

    Recorded by the feed after a reconnect, so a chart can mark the hole and a backfill knows
    what to fetch. ``recorded_at`` is our wall clock in epoch seconds.
    """

    symbol: str
    start_ts: int
    end_ts: int
    reason: str = ""
    recorded_at: float = 0.0
