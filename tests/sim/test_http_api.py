"""AllTick's HTTP endpoints (kline, trade-tick) served on the WebSocket port."""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import quote

from simkit import http_get, http_json

from hkdesk.domain.spread import is_on_grid


def q(obj: dict) -> str:
    return quote(json.dumps(obj))


def kline_url(server, code: str, num: int = 5, kline_type: int = 8, token: str = "t") -> str:
    query = {
        "trace": "k1",
        "data": {
            "code": code,
            "kline_type": kline_type,
            "kline_timestamp_end": 0,
            "query_kline_num": num,
            "adjust_type": 0,
        },
    }
    return f"{server.http_url}/kline?token={token}&query={q(query)}"


async def test_daily_kline_ends_with_the_previous_close(sim):
    server = await sim()
    body = await http_json(kline_url(server, "700.HK", 20))
    assert (body["ret"], body["msg"], body["trace"]) == (200, "ok", "k1")
    data = body["data"]
    assert data["code"] == "700.HK" and data["kline_type"] == 8
    bars = data["kline_list"]
    assert len(bars) == 20
    assert all(isinstance(v, str) for bar in bars for v in bar.values())
    stamps = [int(b["timestamp"]) for b in bars]
    assert stamps == sorted(stamps) and stamps[-1] < server.model.frame.t0
    assert Decimal(bars[-1]["close_price"]) == Decimal(server.model.prev_close("700.HK")) / 1000
    for b in bars:
        o, h, lo, c = (Decimal(b[k]) for k in ("open_price", "high_price", "low_price", "close_price"))
        assert lo <= min(o, c) <= max(o, c) <= h
        assert all(is_on_grid(x) for x in (o, h, lo, c))
        assert int(b["volume"]) % 100 == 0


async def test_kline_errors(sim):
    server = await sim(token="secret")
    assert (await http_json(kline_url(server, "700.HK", token="wrong")))["ret"] == 401
    assert (await http_json(kline_url(server, "NOPE.HK", token="secret")))["ret"] == 600
    assert (await http_json(kline_url(server, "700.HK", kline_type=1, token="secret")))["ret"] == 400
    bad = await http_json(f"{server.http_url}/kline?token=secret&query=not-json")
    assert bad["ret"] == 402
    status, _ = await http_get(f"{server.http_url}/nothing-here?token=secret")
    assert status == 404
    index = await http_json(kline_url(server, "HSI", 3, token="secret"))
    assert len(index["data"]["kline_list"]) == 3


async def test_trade_tick_snapshot(sim):
    server = await sim(speed=30.0)
    query = {"trace": "t1", "data": {"symbol_list": [{"code": "700.HK"}, {"code": "5.HK"}, {"code": "NOPE"}]}}
    body = await http_json(f"{server.http_url}/trade-tick?token=x&query={q(query)}")
    assert body["ret"] == 200 and body["trace"] == "t1"
    ticks = body["data"]["tick_list"]
    assert [t["code"] for t in ticks] == ["700.HK", "5.HK"]
    for t in ticks:
        assert set(t) == {"code", "seq", "tick_time", "price", "volume", "turnover", "trade_direction"}
        assert all(isinstance(v, str) for v in t.values())
        assert Decimal(t["turnover"]) == Decimal(t["price"]) * Decimal(t["volume"])
        assert int(t["tick_time"]) > 10**12
    none_valid = {"trace": "t2", "data": {"symbol_list": [{"code": "NOPE"}]}}
    assert (await http_json(f"{server.http_url}/trade-tick?query={q(none_valid)}"))["ret"] == 600
    assert (await http_json(f"{server.http_url}/trade-tick?query={q({'data': []})}"))["ret"] == 402
