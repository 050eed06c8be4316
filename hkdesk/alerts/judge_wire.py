"""What the app and its alert judge process say to each other over a pipe, one frame at a time.

A frame is a 4-byte little-endian length and a MessagePack body: one message, tagged with its
kind. Trades read from an AllTick-protocol socket go over as the frames they came in (the app
only forwards bytes it already holds). Other trades (a desk's) go over as bare arrays of the
five fields judging reads (symbol, seq, exchange time, price, volume), the cheapest form to build
on the app's side, and are decoded in the judge into :class:`Trade`, which reads like a
:class:`~hkdesk.domain.types.Tick` to the evaluator. Prices and volumes travel as decimal text,
so judging stays exact.
"""

from __future__ import annotations

import struct
from decimal import Decimal
from typing import BinaryIO, Protocol

import msgspec

from hkdesk.alerts.model import Alert
from hkdesk.alerts.rule import AlertEvent
from hkdesk.domain.types import Bar

HEADER = struct.Struct("<I")
#: Larger frames are refused as corrupt (a batch of 100,000 trades is some 6 MB).
MAX_FRAME = 256 * 1024 * 1024


class Trade(msgspec.Struct, array_like=True, gc=False, frozen=True):
    """One trade as the evaluator reads it."""

    symbol: str
    seq: int
    ts: int
    price: Decimal
    volume: Decimal


# ------------------------------------------------------------ app → judge
class Trades(msgspec.Struct, tag=0, array_like=True):
    trades: list[Trade]


class SetAlerts(msgspec.Struct, tag=1, array_like=True):
    alerts: list[Alert]


class SetClose(msgspec.Struct, tag=2, array_like=True):
    symbol: str
    price: Decimal


class Seed(msgspec.Struct, tag=3, array_like=True):
    symbol: str
    bars: list[Bar]


class Restart(msgspec.Struct, tag=4, array_like=True):
    """Judge the next trades afresh (another quote source); each alert keeps its firing state."""


class Flush(msgspec.Struct, tag=5, array_like=True):
    token: int


class Frames(msgspec.Struct, tag=6, array_like=True):
    """One socket read's frames as received from an AllTick-protocol feed (trades and anything
    else): the judge decodes them with the feed's own decoder and judges the trades."""

    frames: list[bytes]


ToJudge = Trades | Frames | SetAlerts | SetClose | Seed | Restart | Flush
#: What changes the judging (everything but trades and flushes).
Command = SetAlerts | SetClose | Seed | Restart


class Judging(Protocol):
    """What a command is applied to: the evaluator (in the judge), the in-app pump (the fallback)."""

    def set_alerts(self, alerts: list[Alert]) -> None: ...
    def set_previous_close(self, symbol: str, price: Decimal) -> None: ...
    def seed_minute_bars(self, symbol: str, bars: list[Bar]) -> None: ...
    def restart(self) -> None: ...


def apply(command: Command, judging: Judging) -> None:
    if isinstance(command, SetAlerts):
        judging.set_alerts(command.alerts)
    elif isinstance(command, SetClose):
        judging.set_previous_close(command.symbol, command.price)
    elif isinstance(command, Seed):
        judging.seed_minute_bars(command.symbol, command.bars)
    else:
        judging.restart()


# ------------------------------------------------------------ judge → app
class Judged(msgspec.Struct, tag=10, array_like=True):
    """One ``Trades`` message judged: how many trades, and what fired on them, in trade order."""

    count: int
    events: list[AlertEvent]


class Flushed(msgspec.Struct, tag=11, array_like=True):
    """Everything before ``Flush(token)`` is judged; the judge's CPU time so far, in seconds."""

    token: int
    cpu_s: float


class Problem(msgspec.Struct, tag=12, array_like=True):
    """Something the judge could not do (a batch that failed, a bad message), for the app's log."""

    text: str


FromJudge = Judged | Flushed | Problem


class FrameError(ValueError):
    """A frame that cannot be read: the other side is not speaking this protocol."""


def frame(body: bytes) -> bytes:
    return HEADER.pack(len(body)) + body


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame's body, or None at a clean end of the stream."""
    head = _read_exactly(stream, HEADER.size)
    if head is None:
        return None
    (size,) = HEADER.unpack(head)
    if size > MAX_FRAME:
        raise FrameError(f"a frame of {size} bytes is beyond the limit")
    body = _read_exactly(stream, size)
    if body is None:
        raise FrameError("the stream ended inside a frame")
    return body


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = stream.read(size)
    if not data:
        return None if size else b""
    while len(data) < size:
        more = stream.read(size - len(data))
        if not more:
            raise FrameError("the stream ended inside a frame")
        data += more
    return data
