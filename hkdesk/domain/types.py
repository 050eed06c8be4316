"""Market data records shared by the feed, the store, the simulator and the UI.

Prices, volumes and turnovers are ``Decimal``: the wire sends them as strings and we keep
them exact end to end (no binary floats in storage). ``ts`` is exchange time in epoch
milliseconds (UTC); ``received_at`` is our wall clock in epoch seconds.

The structs carry the AllTick field names as their wire names (``code``, ``tick_time``,
``trade_direction``) so the protocol decoder builds them directly from a frame, with no
intermediate object on the hot receive path. ``__post_init__`` makes every record valid by
construction: a frame that would produce a bad record fails to decode instead.
"""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum

import msgspec
from msgspec import field

#: Largest price or level volume we accept; anything above is a corrupt frame.
MAX_PRICE = Decimal(10_000_000)
MAX_VOLUME = Decimal(10**13)
#: Below this a ``tick_time`` is taken as seconds rather than milliseconds.
SECONDS_THRESHOLD = 100_000_000_000


class Direction(IntEnum):
    NEUTRAL = 0
    BUY = 1
    SELL = 2


def _check_price(value: Decimal) -> None:
    if not value.is_finite() or value <= 0 or value > MAX_PRICE:
        raise ValueError(f"price out of range: {value}")


def _check_volume(value: Decimal) -> None:
    if not value.is_finite() or value < 0 or value > MAX_VOLUME:
        raise ValueError(f"volume out of range: {value}")


def _normalise_ts(ts: int) -> int:
    if ts <= 0:
        raise ValueError(f"bad timestamp: {ts}")
    return ts * 1000 if ts < SECONDS_THRESHOLD else ts


class Tick(msgspec.Struct, gc=False):
    """One trade."""

    symbol: str = field(name="code")
    seq: int
    ts: int = field(name="tick_time")
    price: Decimal
    volume: Decimal
    turnover: Decimal | None = None
    direction: int = field(default=0, name="trade_direction")
    received_at: float = 0.0

    def __post_init__(self) -> None:
        if not self.symbol or self.seq < 0:
            raise ValueError("missing code or negative seq")
        self.ts = _normalise_ts(self.ts)
        _check_price(self.price)
        _check_volume(self.volume)
        if self.direction not in (0, 1, 2):
            raise ValueError(f"bad trade_direction: {self.direction}")
        if self.turnover is None:
            self.turnover = self.price * self.volume
        elif not self.turnover.is_finite() or self.turnover < 0:
            raise ValueError(f"bad turnover: {self.turnover}")


class Level(msgspec.Struct, gc=False, array_like=False):
    """One price level of an order book."""

    price: Decimal
    volume: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        _check_price(self.price)
        _check_volume(self.volume)


class Book(msgspec.Struct, gc=False):
    """A full order-book snapshot, best level first on each side."""

    symbol: str = field(name="code")
    seq: int
    ts: int = field(name="tick_time")
    bids: list[Level] = field(default_factory=list)
    asks: list[Level] = field(default_factory=list)
    received_at: float = 0.0

    def __post_init__(self) -> None:
        if not self.symbol or self.seq < 0:
            raise ValueError("missing code or negative seq")
        self.ts = _normalise_ts(self.ts)
        if len(self.bids) > 50 or len(self.asks) > 50:
            raise ValueError("too many book levels")


class Bar(msgspec.Struct, gc=False):
    """OHLCV over ``[start, start + interval)``; ``start`` in epoch ms (exchange time)."""

    symbol: str
    start: int
    interval_s: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    turnover: Decimal
    trades: int = 0
