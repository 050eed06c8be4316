"""Row 4: malformed input never escapes the receive path; good frames around it are kept."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from relkit import Rig, stored
from support.scripted_alltick import Scripted, good_trade
from support.waits import wait_until

from hkdesk.domain.types import MAX_PRICE, MAX_SEQ, MAX_VOLUME
from hkdesk.feed.alltick import protocol

# Raw JSON tokens for each field of a trade push: valid ones, wrong types, and hostile values.
CMD_IDS = ["22998", "22999", "22001", "22005", "0", "-1", "31337", "1e3", '"22998"', "null", "22998.0"]
CODES = ['"700.HK"', '"5.HK"', '""', '"' + "X" * 40 + '"', "700", "null", "[]", '"\\ud800"', '"\\u0000"']
INTS = ["1", "0", "-1", "42", '"17"', '"x"', "1.5", "1e400", "99999999999999999999999", "true", "null", "{}"]
TIMES = ["1772416800000", "1772416800", "0", "-5", "1e30", '"1772416800000"', "4102444800001", "null"]
PRICES = [
    '"100.5"', "100.5", '"0.001"', '"-5"', '"0"', '"-0"', '"NaN"', '"sNaN"', '"Infinity"', '"-Infinity"',
    "NaN", "Infinity", '"1e999999"', '"1e-999999"', '"1e100000000"', "1e309", "-1e309", '"10000001"',
    '"12.3.4"', '""', "null", "[1]", '"' + "9" * 5000 + '"', "123456789012345678901234567890",
]  # fmt: skip
DIRECTIONS = ["0", "1", "2", "3", "-1", '"1"', "null"]
FIELDS = {
    "code": CODES,
    "seq": INTS,
    "tick_time": TIMES,
    "price": PRICES,
    "volume": PRICES,
    "turnover": PRICES,
    "trade_direction": DIRECTIONS,
}
JUNK = [b"", b"{", b"{]", b"[]", b"null", b"not json", b'{"cmd_id":22998}', b'{"cmd_id":22998,"data":[]}',
        b'{"cmd_id":22999,"data":{"code":"A","seq":1,"tick_time":1,"bids":"x","asks":5}}',
        b'{"cmd_id":22005,"ret":"200","seq_id":"a"}', b"\xff\xfe\x00binary", b'{"a":' * 500]  # fmt: skip


def trade_text(cmd: str, parts: dict[str, str | None]) -> bytes:
    fields = ",".join(f'"{k}":{v}' for k, v in parts.items() if v is not None)
    return f'{{"cmd_id":{cmd},"data":{{{fields}}}}}'.encode("utf-8", "surrogatepass")


def trade_from_index(index: int) -> bytes:
    """Frame number ``index`` of every combination of the tokens above (a field may be left out).

    One integer per frame keeps generation cheap; hypothesis still explores the whole space."""
    index, cmd = divmod(index, len(CMD_IDS))
    parts: dict[str, str | None] = {}
    for name, tokens in FIELDS.items():
        index, pick = divmod(index, len(tokens) + 1)
        parts[name] = tokens[pick] if pick < len(tokens) else None
    return trade_text(CMD_IDS[cmd], parts)


TRADE_SPACE = len(CMD_IDS) * math.prod(len(v) + 1 for v in FIELDS.values())
trade_frames = st.integers(0, TRADE_SPACE - 1).map(trade_from_index)

VALID = {"code": '"700.HK"', "seq": "42", "tick_time": "1772416800000", "price": '"100.5"',
         "volume": '"100"', "turnover": None, "trade_direction": "1"}  # fmt: skip
MUTATIONS = [("cmd_id", c) for c in CMD_IDS] + [
    (name, token) for name, tokens in FIELDS.items() for token in [*tokens, None]
]


def mutated(picks: list[int]) -> bytes:
    """A valid trade push with one to three fields replaced by hostile tokens (or left out)."""
    parts, cmd = dict(VALID), "22998"
    for pick in picks:
        name, token = MUTATIONS[pick]
        if name == "cmd_id":
            cmd = token or cmd
        else:
            parts[name] = token
    return trade_text(cmd, parts)


mutated_frames = st.lists(st.integers(0, len(MUTATIONS) - 1), min_size=1, max_size=3).map(mutated)
json_atoms = st.sampled_from([None, True, 0, -1, 2**70, 1.5, float("nan"), float("inf"), "", "x", [], {}])
envelopes = st.builds(
    lambda cmd, data: json.dumps({"cmd_id": cmd, "data": data}).encode(),
    st.integers(-(2**40), 2**40) | st.sampled_from([22998, 22999, 22001, 22003, 22005, 22007, 0]),
    json_atoms | st.dictionaries(st.sampled_from(["code", "seq", "price", "bids"]), json_atoms, max_size=3),
)
any_frame = st.one_of(
    mutated_frames,
    mutated_frames,
    mutated_frames,
    trade_frames,
    envelopes,
    st.binary(max_size=64),
    st.text(max_size=64),
    st.sampled_from(JUNK),
    st.builds(lambda f, n: f[:n], trade_frames, st.integers(0, 80)),  # torn frames
)
seen = {"frames": 0}


def check_decode(raw: bytes | str) -> None:
    """Either a frame or FrameError; anything accepted is a valid record."""
    try:
        frame = protocol.decode(raw)
    except protocol.FrameError as exc:
        assert exc.kind in ("malformed", "invalid", "unknown_cmd", "oversized")
        return
    if isinstance(frame, protocol.TradePush):
        t = frame.data
        assert 0 < t.price <= MAX_PRICE and 0 <= t.volume <= MAX_VOLUME
        assert 0 <= t.seq <= MAX_SEQ and 0 < t.ts < 2**62 and t.direction in (0, 1, 2)
        assert t.symbol and t.turnover is not None and t.turnover >= 0


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(any_frame, min_size=70, max_size=80))
def test_decode_never_raises_anything_but_frame_error(frames):
    for raw in frames:
        check_decode(raw)
    seen["frames"] += len(frames)


def test_at_least_ten_thousand_generated_frames_were_decoded():
    """Runs after the property test in file order; holds it to the 10,000-frame floor."""
    if seen["frames"] == 0:
        test_decode_never_raises_anything_but_frame_error()
    assert seen["frames"] >= 10_000, seen["frames"]


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.integers(0, MAX_SEQ),
    st.decimals(Decimal("0.001"), MAX_PRICE, places=3),
    st.integers(0, 10**12),
    st.integers(1, 4_102_444_800_000),
)
def test_valid_trades_decode_exactly(seq, price, volume, ts):
    raw = trade_text(
        "22998",
        {
            "code": '"700.HK"',
            "seq": str(seq),
            "tick_time": str(ts),
            "price": f'"{price}"',
            "volume": f'"{volume}"',
        },
    )
    tick = protocol.decode(raw).data
    assert (tick.seq, tick.price, tick.volume) == (seq, price, volume)


def hostile(rng: random.Random) -> bytes:
    """One bad frame for the socket test (each kind the receive path must survive)."""
    kind = rng.randrange(6)
    if kind == 0:
        return trade_text(
            "22998",
            {k: rng.choice(v) for k, v in FIELDS.items() if k != "price"}
            | {"price": rng.choice(['"-5"', '"NaN"', '"Infinity"', '"1e999999"', "null"])},
        )
    if kind == 1:
        return rng.choice(JUNK) or b"{"
    if kind == 2:
        return b'{"cmd_id":%d,"data":{"hello":"world"}}' % rng.choice([1, 22500, 23000, 99999])
    if kind == 3:
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 40)))
    if kind == 4:
        return b'{"cmd_id":22998,"data":{"code":"G.HK","seq":"' + b"9" * 400_000 + b'"}}'  # 400 KB
    return b'{"cmd_id":22998,"data":{"code":"G.HK","seq":1,"tick_time":1,"price":"1","volume":"x"}}'


async def test_a_mix_through_a_real_socket_counts_bad_frames_and_keeps_every_good_one(
    db_url, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG, logger="hkdesk")
    rng = random.Random(4)
    good, bad, frames = 0, 0, []
    for _ in range(3000):
        if rng.random() < 0.5:
            good += 1
            frames.append(json.dumps(good_trade("G.HK", good, price=f"{100 + good % 50 / 100:.2f}")))
        else:
            bad += 1
            raw = hostile(rng)
            frames.append(raw if rng.random() < 0.5 else raw.decode("utf-8", "replace"))
    async with Scripted() as server:
        server.paused = True  # only the injected frames flow
        async with Rig(server.url, db_url, tmp_path / "spill", symbols=["G.HK"]) as rig:
            await rig.live()
            for frame in frames:
                server.inject.put_nowait(frame)
            await wait_until(lambda: rig.pipeline.ticks_received >= good, timeout=20, what="good frames")
            await asyncio.sleep(0.1)
            stats = rig.feed.stats
            reconnects = stats.reconnects
    assert stored(db_url) == {"G.HK": list(range(1, good + 1))}
    assert sum(stats.bad_frames.values()) == bad, dict(stats.bad_frames)
    assert set(stats.bad_frames) <= {"malformed", "invalid", "unknown_cmd", "oversized"}
    assert stats.bad_frames["oversized"] > 0 and stats.bad_frames["unknown_cmd"] > 0
    assert reconnects == 0, "bad frames never cost the link"
    lines = [r for r in caplog.records if "bad frames" in r.getMessage()]
    assert 1 <= len(lines) <= len(stats.bad_frames), "one line per kind per interval"
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) <= 10
    print(f"\nrow 4: {bad} bad frames {dict(stats.bad_frames)}, {good} good ones, {len(lines)} log lines")
