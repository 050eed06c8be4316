"""Payloads on the desk's subjects: exactly the feed's Tick and Book, as JSON.

The records keep their AllTick wire names (``code``, ``tick_time``, ``trade_direction``) and
their desk receipt time (``received_at``, epoch seconds), and decimals travel as strings, so a
decoded record equals the one the desk received, digit for digit. Decoding runs the records'
own validation: a malformed payload raises :class:`msgspec.ValidationError` or
:class:`msgspec.DecodeError`, never yields a bad record.

A live message (:mod:`hkdesk.desk.chain`) is ``{"e": epoch, "c": count, "s": stream sequence,
"k": count stored, "runs": [[token, first, [trades], last]], "o": [[token, number]]}``; a desktop
reads its envelope first and decodes only the trades of runs it can take.

A message id names a record (kind, symbol, exchange time, sequence): JetStream drops a second
publish with the same id inside the stream's duplicate window, so a re-publish after a lost
acknowledgement or a leader change is a no-op.
"""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

from hkdesk.domain.types import Book, Gap, SessionSoFar, Tick

_encoder = msgspec.json.Encoder()
_tick_decoder = msgspec.json.Decoder(Tick)
_book_decoder = msgspec.json.Decoder(Book)


class Latest(msgspec.Struct, omit_defaults=True):
    """One symbol's value in the latest-quote bucket: its newest trade and newest book."""

    trade: Tick | None = None
    book: Book | None = None


_Trades = TypeVar("_Trades")
_Run = TypeVar("_Run")


class LiveRun(msgspec.Struct, Generic[_Trades], array_like=True):
    """Consecutive trades of one symbol (its subject token): ``first`` is the chain number of
    ``trades[0]``, ``last`` that of the last one. The desk sends ``list[Tick]``; a desktop first
    reads them as ``msgspec.Raw``, decoded only for a run it takes."""

    token: str
    first: int
    trades: _Trades
    last: int = 0


class LiveBatch(msgspec.Struct, Generic[_Run], omit_defaults=True):
    """One live message of the publisher's term ``e`` (its epoch): the ``c``-th of the term (a
    heartbeat repeats the count of the last one), sent when every record at or below stream
    sequence ``s`` was stored, and every batch up to count ``k``; ``runs`` of trades, and ``o``:
    per symbol token, the highest chain number of this batch that goes by the stream only."""

    e: str
    runs: list[_Run] = msgspec.field(default_factory=list)
    c: int = 0
    s: int = 0
    o: list[tuple[str, int]] = msgspec.field(default_factory=list)
    k: int = 0


TradeRun = LiveRun[list[Tick]]
UnreadBatch = LiveBatch[LiveRun[msgspec.Raw]]


_latest_decoder = msgspec.json.Decoder(Latest)
_live_decoder = msgspec.json.Decoder(UnreadBatch)
_ticks_decoder = msgspec.json.Decoder(list[Tick])
_session_decoder = msgspec.json.Decoder(SessionSoFar)
_gap_decoder = msgspec.json.Decoder(Gap)

encode = _encoder.encode
"""Encode a Tick, a Book, a Gap, a Latest, a SessionSoFar or a LiveBatch to JSON bytes."""


def decode_tick(payload: bytes) -> Tick:
    return _tick_decoder.decode(payload)


def decode_book(payload: bytes) -> Book:
    return _book_decoder.decode(payload)


def decode_latest(payload: bytes) -> Latest:
    return _latest_decoder.decode(payload)


def decode_gap(payload: bytes) -> Gap:
    return _gap_decoder.decode(payload)


def decode_live(payload: bytes) -> UnreadBatch:
    """A live message's envelope; :func:`decode_ticks` reads a run's trades."""
    return _live_decoder.decode(payload)


def decode_ticks(payload: bytes | msgspec.Raw) -> list[Tick]:
    return _ticks_decoder.decode(payload)


def decode_close(payload: bytes) -> SessionSoFar:
    """A session record of the desk's latest-quote bucket (``<symbol>.close``)."""
    return _session_decoder.decode(payload)


def tick_id(tick: Tick) -> str:
    """The message id of a trade: the same trade always gets the same id."""
    return f"t:{tick.symbol}:{tick.ts}:{tick.seq}"


def gap_id(gap: Gap) -> str:
    return f"g:{gap.symbol}:{gap.start_ts}:{gap.end_ts}"


def book_id(book: Book) -> str:
    """The message id of a book snapshot."""
    return f"b:{book.symbol}:{book.ts}:{book.seq}"


def stored_seq(ack: bytes) -> int:
    """The stream sequence in JetStream's acknowledgement of a publish (0 if it has none)."""
    at = ack.find(b'"seq":')
    if at < 0:
        return 0
    digits = ack[at + 6 :].partition(b",")[0].partition(b"}")[0]
    return int(digits) if digits.strip().isdigit() else 0
