"""What the simulated market produces: trades and books, prices in milli-dollars."""

from __future__ import annotations

from typing import NamedTuple

#: Trade directions, as AllTick's ``trade_direction``.
BUY, SELL, NEUTRAL = 1, 2, 0


class SimTrade(NamedTuple):
    symbol: str
    seq: int
    ts: int  # epoch milliseconds
    price: int  # milli
    volume: int  # shares (0 for an index)
    direction: int
    bid: int  # best bid the trade met, milli (the index level for an index)
    ask: int


class SimBook(NamedTuple):
    symbol: str
    seq: int
    ts: int
    bids: list[tuple[int, int]]  # (price milli, shares), best first
    asks: list[tuple[int, int]]


def format_milli(milli: int) -> str:
    """``551500`` -> ``"551.500"`` (exact, 3 decimals like HK quote pages)."""
    sign = "-" if milli < 0 else ""
    milli = abs(milli)
    return f"{sign}{milli // 1000}.{milli % 1000:03d}"
