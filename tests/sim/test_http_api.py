"""AllTick's HTTP API on the simulator's port: each documented request, with the exact reply shapes."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote

import pytest
from simkit import frozen_clock, http_json, http_request

from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.spread import is_on_grid
from hkdesk.feed.alltick.protocol import HTTP_PATH
from hkdesk.sim.model import MarketModel

BAR_KEYS = {"timestamp", "open_price", "close_price", "high_price", "low_price", "volume", "turnover"}
TRADE_KEYS = {"code", "seq", "tick_time", "price", "volume", "turnover", "trade_direction"}
STATIC_KEYS = {
    "board",
    "bps",
    "circulating_shares",
    "currency",
    "dividend_yield",
    "eps",
    "eps_ttm",
    "exchange",
    "hk_shares",
    "lot_size",
    "name_cn",
    "name_en",
    "name_hk",
    "symbol",
    "total_shares",
}


def q(obj) -> str:
    return quote(json.dumps(obj))


def get_url(server, endpoint: str, data, trace: str = "t1", token: str = "t") -> str:
    return f"{server.http_url}/{endpoint}?token={token}&query={q({'trace': trace, 'data': data})}"


def kline_query(code: str, kline_type: int, num: int) -> dict:
    return {
        "code": code,
        "kline_type": kline_type,
        "kline_timestamp_end": 0,
        "query_kline_num": num,
        "adjust_type": 0,
    }


def codes(*symbols: str) -> dict:
    return {"symbol_list": [{"code": s} for s in symbols]}


def envelope_ok(body: dict, trace: str = "t1") -> dict:
    assert set(body) == {"ret", "msg", "trace", "data"}
    assert (body["ret"], body["msg"], body["trace"]) == (200, "ok", trace), body
    return body["data"]


def check_bars(bars: list[dict]) -> None:
    for bar in bars:
        assert set(bar) == BAR_KEYS and all(isinstance(v, str) for v in bar.values())
        o, h, lo, c = (Decimal(bar[k]) for k in ("open_price", "high_price", "low_price", "close_price"))
        assert lo <= min(o, c) <= max(o, c) <= h
    stamps = [int(b["timestamp"]) for b in bars]
    assert stamps == sorted(set(stamps))  # newest last


async def test_kline_of_every_type_newest_last_with_todays_bar_in_progress(sim):
    server = await sim(clock=frozen_clock(10, 30))  # the morning so far is made at start
    today = server.clock.now().date()
    for kline_type in (1, 2, 3, 4, 5, 8, 9, 10):
        data = envelope_ok(await http_json(get_url(server, "kline", kline_query("700.HK", kline_type, 3))))
        assert set(data) == {"code", "kline_type", "kline_list"}
        assert (data["code"], data["kline_type"]) == ("700.HK", kline_type)
        check_bars(data["kline_list"])
        # intraday bars start at the simulated day's opening auction; days and longer reach back years
        assert len(data["kline_list"]) == 3 if kline_type >= 8 else 1 <= len(data["kline_list"]) <= 3
        newest = datetime.fromtimestamp(int(data["kline_list"][-1]["timestamp"]), HK_TZ)
        assert newest.date() <= today and (kline_type > 8 or newest.date() == today)
    daily = envelope_ok(await http_json(get_url(server, "kline", kline_query("700.HK", 8, 1000))))[
        "kline_list"
    ]
    assert len(daily) == 500  # at most 500, the latest
    latest = envelope_ok(await http_json(get_url(server, "trade-tick", codes("700.HK"))))["tick_list"][0]
    assert Decimal(daily[-1]["close_price"]) == Decimal(latest["price"])  # today's bar: close = last price
    assert Decimal(daily[-2]["close_price"]) == Decimal(server.model.prev_close("700.HK")) / 1000
    assert all(is_on_grid(Decimal(b[k])) for b in daily[-3:] for k in ("open_price", "close_price"))
    for refused in (6, 7, 11):
        body = await http_json(get_url(server, "kline", kline_query("700.HK", refused, 2)))
        assert (body["ret"], body["msg"]) == (400, "request data param invalid")


async def test_batch_kline_latest_bars_of_many_codes_and_types(sim):
    server = await sim(speed=30.0)
    await asyncio.sleep(0.2)
    items = [kline_query(c, t, 2) for c in ("700.HK", "5.HK", "HSI") for t in (1, 8)]
    items.append(kline_query("GOOGL.US", 1, 1))  # another market: left out
    body = json.dumps({"trace": "b1", "data": {"data_list": items}}).encode()
    data = envelope_ok(await http_json(f"{server.http_url}/batch-kline?token=t", "POST", body), "b1")
    assert set(data) == {"kline_list"}
    got = [(k["code"], k["kline_type"]) for k in data["kline_list"]]
    assert got == [(c, t) for c in ("700.HK", "5.HK", "HSI") for t in (1, 8)]
    for entry in data["kline_list"]:
        assert set(entry) == {"code", "kline_type", "kline_data"} and len(entry["kline_data"]) == 2
        check_bars(entry["kline_data"])
    single = envelope_ok(
        await http_json(get_url(server, "kline", kline_query("5.HK", 1, 2), trace="b1")), "b1"
    )["kline_list"]
    assert single[0] == data["kline_list"][2]["kline_data"][0]  # the same bars as /kline
    empty = await http_json(f"{server.http_url}/batch-kline?token=u", "POST", b"")
    assert (empty["ret"], empty["msg"]) == (601, "body empty")


async def test_batch_kline_items_beyond_the_plan_get_603(sim):
    server = await sim(plan="free")
    items = [kline_query(c, 1, 1) for c in ("700.HK", "5.HK", "9988.HK", "3690.HK", "388.HK", "939.HK")]
    body = json.dumps({"trace": "b2", "data": {"data_list": items}}).encode()
    refused = await http_json(f"{server.http_url}/batch-kline?token=t", "POST", body)
    assert (refused["ret"], refused["msg"], refused["trace"]) == (603, "token level not enough", "b2")


async def test_trade_tick_latest_trade_with_an_integer_direction(sim):
    server = await sim(speed=30.0)
    await asyncio.sleep(0.2)
    data = envelope_ok(
        await http_json(get_url(server, "trade-tick", codes("939.HK", "UNH.US", "700.HK", "HSI")))
    )
    ticks = data["tick_list"]
    assert [t["code"] for t in ticks] == ["939.HK", "700.HK", "HSI"]  # other markets are left out
    for t in ticks:
        assert set(t) == TRADE_KEYS
        assert isinstance(t["trade_direction"], int) and t["trade_direction"] in (0, 1, 2)
        assert all(isinstance(t[k], str) for k in TRADE_KEYS - {"trade_direction"})
        assert Decimal(t["turnover"]) == Decimal(t["price"]) * Decimal(t["volume"])
        assert int(t["tick_time"]) > 10**12 and int(t["seq"]) // 1000 == int(t["tick_time"])


async def test_depth_tick_ten_levels_like_the_depth_push(sim):
    server = await sim(speed=30.0)
    data = envelope_ok(await http_json(get_url(server, "depth-tick", codes("939.HK", "700.HK", "HSI"))))
    books = data["tick_list"]
    assert [b["code"] for b in books] == ["939.HK", "700.HK"]  # an index has no book
    for book in books:
        assert set(book) == {"code", "seq", "tick_time", "bids", "asks"}
        assert len(book["bids"]) == len(book["asks"]) == 10
        assert all(set(level) == {"price", "volume"} for level in book["bids"] + book["asks"])
        bids = [Decimal(level["price"]) for level in book["bids"]]
        asks = [Decimal(level["price"]) for level in book["asks"]]
        assert bids == sorted(bids, reverse=True) and asks == sorted(asks) and bids[0] < asks[0]


async def test_static_info_for_every_simulated_code(sim):
    server = await sim()
    symbols = list(server.model.symbols)
    data = envelope_ok(await http_json(get_url(server, "static_info", codes(*symbols))))
    facts = {f["symbol"]: f for f in data["static_info_list"]}
    assert list(facts) == symbols
    tencent = facts["700.HK"]
    assert set(tencent) == STATIC_KEYS and all(isinstance(v, str) for v in tencent.values())
    assert (tencent["name_en"], tencent["name_cn"], tencent["name_hk"]) == ("TENCENT", "腾讯控股", "騰訊控股")
    assert (tencent["currency"], tencent["exchange"], tencent["lot_size"]) == ("HKD", "SEHK", "100")
    for code, f in facts.items():
        if server.model.is_index(code):
            assert f["board"] == "HKIndex" and f["name_cn"]
            continue
        price = Decimal(server.model.infos[code].approx_price)
        cap = price * int(f["total_shares"])
        assert Decimal("1e10") < cap < Decimal("5e12"), code
        assert 2 < price / Decimal(f["eps"]) < 45 and Decimal(f["bps"]) > 0, code
        assert (
            0 <= Decimal(f["dividend_yield"]) < 12
            and abs(Decimal(f["eps_ttm"]) / Decimal(f["eps"]) - 1) < 0.11
        )


async def test_the_shipped_universe_has_simplified_names(sim):
    server = await sim(model=MarketModel(seed=1))
    full = {
        f["symbol"]: f["name_cn"]
        for f in envelope_ok(
            await http_json(get_url(server, "static_info", codes("5.HK", "HSI", "1810.HK")))
        )["static_info_list"]
    }
    assert full == {"5.HK": "汇丰控股", "HSI": "恒生指数", "1810.HK": "小米集团-W"}


@pytest.mark.parametrize(
    ("query", "ret", "msg"),
    [
        (None, 402, "query invalid"),
        ("not-json", 402, "query invalid"),
        (q({"data": []}), 402, "query invalid"),
        (q({"trace": "e", "data": {"symbol_list": "700.HK"}}), 400, "request data param invalid"),
        (q({"trace": "e", "data": codes("NOPE.HK", "AAPL.US")}), 600, "code invalid"),
    ],
)
async def test_errors_are_envelopes_with_the_documented_codes(sim, query, ret, msg):
    server = await sim()
    url = f"{server.http_url}/trade-tick?token=t" + (f"&query={query}" if query is not None else "")
    status, payload = await http_request(url)
    body = json.loads(payload)
    assert status == 200 and set(body) == {"ret", "msg", "trace", "data"}
    assert (body["ret"], body["msg"], body["data"]) == (ret, msg, {})


async def test_unknown_paths_and_bad_tokens_are_answered_in_the_envelope(sim):
    server = await sim(token="secret")
    for url in (f"{server.http_url}/nothing-here?token=secret", f"http://{server.base_url}/favicon.ico"):
        status, payload = await http_request(url)
        body = json.loads(payload)
        assert status == 404 and body["ret"] == 404 and set(body) == {"ret", "msg", "trace", "data"}
    refused = await http_json(get_url(server, "kline", kline_query("700.HK", 8, 1), token="wrong"))
    assert (refused["ret"], refused["msg"]) == (401, "token invalid")
    status, payload = await http_request(f"{server.ws_url}?token=secret")  # no Upgrade
    assert status == 426 and json.loads(payload)["ret"] == 400


async def test_rate_limits_per_token_and_per_endpoint(sim):
    server = await sim(plan="free", http_window_scale=0.1)  # one call per 1 s instead of 10 s
    first = await http_json(get_url(server, "kline", kline_query("700.HK", 8, 1), token="A"))
    again = await http_json(get_url(server, "kline", kline_query("700.HK", 8, 1), token="A"))
    other_token = await http_json(get_url(server, "kline", kline_query("700.HK", 8, 1), token="B"))
    other_endpoint = await http_json(get_url(server, "trade-tick", codes("700.HK"), token="A"))
    assert first["ret"] == 200 and other_token["ret"] == 200 and other_endpoint["ret"] == 200
    assert (again["ret"], again["msg"]) == (605, "too many requests")
    await asyncio.sleep(1.05)
    assert (await http_json(get_url(server, "kline", kline_query("700.HK", 8, 1), token="A")))["ret"] == 200
    many = await http_json(get_url(server, "static_info", codes(*server.model.symbols), token="C"))
    assert len(many["data"]["static_info_list"]) == 5  # the free plan's codes per call


async def test_professional_plan_allows_twenty_calls_a_second_per_endpoint(sim):
    server = await sim(http_window_scale=100.0)  # a 100 s window: nothing slides out during the test
    answers = [await http_json(get_url(server, "trade-tick", codes("5.HK"))) for _ in range(21)]
    assert [a["ret"] for a in answers] == [200] * 20 + [605]


async def test_long_urls_chunked_bodies_and_expect_continue(sim):
    server = await sim()
    many = codes(*[f"{n}.HK" for n in range(1, 400)], "700.HK")
    url = get_url(server, "trade-tick", many)
    assert len(url) > 16_000
    assert envelope_ok(await http_json(url))["tick_list"][-1]["code"] == "700.HK"
    body = json.dumps({"trace": "c1", "data": {"data_list": [kline_query("700.HK", 8, 1)]}}).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    status, payload = await http_request(
        f"{server.http_url}/batch-kline?token=t",
        "POST",
        chunked,
        {"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
    )
    assert status == 200 and json.loads(payload)["ret"] == 200
    reader, writer = await asyncio.open_connection(server.host, server.port)
    writer.write(
        f"POST {HTTP_PATH}/batch-kline?token=t2 HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
        "Expect: 100-continue\r\n\r\n".encode()
    )
    assert await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5) == b"HTTP/1.1 100 Continue\r\n\r\n"
    writer.write(body)
    answer = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 200 OK") and b'"ret":200' in answer
