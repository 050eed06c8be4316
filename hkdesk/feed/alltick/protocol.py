"""AllTick stock WebSocket protocol, Sans-I/O: bytes in, events out; requests out as bytes.

Requests: ``{"cmd_id", "seq_id", "trace", "data"}``. Replies add ``ret`` (200 ok) and ``msg``.
Pushes carry only ``cmd_id`` and ``data``: 22998 trade, 22999 order book.

Decoding uses one msgspec tagged-union decoder in lax mode, so ``seq`` and ``tick_time``
may arrive as strings or integers and numbers as strings or JSON numbers. A frame that is
not valid protocol raises :class:`FrameError`; the caller counts it and moves on.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Any
from urllib.parse import quote

import msgspec

from hkdesk.domain.types import Book, Tick


class Cmd(IntEnum):
    HEARTBEAT = 22000
    HEARTBEAT_REPLY = 22001
    SUB_DEPTH = 22002
    SUB_DEPTH_REPLY = 22003
    SUB_TRADES = 22004
    SUB_TRADES_REPLY = 22005
    CANCEL = 22006
    CANCEL_REPLY = 22007
    PUSH_TRADE = 22998
    PUSH_BOOK = 22999


class Ret(IntEnum):
    OK = 200
    HEADER_INVALID_ALT = 201
    BAD_REQUEST = 400
    TOKEN_INVALID = 401
    QUERY_INVALID = 402
    RATE_LIMIT = 429
    CODE_INVALID = 600
    BODY_EMPTY = 601
    PLAN_LEVEL = 603
    CODE_UNAUTHORIZED = 604
    TOO_MANY_REQUESTS = 605
    TOO_MANY_REQUESTS_CLOSE = 606


class CancelType(IntEnum):
    ALL = 0
    DEPTH = 1
    TRADES = 2


MAX_DEPTH_LEVEL = 10


# ---------------------------------------------------------------- inbound frames


class TradePush(msgspec.Struct, tag=int(Cmd.PUSH_TRADE), tag_field="cmd_id", gc=False):
    data: Tick


class BookPush(msgspec.Struct, tag=int(Cmd.PUSH_BOOK), tag_field="cmd_id", gc=False):
    data: Book


class _ReplyBase(msgspec.Struct, tag_field="cmd_id", gc=False):
    ret: int = 200
    msg: str = ""
    seq_id: int = 0
    trace: str = ""
    data: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.ret == Ret.OK


class HeartbeatReply(_ReplyBase, tag=int(Cmd.HEARTBEAT_REPLY)):
    pass


class DepthReply(_ReplyBase, tag=int(Cmd.SUB_DEPTH_REPLY)):
    pass


class TradesReply(_ReplyBase, tag=int(Cmd.SUB_TRADES_REPLY)):
    pass


class CancelReply(_ReplyBase, tag=int(Cmd.CANCEL_REPLY)):
    pass


class ErrorReply(_ReplyBase, tag=0):
    """The server could not tell which request it was (``cmd_id`` 0), e.g. malformed JSON."""


Reply = HeartbeatReply | DepthReply | TradesReply | CancelReply | ErrorReply
Frame = TradePush | BookPush | HeartbeatReply | DepthReply | TradesReply | CancelReply | ErrorReply

REPLY_FOR: dict[int, int] = {
    Cmd.HEARTBEAT: Cmd.HEARTBEAT_REPLY,
    Cmd.SUB_DEPTH: Cmd.SUB_DEPTH_REPLY,
    Cmd.SUB_TRADES: Cmd.SUB_TRADES_REPLY,
    Cmd.CANCEL: Cmd.CANCEL_REPLY,
}


class FrameError(ValueError):
    """A frame that is not valid protocol; ``kind`` says why, for counting."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


class _Envelope(msgspec.Struct):
    cmd_id: Any = None


_frame_decoder = msgspec.json.Decoder(Frame, strict=False)
_envelope_decoder = msgspec.json.Decoder(_Envelope)

#: Frames larger than this are refused before parsing (a full 10-level book is ~1 KB).
MAX_FRAME_BYTES = 256 * 1024


def decode(frame: bytes | str) -> Frame:
    """Decode one WebSocket frame. Raises :class:`FrameError` for anything invalid."""
    if isinstance(frame, str):
        frame = frame.encode("utf-8", "surrogatepass")
    if len(frame) > MAX_FRAME_BYTES:
        raise FrameError("oversized", f"{len(frame)} bytes")
    try:
        return _frame_decoder.decode(frame)
    except msgspec.ValidationError as exc:
        raise FrameError(_classify(frame), str(exc)) from None
    except msgspec.DecodeError as exc:
        raise FrameError("malformed", str(exc)) from None


