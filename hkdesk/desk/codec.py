"""Payloads on the desk's subjects: exactly the feed's Tick and Book, as JSON.

The records keep their AllTick wire names (``code``, ``tick_time``, ``trade_direction``) and
their desk receipt time (``received_at``, epoch seconds), and decimals travel as strings, so a
decoded record equals the one the desk received, digit for digit. Decoding runs the records'
own validation: a malformed payload raises :class:`msgspec.ValidationError` or
:class:`msgspec.DecodeError`, never yields a bad record.

A message id names a record (kind, symbol, exchange time, sequence): JetStream drops a second
publish with the same id inside the stream's duplicate window, so a re-publish after a lost
acknowledgement or a leader change is a no-op.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from hkdesk.domain.types import Bar, Book, Gap, SessionSoFar, Tick

_encoder = msgspec.json.Encoder()
_tick_decoder = msgspec.json.Decoder(Tick)
_book_decoder = msgspec.json.Decoder(Book)


class Latest(msgspec.Struct, omit_defaults=True):
    """One symbol's value in the latest-quote bucket: its newest trade and newest book."""

    trade: Tick | None = None
    book: Book | None = None


class DeskClose(msgspec.Struct, omit_defaults=True):
    """A symbol's previous close for the session of Hong Kong date ``day`` (``YYYY-MM-DD``), and
    once known the session's trades before exchange time ``counted_from`` as one bar (see
    :class:`~hkdesk.domain.types.SessionSoFar`); a record without a bar is a close alone."""

    symbol: str
    day: str
    close: Decimal
    bar: Bar | None = None
    counted_from: int = 0
    #: The session had no trade when the desk asked: its stream holds the whole day.
    from_open: bool = False


_latest_decoder = msgspec.json.Decoder(Latest)
_close_decoder = msgspec.json.Decoder(DeskClose)
_gap_decoder = msgspec.json.Decoder(Gap)

encode = _encoder.encode
"""Encode a Tick, a Book, a Gap or a Latest to JSON bytes."""


def decode_tick(payload: bytes) -> Tick:
    return _tick_decoder.decode(payload)


def decode_book(payload: bytes) -> Book:
    return _book_decoder.decode(payload)


def decode_latest(payload: bytes) -> Latest:
    return _latest_decoder.decode(payload)


def decode_gap(payload: bytes) -> Gap:
    return _gap_decoder.decode(payload)


def decode_close(payload: bytes) -> DeskClose:
    return _close_decoder.decode(payload)


def tick_id(tick: Tick) -> str:
    """The message id of a trade: the same trade always gets the same id."""
    return f"t:{tick.symbol}:{tick.ts}:{tick.seq}"


def gap_id(gap: Gap) -> str:
    return f"g:{gap.symbol}:{gap.start_ts}:{gap.end_ts}"


def book_id(book: Book) -> str:
    """The message id of a book snapshot."""
    return f"b:{book.symbol}:{book.ts}:{book.seq}"


def decode_session(payload: bytes) -> SessionSoFar:
    """A :class:`DeskClose` as the desktop takes it (a malformed date raises ``ValueError``)."""
    r = _close_decoder.decode(payload)
    return SessionSoFar(r.symbol, date.fromisoformat(r.day), r.close, r.bar, r.counted_from, r.from_open)
