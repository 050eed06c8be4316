"""The AllTick protocol rules, over real loopback WebSocket connections."""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from decimal import Decimal

import pytest
from simkit import SMALL, WireClient, frozen_clock, small_universe, trades_of
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from hkdesk.domain.spread import is_on_grid
from hkdesk.feed.alltick import protocol

HB, SUB_DEPTH, SUB_TRADES, CANCEL = 22000, 22002, 22004, 22006
LOTS = {c: i.lot_size for c, i in small_universe().items()}


def codes(*symbols: str) -> dict:
    return {"symbol_list": [{"code": s} for s in symbols]}


def check_ticks(ticks) -> None:
    last = defaultdict(int)
    for t in ticks:
        assert t.seq > last[t.symbol]
        last[t.symbol] = t.seq
        assert t.turnover == t.price * t.volume
        if t.symbol != "HSI":
            assert is_on_grid(t.price)
            assert t.volume % LOTS[t.symbol] == 0 or (t.direction == 0 and t.volume < LOTS[t.symbol])


async def test_heartbeat_echoes_seq_id_and_trace(sim):
    server = await sim()
    client = await WireClient.open(server.ws_url)
    seq_id = await client.send(HB, {})
    reply = await client.reply(22001)
    assert (reply.ret, reply.msg, reply.seq_id, reply.trace) == (200, "ok", seq_id, f"tr-{seq_id}")
    await client.close()


async def test_trade_subscription_replaces_the_previous_list(sim):
    server = await sim(clock=frozen_clock())
    server.set_rate(2000)
    client = await WireClient.open(server.ws_url)
    await client.send(SUB_TRADES, codes("700.HK", "5.HK"))
    assert (await client.reply(22005)).ret == 200
    first = trades_of(await client.collect(0.3))
    assert {t.symbol for t in first} == {"700.HK", "5.HK"}
    await asyncio.sleep(0.06)
    await client.send(SUB_TRADES, codes("9988.HK"))
    await client.reply(22005)
    after = trades_of(await client.collect(0.3))
    assert after and {t.symbol for t in after} == {"9988.HK"}
    check_ticks(first + after)
    await client.close()


async def test_natural_flow_with_the_demo_clock_is_valid(sim):
    server = await sim(speed=20.0)
    client = await WireClient.open(server.ws_url)
    await client.send(SUB_TRADES, codes(*SMALL))
    await client.reply(22005)
    ticks = trades_of(await client.collect(0.6))
    assert len({t.symbol for t in ticks}) >= 5
    check_ticks(ticks)
    assert any(t.symbol == "HSI" and t.volume == 0 for t in ticks)
    await client.close()


async def test_depth_pushes_precede_and_agree_with_trades(sim):
    server = await sim(clock=frozen_clock())
    server.set_rate(600)
    client = await WireClient.open(server.ws_url)
    await client.send(SUB_DEPTH, {"symbol_list": [{"code": "700.HK", "depth_level": 5}]})
    await client.reply(22003)
    await asyncio.sleep(0.06)
    await client.send(SUB_TRADES, codes("700.HK", "5.HK"))
    await client.reply(22005)
    frames = await client.collect(0.4)
    pairs = 0
    for before, frame in itertools.pairwise(frames):
        if isinstance(frame, protocol.BookPush):
            book = frame.data
            assert len(book.bids) == len(book.asks) == 5
            assert book.bids[0].price < book.asks[0].price
            assert all(is_on_grid(lv.price) for lv in book.bids + book.asks)
            assert [lv.price for lv in book.bids] == sorted((lv.price for lv in book.bids), reverse=True)
        if isinstance(frame, protocol.TradePush) and frame.data.symbol == "700.HK":
            assert isinstance(before, protocol.BookPush) and before.data.symbol == "700.HK"
            tick, book = frame.data, before.data
            if tick.direction == 1:
                assert tick.price == book.asks[0].price
            elif tick.direction == 2:
                assert tick.price == book.bids[0].price
            pairs += 1
    assert pairs > 20
    assert all(t.symbol in ("700.HK", "5.HK") for t in trades_of(frames))
    await client.close()


