"""Initial values over HTTP against a real local HTTP server."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from support.fake_alltick import TOKEN, min_gap

from hkdesk.feed.http import HttpError, QuoteHttp, http_base
from hkdesk.feed.plans import FREE, HttpLimits

# 2024-03-05 12:00 HK; daily bars are stamped at HK midnight (16:00 UTC the day before)
NOW = datetime(2024, 3, 5, 4, 0, tzinfo=UTC).timestamp()
MAR_4 = int(datetime(2024, 3, 3, 16, 0, tzinfo=UTC).timestamp())
MAR_5 = int(datetime(2024, 3, 4, 16, 0, tzinfo=UTC).timestamp())
TS = "1709611200000"
DAILY = [
    {"timestamp": str(t), "open_price": o, "high_price": "390", "low_price": "379", "close_price": c}
    | {"volume": "100", "turnover": "38000"}
    for t, o, c in ((MAR_4, "381", "380.2"), (MAR_5, "381.5", "385.0"))
]


class Api(BaseHTTPRequestHandler):
    times: list[float]
    queries: list[dict]
    paths: list[tuple[str, float]]

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        self.times.append(time.monotonic())
        self.paths.append((url.path, time.monotonic()))
        if parse_qs(url.query).get("token") != [TOKEN]:
            return self._reply(200, {"ret": 401, "msg": "token invalid"})
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.queries.append(query)
        if url.path != "/quote-stock-b-api/batch-kline":
            return self._reply(404, {"ret": 404})
        items = query["data"]["data_list"]
        if any(i["code"] == "BOOM.HK" for i in items):
            return self._reply(500, {"oops": True})
        answer = [
            {"code": i["code"], "kline_type": i["kline_type"], "kline_data": DAILY}
            for i in items
            if i["code"] != "BAD.HK"  # unknown codes are left out of the answer
        ]
        self._reply(200, {"ret": 200, "msg": "ok", "data": {"kline_list": answer}})

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        qs = parse_qs(url.query)
        self.times.append(time.monotonic())
        self.paths.append((url.path, time.monotonic()))
        if qs.get("token") != [TOKEN]:
            return self._reply(200, {"ret": 401, "msg": "token invalid"})
        query = json.loads(qs["query"][0])
        self.queries.append(query)
        data = query["data"]
        if url.path == "/quote-stock-b-api/trade-tick":
            ticks = [
                {"code": i["code"], "seq": "17", "tick_time": TS, "price": "381.4", "volume": "2"}
                for i in data["symbol_list"]
            ]
            ticks.append({"code": "X", "seq": "1", "tick_time": "1", "price": "-1", "volume": "1"})
            return self._reply(200, {"ret": 200, "msg": "ok", "data": {"tick_list": ticks}})
        self._reply(404, {"ret": 404})

    def _reply(self, status: int, body: dict) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


@pytest.fixture
def api() -> Iterator[tuple[str, type[Api]]]:
    handler = type("Handler", (Api,), {"times": [], "queries": [], "paths": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"ws://127.0.0.1:{server.server_address[1]}/quote-stock-b-ws-api", handler
    finally:
        server.shutdown()
        server.server_close()


def test_http_base_from_ws_url():
    assert http_base("wss://quote.alltick.co/quote-stock-b-ws-api") == "https://quote.alltick.co"
    assert http_base("ws://127.0.0.1:8765/quote-stock-b-ws-api?token=x") == "http://127.0.0.1:8765"
    with pytest.raises(ValueError):
        http_base("ftp://example.com/")


async def test_previous_close_skips_todays_bar_and_bad_codes_and_spaces_requests(api, caplog):
    url, handler = api
    client = QuoteHttp(url, TOKEN, min_interval=0.05, codes_per_request=2, now=lambda: NOW)
    codes = ["700.HK", "BAD.HK", "BOOM.HK", "5.HK", "9988.HK"]
    closes = await client.fetch_previous_close(codes)
    # two codes a call: the call holding BOOM.HK failed, BAD.HK was left out of its answer
    assert closes == {"700.HK": Decimal("380.2"), "9988.HK": Decimal("380.2")}
    asked = [
        [(i["code"], i["kline_type"], i["query_kline_num"]) for i in q["data"]["data_list"]]
        for q in handler.queries
    ]
    assert asked == [
        [("700.HK", 8, 2), ("BAD.HK", 8, 2)],
        [("BOOM.HK", 8, 2), ("5.HK", 8, 2)],
        [("9988.HK", 8, 2)],
    ]
    assert min_gap(handler.times) >= 0.05 - 0.005
    assert "BOOM.HK" in caplog.text and "HTTP 500" in caplog.text
    assert TOKEN not in caplog.text


async def test_previous_closes_carry_the_session_days_bar(api):
    url, _ = api
    client = QuoteHttp(url, TOKEN, min_interval=0.0, now=lambda: NOW)
    starts = await client.previous_closes(["700.HK"])
    start = starts["700.HK"]
    assert start.previous_close == Decimal("380.2")
    assert start.today is not None and start.today.open == Decimal("381.5")
    assert (start.today.high, start.today.low) == (Decimal("390"), Decimal("379"))


async def test_each_endpoint_keeps_its_own_interval_and_endpoints_run_together(api):
    url, handler = api
    client = QuoteHttp(url, TOKEN, limits=HttpLimits(1.0, 1.0, 5), now=lambda: NOW)
    await asyncio.gather(
        client.fetch_latest_trades(["1.HK"]),
        client.previous_closes(["700.HK"]),
        client.fetch_latest_trades(["2.HK"]),
    )
    at = {path.rsplit("/", 1)[1]: [] for path, _ in handler.paths}
    for path, when in handler.paths:
        at[path.rsplit("/", 1)[1]].append(when)
    (batch,) = at["batch-kline"]
    first, second = at["trade-tick"]
    assert second - first >= 1.0 - 0.005, "the same endpoint keeps its interval"
    assert batch < second, "another endpoint does not wait for it"
    assert client.transport.calls == {"/trade-tick": 2, "/batch-kline": 1}


async def test_the_interval_holds_when_timers_fire_early(api, monkeypatch):
    """Under qasync a sleep is a coarse Qt timer that may end up to 5 % early; the server must
    still see the endpoint's interval between two calls."""
    url, handler = api
    real_sleep = asyncio.sleep

    async def early(delay: float, *args: object) -> None:
        await real_sleep(delay * 0.9 if delay > 0.05 else delay, *args)

    monkeypatch.setattr(asyncio, "sleep", early)
    client = QuoteHttp(url, TOKEN, limits=HttpLimits(0.5, 0.5, 5), now=lambda: NOW)
    await client.fetch_latest_trades(["1.HK"])
    await client.fetch_latest_trades(["2.HK"])
    first, second = (when for path, when in handler.paths if path.endswith("trade-tick"))
    assert second - first >= 0.5