def decode_batch(frames: list[bytes]) -> list[Frame | FrameError]:
    """Decode one socket read's frames, in order; an invalid frame becomes its FrameError.

    Calling the decoder once per frame was a fifth of a frame's decoding cost, so the frames
    are decoded in one call as a newline-separated stream of JSON values. That stream must not
    let a value span two frames, or frames invalid alone could be accepted together: every
    frame must start with ``{`` and end with ``}``. A raw newline cannot sit inside a JSON
    string, so each ``}`` newline ``{`` joint is between two top-level values, every frame holds
    at least one, and exactly ``len(frames)`` values means exactly one per frame. Anything else
    (and any error) decodes the frames one by one, which also tells the bad from the good.
    """
    for frame in frames:
        if frame[:1] != b"{" or frame[-1:] != b"}" or len(frame) > MAX_FRAME_BYTES:
            break
    else:
        try:
            decoded: list[Frame | FrameError] = _frame_decoder.decode_lines(b"\n".join(frames))
        except msgspec.MsgspecError:
            pass
        else:
            if len(decoded) == len(frames):
                return decoded
    out: list[Frame | FrameError] = []
    for frame in frames:
        try:
            out.append(decode(frame))
        except FrameError as exc:
            out.append(exc)
    return out


def _classify(frame: bytes) -> str:
    """Tell an unknown command from an invalid payload of a known one (for the counters)."""
    try:
        cmd = _envelope_decoder.decode(frame).cmd_id
    except msgspec.DecodeError:
        return "invalid"
    if isinstance(cmd, int) and not isinstance(cmd, bool) and cmd not in _KNOWN_INBOUND:
        return "unknown_cmd"
    return "invalid"


_KNOWN_INBOUND = {
    int(c)
    for c in (
        Cmd.PUSH_TRADE,
        Cmd.PUSH_BOOK,
        Cmd.HEARTBEAT_REPLY,
        Cmd.SUB_DEPTH_REPLY,
        Cmd.SUB_TRADES_REPLY,
        Cmd.CANCEL_REPLY,
    )
} | {0}


# ---------------------------------------------------------------- outbound requests

_encoder = msgspec.json.Encoder()


class RequestIds:
    """Issues ``seq_id`` and a unique ``trace`` per request on one connection."""

    def __init__(self, prefix: str = "hkdesk") -> None:
        self._prefix = prefix
        self._counter = itertools.count(1)

    def next(self) -> tuple[int, str]:
        n = next(self._counter)
        return n, f"{self._prefix}-{n}"


def encode_request(cmd: int, data: dict[str, Any], seq_id: int, trace: str) -> bytes:
    return _encoder.encode({"cmd_id": int(cmd), "seq_id": seq_id, "trace": trace, "data": data})


def heartbeat(seq_id: int, trace: str) -> bytes:
    return encode_request(Cmd.HEARTBEAT, {}, seq_id, trace)


def subscribe_trades(codes: Iterable[str], seq_id: int, trace: str) -> bytes:
    """22004: replaces this connection's whole trade list with ``codes``."""
    return encode_request(Cmd.SUB_TRADES, {"symbol_list": [{"code": c} for c in codes]}, seq_id, trace)


def subscribe_depth(codes: Iterable[str], depth_level: int | Sequence[int], seq_id: int, trace: str) -> bytes:
    """22002: replaces this connection's whole depth list with ``codes``, each at its own level
    (``depth_level``: one level for all, or one per code: level 1 for a row, 10 for a ladder)."""
    codes = list(codes)
    levels = [depth_level] * len(codes) if isinstance(depth_level, int) else list(depth_level)
    if len(levels) != len(codes):
        raise ValueError("one depth level per code")
    for level in levels:
        if not 1 <= level <= MAX_DEPTH_LEVEL:
            raise ValueError(f"depth_level must be 1..{MAX_DEPTH_LEVEL}, not {level}")
    items = [{"code": c, "depth_level": level} for c, level in zip(codes, levels, strict=True)]
    return encode_request(Cmd.SUB_DEPTH, {"symbol_list": items}, seq_id, trace)


def cancel(cancel_type: CancelType, seq_id: int, trace: str) -> bytes:
    return encode_request(Cmd.CANCEL, {"cancel_type": int(cancel_type)}, seq_id, trace)


# ---------------------------------------------------------------- URLs


DEFAULT_WS_URL = "wss://quote.alltick.co/quote-stock-b-ws-api"
BACKUP_WS_URL = "wss://quote.alltick.io/quote-stock-b-ws-api"
WS_PATH = "/quote-stock-b-ws-api"
HTTP_PATH = "/quote-stock-b-api"


def with_token(url: str, token: str) -> str:
    """Append the token as a query parameter, percent-encoded so it cannot break the URL."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}token={quote(token, safe='')}"


def redact(text: str) -> str:
    """Hide any ``token=…`` value in a URL or message, for logs and the UI."""
    return _TOKEN_RE.sub(r"\1***", text)


_TOKEN_RE = re.compile(r"(token=)[^&\s'\"]+")
