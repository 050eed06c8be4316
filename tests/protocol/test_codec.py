"""The AllTick codec: every message of the protocol, string and integer forms, malformed frames."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hkdesk.feed.alltick import protocol as p


def trade(**over: object) -> bytes:
    data = {
        "code": "700.HK",
        "seq": "1605509068000001",
        "tick_time": "1605509068000",
        "price": "651.12",
        "volume": "300",
        "turnover": "195336.00",
        "trade_direction": 1,
    }
    data.update(over)
    return json.dumps({"cmd_id": 22998, "data": data}).encode()


def test_trade_push_with_string_numbers_is_exact() -> None:
    frame = p.decode(trade())
    assert isinstance(frame, p.TradePush)
    t = frame.data
    assert (t.symbol, t.seq, t.ts, t.direction) == ("700.HK", 1605509068000001, 1605509068000, 1)
    assert t.price == Decimal("651.12") and isinstance(t.price, Decimal)
    assert t.volume == Decimal("300")
    assert t.turnover == Decimal("195336.00")


def test_trade_push_with_integer_seq_and_time() -> None:
    t = p.decode(trade(seq=42, tick_time=1605509068123)).data
    assert (t.seq, t.ts) == (42, 1605509068123)


def test_tick_time_in_seconds_is_converted_to_milliseconds() -> None:
    assert p.decode(trade(tick_time=1605509068)).data.ts == 1605509068000
    assert p.decode(trade(tick_time="1605509068")).data.ts == 1605509068000


def test_missing_turnover_is_price_times_volume_exactly() -> None:
    raw = json.loads(trade())
    del raw["data"]["turnover"]
    t = p.decode(json.dumps(raw).encode()).data
    assert t.turnover == Decimal("651.12") * 300


def test_json_numbers_for_prices_keep_their_decimal_text() -> None:
    t = p.decode(
        b'{"cmd_id":22998,"data":{"code":"5.HK","seq":1,"tick_time":1,"price":0.1,"volume":400}}'
    ).data
    assert t.price == Decimal("0.1")


def test_book_push_keeps_levels_best_first() -> None:
    raw = {
        "cmd_id": 22999,
        "data": {
            "code": "700.HK",
            "seq": 7,
            "tick_time": "1605509068000",
            "bids": [{"price": "651.0", "volume": "1200"}, {"price": "650.5", "volume": "300"}],
            "asks": [{"price": "651.5", "volume": "800"}],
        },
    }
    book = p.decode(json.dumps(raw).encode())
    assert isinstance(book, p.BookPush)
    assert [lv.price for lv in book.data.bids] == [Decimal("651.0"), Decimal("650.5")]
    assert book.data.asks[0].volume == Decimal("800")


@pytest.mark.parametrize(
    ("cmd", "cls"),
    [
        (22001, p.HeartbeatReply),
        (22003, p.DepthReply),
        (22005, p.TradesReply),
        (22007, p.CancelReply),
        (0, p.ErrorReply),
    ],
)
def test_replies_decode_with_ret_and_echoed_ids(cmd: int, cls: type) -> None:
    raw = {"ret": 200, "msg": "ok", "cmd_id": cmd, "seq_id": 9, "trace": "t-9", "data": {}}
    reply = p.decode(json.dumps(raw).encode())
    assert isinstance(reply, cls)
    assert (reply.ret, reply.seq_id, reply.trace, reply.ok) == (200, 9, "t-9", True)


def test_error_reply_is_not_ok() -> None:
    reply = p.decode(
        b'{"ret":606,"msg":"too many requests and connection will be closed","cmd_id":22005,'
        b'"seq_id":3,"trace":"x","data":{}}'
    )
    assert not reply.ok and reply.ret == p.Ret.TOO_MANY_REQUESTS_CLOSE


@pytest.mark.parametrize(
    ("frame", "kind"),
    [
        (b"not json", "malformed"),
        (b"\xff\xfe\x00", "malformed"),
        (b"", "malformed"),
        (b"[]", "invalid"),
        (b'{"cmd_id":12345,"data":{}}', "unknown_cmd"),
        (b'{"cmd_id":22998}', "invalid"),
        (b'{"cmd_id":"push","data":{}}', "invalid"),
        (
            b'{"cmd_id":22998,"data":{"code":"700.HK","seq":1,"tick_time":1,"price":"NaN","volume":"1"}}',
            "invalid",
        ),
        (
            b'{"cmd_id":22998,"data":{"code":"700.HK","seq":1,"tick_time":1,"price":"-5","volume":"1"}}',
            "invalid",
        ),
        (
            b'{"cmd_id":22998,"data":{"code":"700.HK","seq":1,"tick_time":1,"price":"1e400","volume":"1"}}',
            "invalid",
        ),
        (
            b'{"cmd_id":22998,"data":{"code":"700.HK","seq":1,"tick_time":1,"price":"1","volume":"-1"}}',
            "invalid",
        ),
        (b'{"cmd_id":22998,"data":{"code":"","seq":1,"tick_time":1,"price":"1","volume":"1"}}', "invalid"),
        (
            b'{"cmd_id":22998,"data":{"code":"1.HK","seq":1,"tick_time":1,"price":"1","volume":"1",'
            b'"trade_direction":7}}',
            "invalid",
        ),
        (
            b'{"cmd_id":22998,"data":{"code":"1.HK","seq":"x","tick_time":1,"price":"1","volume":"1"}}',
            "invalid",
        ),
        (
            b'{"cmd_id":22998,"data":{"code":"1.HK","seq":1,"tick_time":0,"price":"1","volume":"1"}}',
            "invalid",
        ),
    ],
)
def test_malformed_frames_raise_frame_error_with_a_kind(frame: bytes, kind: str) -> None:
    with pytest.raises(p.FrameError) as info:
        p.decode(frame)
    assert info.value.kind == kind


def test_oversized_frame_is_refused_before_parsing() -> None:
    with pytest.raises(p.FrameError) as info:
        p.decode(b" " * (p.MAX_FRAME_BYTES + 1))
    assert info.value.kind == "oversized"


def test_text_frames_decode_like_bytes() -> None:
    assert p.decode(trade().decode()).data.symbol == "700.HK"


def test_requests_carry_the_envelope() -> None:
    ids = p.RequestIds("x")
    seq_id, trace = ids.next()
    assert json.loads(p.heartbeat(seq_id, trace)) == {
        "cmd_id": 22000,
        "seq_id": 1,
        "trace": "x-1",
        "data": {},
    }
    seq_id, trace = ids.next()
    assert trace == "x-2"
    sub = json.loads(p.subscribe_trades(["700.HK", "5.HK"], seq_id, trace))
    assert sub == {
        "cmd_id": 22004,
        "seq_id": 2,
        "trace": "x-2",
        "data": {"symbol_list": [{"code": "700.HK"}, {"code": "5.HK"}]},
    }
    depth = json.loads(p.subscribe_depth(["700.HK"], 10, 3, "x-3"))
    assert depth["cmd_id"] == 22002 and depth["data"]["symbol_list"] == [
        {"code": "700.HK", "depth_level": 10}
    ]
    assert json.loads(p.cancel(p.CancelType.TRADES, 4, "x-4"))["data"] == {"cancel_type": 2}


@pytest.mark.parametrize("level", [0, 11])
def test_depth_level_outside_one_to_ten_is_refused(level: int) -> None:
    with pytest.raises(ValueError):
        p.subscribe_depth(["700.HK"], level, 1, "t")


def test_token_is_redacted_and_appended() -> None:
    url = p.with_token("wss://quote.alltick.co/quote-stock-b-ws-api", "s3cret")
    assert url.endswith("?token=s3cret")
    assert "s3cret" not in p.redact(f"failed to connect to {url}: 401")
    assert p.redact("a?token=abc&b=1") == "a?token=***&b=1"


def test_a_token_with_url_characters_is_encoded_and_fully_redacted() -> None:
    url = p.with_token("wss://h/quote-stock-b-ws-api", "a&b=c d#e")
    assert url.endswith("?token=a%26b%3Dc%20d%23e")
    assert "a%26b" not in p.redact(url) and p.redact(url).endswith("token=***")


# ---------------------------------------------------------------- one read's frames at once

_REPLY = b'{"cmd_id":22001,"ret":200,"msg":"ok","seq_id":3,"trace":"hb-3","data":{}}'
_BOOK = (
    b'{"cmd_id":22999,"data":{"code":"5.HK","seq":9,"tick_time":1605509068000,'
    b'"bids":[{"price":"61.1","volume":"800"}],"asks":[{"price":"61.15","volume":"400"}]}}'
)
#: Frames invalid alone that would make valid values if two were read as one stream.
_SPLIT_OBJECT = (
    b'{"cmd_id":22001} {"cmd_id":22998,"data":{"code":"1.HK","seq":1,',
    b'"tick_time":1605509068000,"price":"1","volume":"1"}}',
)
_SPLIT_ARRAY = (
    b'{"cmd_id":22001}\n{"cmd_id":22999,"data":{"code":"5.HK","seq":9,"tick_time":1,"bids":[{"price":"1"}',
    b'{"price":"2"}],"asks":[]}}',
)
_FRAMES = [
    trade(),
    trade(seq=7, tick_time=1605509068),
    _REPLY,
    _BOOK,
    b" " + trade() + b"\n",  # valid alone, with whitespace around it
    trade()[:-1] + b"\n}",  # valid alone, a newline inside
    trade(price="-1"),
    trade(code=""),
    b"",
    b"   ",
    b"{}",
    b'{"cmd_id":12345,"data":{}}',
    b"{not json}",
    b'{"cmd_id":22001}{"cmd_id":22001}',
    b"{" + b" " * p.MAX_FRAME_BYTES + trade()[1:],  # a valid trade, but oversized
    *_SPLIT_OBJECT,
    *_SPLIT_ARRAY,
]


def _one_by_one(frames: list[bytes]) -> list[object]:
    out: list[object] = []
    for frame in frames:
        try:
            out.append(p.decode(frame))
        except p.FrameError as exc:
            out.append(exc.kind)
    return out


def _kinds(decoded: list[object]) -> list[object]:
    return [d.kind if isinstance(d, p.FrameError) else d for d in decoded]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAMES), max_size=8))
def test_a_batch_decodes_exactly_as_its_frames_one_by_one(frames: list[bytes]) -> None:
    assert _kinds(p.decode_batch(frames)) == _one_by_one(frames)


def test_frames_invalid_alone_stay_invalid_side_by_side() -> None:
    for pair in (_SPLIT_OBJECT, _SPLIT_ARRAY):
        decoded = p.decode_batch([trade(), *pair, trade(seq=8)])
        assert [type(d) for d in decoded] == [p.TradePush, p.FrameError, p.FrameError, p.TradePush]