async def test_latest_trades_in_chunks(api):
    url, handler = api
    client = QuoteHttp(url, TOKEN, min_interval=0.02, codes_per_request=2)
    ticks = await client.fetch_latest_trades(["1.HK", "2.HK", "3.HK", "1.HK"])
    assert sorted(ticks) == ["1.HK", "2.HK", "3.HK"]
    tick = ticks["2.HK"]
    assert tick.price == Decimal("381.4") and tick.seq == 17 and tick.ts == 1709611200000
    assert tick.received_at > 0
    assert [len(q["data"]["symbol_list"]) for q in handler.queries] == [2, 1]


async def test_bad_token_raises_redacted_error(api):
    url, _ = api
    client = QuoteHttp.for_plan(url, "wrong-secret-token", FREE, now=lambda: NOW)
    assert client.limits == HttpLimits(10.0, 10.0, 5, daily_calls=1_000)
    with pytest.raises(HttpError) as info:
        await client.fetch_latest_trades(["700.HK"])
    assert info.value.ret == 401
    assert "wrong-secret-token" not in str(info.value)


async def test_unreachable_server_gives_clear_error():
    client = QuoteHttp("ws://127.0.0.1:9/x", TOKEN, min_interval=0.0, timeout=1.0)
    with pytest.raises(HttpError) as info:
        await client.transport.get("/trade-tick", {"symbol_list": []})
    assert "cannot reach" in str(info.value) and TOKEN not in str(info.value)


async def test_a_body_ended_by_closing_the_connection_is_read_whole():
    """No Content-Length, not chunked: the body ends at EOF, however it arrives in pieces."""
    import asyncio

    body = json.dumps(
        {
            "ret": 200,
            "msg": "ok",
            "trace": "t",
            "data": {
                "tick_list": [
                    {
                        "code": "5.HK",
                        "seq": "9",
                        "tick_time": TS,
                        "price": "111.1",
                        "volume": "400",
                        "turnover": "44440",
                        "trade_direction": "1",
                    },
                ]
            },
        }
    ).encode()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
        half = len(body) // 2
        writer.write(body[:half])
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.write(body[half:])
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        client = QuoteHttp(f"ws://127.0.0.1:{port}/quote-stock-b-ws-api", TOKEN, min_interval=0.0)
        ticks = await client.fetch_latest_trades(["5.HK"])
    finally:
        server.close()
        await server.wait_closed()
    assert ticks["5.HK"].price == Decimal("111.1")
