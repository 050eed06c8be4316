"""AllTick's documented WebSocket requests, and what its own example clients send, with exact replies."""

from __future__ import annotations

import ast
import asyncio
import json

import pytest
from simkit import WireClient, frozen_clock
from websockets.exceptions import ConnectionClosed

HB, SUB_DEPTH, SUB_TRADES, CANCEL = 22000, 22002, 22004, 22006
TRADE_FIELDS = {"code": str, "seq": int, "tick_time": int, "price": str, "volume": str, "turnover": str}


def req(cmd: int, seq_id: int, trace: str, data) -> dict:
    return {"cmd_id": cmd, "seq_id": seq_id, "trace": trace, "data": data}


def ok(cmd: int, seq_id: int, trace: str) -> dict:
    return {"ret": 200, "msg": "ok", "cmd_id": cmd, "seq_id": seq_id, "trace": trace, "data": {}}


def raw_frames(client: WireClient) -> list[dict]:
    return [json.loads(raw) for raw, _ in client.frames]


async def send_raw(client: WireClient, obj: dict) -> None:
    await client.ws.send(json.dumps(obj))


async def read_until(client: WireClient, cmd: int, timeout: float = 2.0) -> dict:
    await client.reply(cmd, timeout)
    return raw_frames(client)[-1]


async def test_heartbeat_reply_has_exactly_the_documented_shape(sim):
    server = await sim()
    client = await WireClient.open(server.ws_url)
    await send_raw(client, req(HB, 123, "hb-123", {}))
    assert await read_until(client, 22001) == ok(22001, 123, "hb-123")
    await client.close()


@pytest.mark.parametrize("data", [[], {"symbol_list": None}, None])
async def test_heartbeat_variants_of_the_example_clients_are_accepted(sim, data):
    server = await sim()
    client = await WireClient.open(server.ws_url)
    await send_raw(client, {"cmd_id": HB, "seq_id": 7, "trace": "v", "data": data})
    reply = await read_until(client, 22001)
    assert (reply["ret"], reply["msg"], reply["seq_id"], reply["trace"]) == (200, "ok", 7, "v")
    await client.close()


async def test_trade_subscription_and_push_shapes(sim):
    server = await sim(clock=frozen_clock())
    server.set_rate(500)
    client = await WireClient.open(server.ws_url)
    await send_raw(
        client,
        {
            "cmd_id": SUB_TRADES,
            "seq_id": 1,
            "trace": "sub-tick-1",
            "data": {"symbol_list": [{"code": "700.HK"}]},
        },
    )
    reply = await read_until(client, 22005)
    assert reply == {"ret": 200, "msg": "ok", "cmd_id": 22005, "seq_id": 1, "trace": "sub-tick-1", "data": {}}
    await client.collect(0.2)
    pushes = [f for f in raw_frames(client) if f.get("cmd_id") == 22998]
    assert pushes
    for push in pushes:
        assert set(push) == {"cmd_id", "data"}
        data = push["data"]
        assert set(data) == {*TRADE_FIELDS, "trade_direction"}
        assert all(isinstance(data[k], t) for k, t in TRADE_FIELDS.items())
        assert data["trade_direction"] in (0, 1, 2) and data["code"] == "700.HK"
    await client.close()


async def test_depth_subscription_and_push_shapes(sim):
    server = await sim(clock=frozen_clock())
    client = await WireClient.open(server.ws_url)
    request = {"symbol_list": [{"code": "700.HK", "depth_level": 5}]}
    await send_raw(client, {"cmd_id": SUB_DEPTH, "seq_id": 2, "trace": "sub-depth-1", "data": request})
    reply = await read_until(client, 22003)
    assert reply == {
        "ret": 200,
        "msg": "ok",
        "cmd_id": 22003,
        "seq_id": 2,
        "trace": "sub-depth-1",
        "data": {},
    }
    await client.recv()
    book = raw_frames(client)[-1]
    assert book["cmd_id"] == 22999 and set(book["data"]) == {"code", "seq", "tick_time", "bids", "asks"}
    assert len(book["data"]["bids"]) == len(book["data"]["asks"]) == 5
    assert all(set(level) == {"price", "volume"} for level in book["data"]["bids"])
    await client.close()


@pytest.mark.parametrize("cancel_type", [0, 1, 2])
async def test_cancel_reply_shape(sim, cancel_type):
    server = await sim()
    client = await WireClient.open(server.ws_url)
    await send_raw(
        client, {"cmd_id": CANCEL, "seq_id": 3, "trace": "c", "data": {"cancel_type": cancel_type}}
    )
    reply = await read_until(client, 22007)
    assert reply == {"ret": 200, "msg": "ok", "cmd_id": 22007, "seq_id": 3, "trace": "c", "data": {}}
    await client.close()


