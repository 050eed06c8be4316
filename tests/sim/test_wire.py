"""The simulator's hand-made trade frames and WebSocket framing match the general encoders."""

import msgspec
import pytest
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from hkdesk.sim.connection import frame as _frame
from hkdesk.sim.records import SimTrade
from hkdesk.sim.wire import PUSH_TRADE, TradePush, encode_trade, trade_data

TRADES = [
    SimTrade("700.HK", 1, 1_764_000_000_000, 551_500, 100, 1, 551_000, 551_500),
    SimTrade("5.HK", 987_654_321, 1_764_000_000_123, 7, 2_000_000, 0, 6, 7),
    SimTrade("HSI", 3, 1_764_000_000_999, 25_123_450, 0, 2, 25_123_450, 25_123_450),
    SimTrade("9988.HK", 4, 0, 1_000, 1, 1, 990, 1_000),
    SimTrade('odd"code\\', 5, 1, 999, 3, 1, 999, 999),
]


@pytest.mark.parametrize("trade", TRADES, ids=lambda t: t.symbol)
def test_trade_frame_is_byte_identical_to_msgspec(trade):
    assert encode_trade(trade) == msgspec.json.encode(TradePush(PUSH_TRADE, trade_data(trade)))


def _parse(data: bytes) -> Frame:
    reader = StreamReader()
    reader.feed_data(data)
    parser = Frame.parse(reader.read_exact, mask=False)
    try:
        next(parser)
    except StopIteration as done:
        return done.value
    raise AssertionError("incomplete frame")


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65_535, 65_536, 70_000])
@pytest.mark.parametrize("binary", [False, True])
def test_frames_parse_back_with_websockets(size, binary):
    payload = bytes(i % 251 for i in range(size)) if binary else b"x" * size
    frame = _parse(_frame(payload, binary))
    assert frame.opcode is (Opcode.BINARY if binary else Opcode.TEXT)
    assert frame.fin
    assert frame.data == payload