async def test_cancel_types(sim):
    server = await sim(clock=frozen_clock(), request_spacing=0.02)
    server.set_rate(1000)
    client = await WireClient.open(server.ws_url)
    await client.send(SUB_TRADES, codes("700.HK"))
    await client.reply(22005)
    await asyncio.sleep(0.03)
    await client.send(SUB_DEPTH, {"symbol_list": [{"code": "700.HK", "depth_level": 3}]})
    await client.reply(22003)
    await asyncio.sleep(0.03)
    await client.send(CANCEL, {"cancel_type": 2})
    assert (await client.reply(22007)).ret == 200
    frames = await client.collect(0.2)
    assert not trades_of(frames) and any(isinstance(f, protocol.BookPush) for f in frames)
    await client.send(CANCEL, {"cancel_type": 1})
    await client.reply(22007)
    assert await client.drain_quiet(0.15) == []
    await asyncio.sleep(0.03)
    await client.send(CANCEL, {"cancel_type": 7})
    reply = await client.reply(22007)
    assert (reply.ret, reply.msg) == (400, "request data param invalid")
    await asyncio.sleep(0.03)
    await client.send(SUB_TRADES, codes("5.HK"))
    await client.reply(22005)
    await asyncio.sleep(0.03)
    await client.send(CANCEL, {"cancel_type": 0})
    await client.reply(22007)
    assert trades_of(await client.drain_quiet(0.15)) == []
    await client.close()


async def test_plan_symbol_limit_keeps_the_first_n(sim):
    server = await sim(clock=frozen_clock(), plan="free")
    server.set_rate(2000)
    client = await WireClient.open(server.ws_url)
    await client.send(SUB_TRADES, codes(*SMALL))  # 9 codes, free plan allows 5
    assert (await client.reply(22005)).ret == 200  # extras are dropped silently
    assert server.status()["connections"][0]["trades"] == SMALL[:5]
    ticks = trades_of(await client.collect(0.3))
    assert {t.symbol for t in ticks} == set(SMALL[:5])
    await client.close()


async def test_connections_per_token(sim):
    server = await sim(plan="premium")  # 3 per token
    clients = [await WireClient.open(server.ws_url, token="A") for _ in range(3)]
    extra = await WireClient.open(server.ws_url, token="A")
    reply = await extra.recv()
    assert (reply.ret, reply.msg) == (606, "too many requests and connection will be closed")
    with pytest.raises(ConnectionClosed) as closed:
        await extra.recv()
    assert closed.value.rcvd.code == 1008
    other = await WireClient.open(server.ws_url, token="B")
    await other.send(HB, {})
    assert (await other.reply(22001)).ret == 200
    for c in clients:
        await c.send(HB, {})
        assert (await c.reply(22001)).ret == 200
    assert len(server.status()["connections"]) == 4
    for c in [*clients, other]:
        await c.close()


async def test_strict_spacing_fault_gives_606_and_close_for_any_two_close_requests(sim):
    server = await sim(request_spacing=0.2)
    server.fault("strict-spacing")
    client = await WireClient.open(server.ws_url)
    await client.send(HB, {})
    await client.reply(22001)
    await asyncio.sleep(0.25)
    await client.send(HB, {})  # spaced: fine
    await client.reply(22001)
    seq_id = await client.send(SUB_TRADES, codes("700.HK"))  # too soon, heartbeat or not
    reply = await client.reply(22005)
    assert (reply.ret, reply.seq_id) == (606, seq_id)
    assert reply.msg == "too many requests and connection will be closed"
    with pytest.raises(ConnectionClosed) as closed:
        await client.recv()
    assert closed.value.rcvd.code == 1008