async def test_the_official_python_example_runs(sim):
    """Depth of a Hong Kong and a US code on open, then a heartbeat; frames are read with eval()."""
    server = await sim(clock=frozen_clock())
    server.set_rate(300)
    client = await WireClient.open(server.ws_url, token="testtoken")
    symbols = [{"code": "700.HK", "depth_level": 5}, {"code": "UNH.US", "depth_level": 5}]
    await send_raw(
        client, {"cmd_id": SUB_DEPTH, "seq_id": 123, "trace": "asdfsdfa", "data": {"symbol_list": symbols}}
    )
    reply = await read_until(client, 22003)
    assert (reply["ret"], reply["msg"]) == (600, "code invalid")  # UNH.US: another market
    await asyncio.sleep(0.1)
    await send_raw(client, {"cmd_id": HB, "seq_id": 123, "trace": "asdfsdfa", "data": {}})
    assert (await read_until(client, 22001))["ret"] == 200
    await client.collect(0.2)
    books = [f for f in raw_frames(client) if f.get("cmd_id") == 22999]
    assert books and {b["data"]["code"] for b in books} == {"700.HK"}
    for raw, _ in client.frames:
        assert ast.literal_eval(raw if isinstance(raw, str) else raw.decode()) == json.loads(raw)
    await client.close()


async def test_the_official_go_example_runs(sim):
    """A heartbeat, then depth and trades for four codes (two markets) in the same instant."""
    server = await sim(clock=frozen_clock(), request_spacing=1.0)
    server.set_rate(300)
    client = await WireClient.open(server.ws_url)
    symbols = {"symbol_list": [{"code": c} for c in ("GOLD", "AAPL.US", "700.HK", "USDJPY")]}
    await send_raw(client, {"cmd_id": HB, "seq_id": 1, "trace": "hb", "data": {}})
    await send_raw(client, {"cmd_id": SUB_DEPTH, "seq_id": 2, "trace": "depth", "data": symbols})
    await send_raw(client, {"cmd_id": SUB_TRADES, "seq_id": 3, "trace": "trades", "data": symbols})
    replies = {}
    while len(replies) < 3:
        frame = json.loads(await asyncio.wait_for(client.ws.recv(), 2.0))
        if "ret" in frame:
            replies[frame["trace"]] = (frame["cmd_id"], frame["ret"], frame["msg"])
    assert replies == {
        "hb": (22001, 200, "ok"),
        "depth": (22003, 600, "code invalid"),  # the rest (700.HK) is subscribed
        "trades": (22005, 605, "too many requests"),  # a second type in the same second
    }
    await asyncio.sleep(0.3)
    assert server.status()["connections"][0]["depth"] == {"700.HK": 1}
    assert server.status()["connections"][0]["trades"] == []
    await client.close()


async def test_a_heartbeat_next_to_a_subscription_is_no_violation(sim):
    """AllTick's Java example sends a heartbeat and a subscription together."""
    server = await sim(request_spacing=1.0)
    client = await WireClient.open(server.ws_url)
    await send_raw(
        client, {"cmd_id": SUB_TRADES, "seq_id": 1, "trace": "s", "data": {"symbol_list": [{"code": "5.HK"}]}}
    )
    await send_raw(client, {"cmd_id": HB, "seq_id": 2, "trace": "h", "data": {}})
    assert (await read_until(client, 22005))["ret"] == 200
    assert (await read_until(client, 22001))["ret"] == 200
    await client.close()


async def test_everything_queued_before_a_606_arrives_first_in_order(sim):
    server = await sim(clock=frozen_clock(), request_spacing=1.0)
    server.set_rate(5000)
    client = await WireClient.open(server.ws_url)
    await client.send(SUB_TRADES, {"symbol_list": [{"code": "700.HK"}, {"code": "5.HK"}]})
    await asyncio.sleep(0.15)  # pushes pile up in the queue
    seq_id = await client.send(SUB_TRADES, {"symbol_list": [{"code": "700.HK"}]})  # the same request: 606
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await client.recv(timeout=5.0)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
    frames = raw_frames(client)
    assert frames[0]["cmd_id"] == 22005 and frames[0]["ret"] == 200
    assert frames[-1] == {
        "ret": 606,
        "msg": "too many requests and connection will be closed",
        "cmd_id": 22005,
        "seq_id": seq_id,
        "trace": f"tr-{seq_id}",
        "data": {},
    }
    pushes = [f["data"]["seq"] for f in frames[1:-1] if f["data"]["code"] == "700.HK"]
    assert len(frames) > 50 and pushes == sorted(pushes)
    conn = max(server.connection_ledgers)
    assert server.connection_ledgers[conn].count() == len(frames) - 2  # every queued push was sent
