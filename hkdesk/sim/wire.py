"""The simulator's side of the AllTick wire format: parse requests, encode replies and pushes.

Numbers travel as strings (``price``, ``volume``, ``turnover``), ``seq`` and ``tick_time`` as
integers, as in AllTick's current documentation. Each push frame carries exactly one trade or
one book.
"""

from __future__ import annotations

from typing import Any

import msgspec

from hkdesk.sim.records import SimBook, SimTrade, format_milli

HEARTBEAT, HEARTBEAT_REPLY = 22000, 22001
SUB_DEPTH, SUB_DEPTH_REPLY = 22002, 22003
SUB_TRADES, SUB_TRADES_REPLY = 22004, 22005
CANCEL, CANCEL_REPLY = 22006, 22007
PUSH_TRADE, PUSH_BOOK = 22998, 22999
REPLY_FOR = {
    HEARTBEAT: HEARTBEAT_REPLY,
    SUB_DEPTH: SUB_DEPTH_REPLY,
    SUB_TRADES: SUB_TRADES_REPLY,
    CANCEL: CANCEL_REPLY,
}

OK = (200, "ok")
HEADER_INVALID = (400, "request header param invalid")
DATA_INVALID = (400, "request data param invalid")
TOKEN_INVALID = (401, "token invalid")
QUERY_INVALID = (402, "query invalid")
RATE_LIMIT = (429, "rate limit")
CODE_INVALID = (600, "code invalid")
BODY_EMPTY = (601, "body empty")
TOKEN_LEVEL = (603, "token level not enough")
TOO_MANY = (605, "too many requests")
TOO_MANY_CLOSE = (606, "too many requests and connection will be closed")

MAX_TRACE = 64


class TradeData(msgspec.Struct, gc=False):
    code: str
    seq: int
    tick_time: int
    price: str
    volume: str
    turnover: str
    trade_direction: int


class TradePush(msgspec.Struct, gc=False):
    cmd_id: int
    data: TradeData


class LevelData(msgspec.Struct, gc=False):
    price: str
    volume: str


class BookData(msgspec.Struct, gc=False):
    code: str
    seq: int
    tick_time: int
    bids: list[LevelData]
    asks: list[LevelData]


class BookPush(msgspec.Struct, gc=False):
    cmd_id: int
    data: BookData


class Reply(msgspec.Struct, gc=False):
    ret: int
    msg: str
    cmd_id: int
    seq_id: int
    trace: str
    data: dict[str, Any]


class Request(msgspec.Struct, gc=False):
    """A client request. ``data`` must be an object, except in a heartbeat, which carries none
    (AllTick's own examples send ``[]`` or ``{"symbol_list": null}`` there)."""

    cmd_id: int
    trace: str
    data: dict[str, Any] | list[Any] | None
    seq_id: int = 0


class RequestError(ValueError):
    """A frame that is not a valid request header (answered with 400 and cmd_id 0)."""


_encoder = msgspec.json.Encoder()
_request_decoder = msgspec.json.Decoder(Request)


def trade_data(trade: SimTrade) -> TradeData:
    return TradeData(
        trade.symbol,
        trade.seq,
        trade.ts,
        format_milli(trade.price),
        str(trade.volume),
        format_milli(trade.price * trade.volume),
        trade.direction,
    )


_TRADE_FRAME = (
    '{"cmd_id":%d,"data":{"code":%s,"seq":%d,"tick_time":%d,"price":"%s","volume":"%d",'
    '"turnover":"%s","trade_direction":%d}}'
)
_code_json: dict[str, str] = {}


_milli_texts: dict[int, str] = {}


def _milli_text(milli: int) -> str:
    """``format_milli`` with a cache: a burst repeats the same few prices and turnovers."""
    text = _milli_texts.get(milli)
    if text is None:
        if len(_milli_texts) >= 1 << 16:
            _milli_texts.clear()
        text = _milli_texts[milli] = format_milli(milli)
    return text


def encode_trade(trade: SimTrade) -> bytes:
    """The same bytes as encoding ``TradePush`` with msgspec, by one string format.

    Trade frames are most of what a burst sends; formatting them directly costs about a third
    of building the two structs and encoding them, so the simulator stays ahead of its clients.
    """
    code = _code_json.get(trade.symbol)
    if code is None:
        code = _code_json[trade.symbol] = _encoder.encode(trade.symbol).decode()
    price = trade.price
    return (
        _TRADE_FRAME
        % (
            PUSH_TRADE,
            code,
            trade.seq,
            trade.ts,
            _milli_text(price),
            trade.volume,
            _milli_text(price * trade.volume),
            trade.direction,
        )
    ).encode()


def encode_book(book: SimBook, levels: int = 10) -> bytes:
    bids = [LevelData(format_milli(p), str(v)) for p, v in book.bids[:levels]]
    asks = [LevelData(format_milli(p), str(v)) for p, v in book.asks[:levels]]
    return _encoder.encode(BookPush(PUSH_BOOK, BookData(book.symbol, book.seq, book.ts, bids, asks)))


def encode_reply(
    cmd_id: int,
    seq_id: int = 0,
    trace: str = "",
    status: tuple[int, str] = OK,
    msg: str | None = None,
    data: dict[str, Any] | None = None,
) -> bytes:
    ret, default_msg = status
    return _encoder.encode(Reply(ret, msg or default_msg, cmd_id, seq_id, trace, data or {}))


def encode_json(obj: Any) -> bytes:
    return _encoder.encode(obj)


def parse_request(raw: bytes | str) -> Request:
    """Decode a client request; raise :class:`RequestError` for a bad header."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    try:
        req = _request_decoder.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise RequestError(str(exc)) from None
    if len(req.trace) > MAX_TRACE or req.seq_id < 0:
        raise RequestError("trace too long or negative seq_id")
    if req.cmd_id != HEARTBEAT and not isinstance(req.data, dict):
        raise RequestError("data is not an object")
    return req


def peek_ids(raw: bytes | str) -> tuple[int, int, str]:
    """Best-effort ``(cmd_id, seq_id, trace)`` of a frame, for error replies."""
    try:
        obj = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return 0, 0, ""
    if not isinstance(obj, dict):
        return 0, 0, ""
    cmd, seq_id, trace = obj.get("cmd_id"), obj.get("seq_id"), obj.get("trace")
    return (
        cmd if isinstance(cmd, int) and not isinstance(cmd, bool) else 0,
        seq_id if isinstance(seq_id, int) and not isinstance(seq_id, bool) else 0,
        trace if isinstance(trace, str) else "",
    )