async def test_heartbeat_timeout_closes_quiet_connections_only(sim):
    server = await sim(heartbeat_timeout=0.3, request_spacing=0.02)
    quiet = await WireClient.open(server.ws_url, token="q")
    alive = await WireClient.open(server.ws_url, token="a")
    loop = asyncio.get_running_loop()
    end = loop.time() + 0.8
    while loop.time() < end:
        await alive.send(HB, {})
        await alive.reply(22001)
        await asyncio.sleep(0.1)
    with pytest.raises(ConnectionClosed) as closed:
        await quiet.recv(timeout=1.0)
    assert closed.value.rcvd.reason == "heartbeat timeout"
    await alive.send(HB, {})
    assert (await alive.reply(22001)).ret == 200
    await alive.close()


async def test_unknown_codes_get_600_and_valid_ones_still_flow(sim):
    server = await sim(clock=frozen_clock())
    server.set_rate(500)
    client = await WireClient.open(server.ws_url)
    await client.send(SUB_TRADES, codes("700.HK", "NOPE.HK", "00700"))
    reply = await client.reply(22005)
    assert (reply.ret, reply.msg) == (600, "code invalid")
    ticks = trades_of(await client.collect(0.25))
    assert ticks and {t.symbol for t in ticks} == {"700.HK"}
    await client.close()


async def test_malformed_requests_get_400(sim):
    server = await sim(request_spacing=0.0)
    client = await WireClient.open(server.ws_url)
    for bad in (
        "not json",
        '{"cmd_id":22004,"trace":"x","data":[]}',
        '{"cmd_id":"22000","trace":"x","data":{}}',
    ):
        await client.ws.send(bad)
        reply = await client.reply(0)
        assert (reply.ret, reply.msg) == (400, "request header param invalid")
    await client.ws.send(b"\x00\x01binary")
    assert (await client.reply(0)).ret == 400
    await client.ws.send('{"cmd_id":12345,"seq_id":4,"trace":"u","data":{}}')
    reply = await client.reply(0)
    assert (reply.ret, reply.seq_id, reply.trace) == (400, 4, "u")
    await client.send(SUB_TRADES, {"symbol_list": "700.HK"})
    reply = await client.reply(22005)
    assert (reply.ret, reply.msg) == (400, "request data param invalid")
    await client.send(HB, {})  # the connection survives all of it
    assert (await client.reply(22001)).ret == 200
    await client.close()


async def test_token_is_checked_on_the_handshake(sim):
    server = await sim(token="secret")
    for url in (f"{server.ws_url}?token=wrong", server.ws_url):
        with pytest.raises(InvalidStatus) as refused:
            await connect(url)
        assert refused.value.response.status_code == 401
        assert b'"ret":401' in refused.value.response.body
    client = await WireClient.open(server.ws_url, token="secret")
    await client.send(HB, {})
    assert (await client.reply(22001)).ret == 200
    await client.close()


async def test_ledger_matches_what_the_client_received(sim):
    server = await sim(clock=frozen_clock())
    server.set_rate(3000)
    client = await WireClient.open(server.ws_url)
    await client.send(SUB_TRADES, codes("700.HK", "5.HK", "HSI"))
    await client.reply(22005)
    await asyncio.sleep(0.4)
    server.set_rate(0)
    await client.drain_quiet(0.2)
    received = defaultdict(list)
    for t in trades_of(f for _, f in client.frames):
        received[t.symbol].append(t.seq)
    conn_id = server.status()["connections"][0]["id"]
    summary = server.sent_summary(conn_id, with_seqs=True)
    assert summary["total"] == sum(len(v) for v in received.values()) > 500
    for symbol, seqs in received.items():
        assert summary["symbols"][symbol]["seqs"] == seqs
        assert server.sent_ticks.seqs(symbol) == seqs
        assert seqs == sorted(set(seqs))
    check_ticks(trades_of(f for _, f in client.frames))
    assert Decimal(1)  # Decimal kept for check_ticks arithmetic on Tick fields
    await client.close()
