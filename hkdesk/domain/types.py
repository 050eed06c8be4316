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

from datetime import date
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Annotated

import msgspec
from msgspec import Meta, field

#: Largest price or level volume we accept; anything above is a corrupt frame.
MAX_PRICE = Decimal(10_000_000)
MAX_VOLUME = Decimal(10**13)
MAX_TURNOVER = MAX_PRICE * MAX_VOLUME
_ZERO = Decimal(0)
#: Below this a ``tick_time`` is taken as seconds rather than milliseconds.
SECONDS_THRESHOLD = 100_000_000_000


class Direction(IntEnum):
    NEUTRAL = 0
    BUY = 1
    SELL = 2


Code = Annotated[str, Meta(min_length=1, max_length=32)]
#: Bounds that keep every stored integer inside a signed 64-bit column.
MAX_SEQ = 2**63 - 1
MAX_TS_MS = 4_102_444_800_000  # 2100-01-01T00:00:00Z
Seq = Annotated[int, Meta(ge=0, le=MAX_SEQ)]
Timestamp = Annotated[int, Meta(gt=0, le=MAX_TS_MS)]
TradeDirection = Annotated[int, Meta(ge=0, le=2)]


def _in_range(value: Decimal, low: Decimal, high: Decimal, *, strict_low: bool) -> bool:
    """Range check that also refuses NaN (its comparisons raise) and infinities."""
    try:
        return (low < value if strict_low else low <= value) and value <= high
    except InvalidOperation:
        return False


class Tick(msgspec.Struct, gc=False):
    """One trade."""

    symbol: Code = field(name="code")
    seq: Seq
    ts: Timestamp = field(name="tick_time")
    price: Decimal
    volume: Decimal
    turnover: Decimal | None = None
    direction: TradeDirection = field(default=0, name="trade_direction")
    received_at: float = 0.0

    def __post_init__(self) -> None:
        # The hottest function of the receive path: integer and string checks run in msgspec's
        # C code (the annotated types above); only the Decimal ranges are checked here.
        if self.ts < SECONDS_THRESHOLD:
            self.ts *= 1000
        try:
            ok = _ZERO < self.price <= MAX_PRICE and _ZERO <= self.volume <= MAX_VOLUME
            if ok and self.turnover is None:
                # Only in-range values are multiplied: a huge exponent would raise decimal.Overflow.
                self.turnover = self.price * self.volume
            elif ok and not _ZERO <= self.turnover <= MAX_TURNOVER:
                ok = False
        except InvalidOperation:  # comparing NaN
            ok = False
        if not ok:
            raise ValueError(
                f"price, volume or turnover out of range: {self.price}, {self.volume}, {self.turnover}"
            )


class Level(msgspec.Struct, gc=False, array_like=False):
    """One price level of an order book."""

    price: Decimal
    volume: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if not (
            _in_range(self.price, _ZERO, MAX_PRICE, strict_low=True)
            and _in_range(self.volume, _ZERO, MAX_VOLUME, strict_low=False)
        ):
            raise ValueError(f"book level out of range: {self.price} x {self.volume}")


class Book(msgspec.Struct, gc=False):
    """A full order-book snapshot, best level first on each side."""

    symbol: Code = field(name="code")
    seq: Seq
    ts: Timestamp = field(name="tick_time")
    bids: list[Level] = field(default_factory=list)
    asks: list[Level] = field(default_factory=list)
    received_at: float = 0.0

    def __post_init__(self) -> None:
        if self.ts < SECONDS_THRESHOLD:
            self.ts *= 1000
        if len(self.bids) > 50 or len(self.asks) > 50:
            raise ValueError("too many book levels")


class Bar(msgspec.Struct, gc=False):
    """OHLCV over ``[start, start + interval)``; ``start`` in epoch ms (exchange time).

    ``provided``: the bar came whole from the provider's K-lines (a minute we hold no trades of,
    or too few), not from our own trades; ``trades`` is then 0 (K-lines do not count trades).
    """

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
    provided: bool = False


class Gap(msgspec.Struct, frozen=True, gc=False):
    """A span of exchange time (epoch ms) for which ``symbol`` may be missing trades.

    The feed reports one after a reconnect (``start_ts``/``end_ts``: the last trade before the
    drop and the first after it, ``start_seq``/``end_seq`` their sequence numbers, ``down_at``/
    ``up_at`` our wall clock when the socket dropped and when it was subscribed again); the store
    keeps it so a chart can mark the hole and a backfill knows what to fetch. ``recorded_at`` is
    our wall clock (epoch seconds) when it was stored, ``filled_at`` when the provider's bars of
    the minutes inside it were stored (0: not filled).
    """

    symbol: str
    start_ts: int
    end_ts: int
    reason: str = ""
    recorded_at: float = 0.0
    start_seq: int = 0
    end_seq: int = 0
    down_at: float = 0.0
    up_at: float = 0.0
    filled_at: float = 0.0


class SessionSoFar(msgspec.Struct, frozen=True, gc=False, omit_defaults=True):
    """What a shared desk knows of a symbol's session (Hong Kong date ``day``): its previous
    close and, once known, the session's trades before exchange time ``counted_from`` (epoch ms)
    as one bar (``bar``); the desk's stream holds every trade of the session from then on. As a
    desk writes it: ``{"symbol", "day": "YYYY-MM-DD", "close", "bar", "counted_from",
    "from_open", "latest"}``, the last four left out when empty. ``latest``: the provider's
    latest trade (its ``received_at`` when it was fetched), given while the desk had streamed
    none of the symbol, so a desktop shows a quiet symbol's last price as a direct connection
    does."""

    symbol: str
    day: date
    previous_close: Decimal = field(name="close")
    bar: Bar | None = None
    counted_from: int = 0
    #: The session had no trade when the desk's stream of it began: the stream holds it all.
    from_open: bool = False
    latest: Tick | None = None
