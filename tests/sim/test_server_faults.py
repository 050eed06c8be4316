"""Every fault mode, over real loopback connections (set through the Python API and the control API)."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from simkit import WireClient, frozen_clock, http_get, http_json, trades_of
from websockets.exceptions import ConnectionClosed, InvalidStatus

from hkdesk.feed.alltick import protocol
from hkdesk.sim.faults import FaultError, Faults

SUB_TRADES, HB = 22004, 22000


def codes(*symbols: str) -> dict:
    return {"symbol_list": [{"code": s} for s in symbols]}


async def subscribed(server, *symbols: str, token: str = "t") -> WireClient:
    client = await WireClient.open(server.ws_url, token=token)
    await client.send(SUB_TRADES, codes(*symbols))
    await client.reply(22005)
    return client


async def test_drop_every_aborts_without_close_frame_and_loses_nothing_sent(sim):
    server = await sim(clock=frozen_clock())
    server.set_rate(1000)
    body = await http_json(f"{server.control_url}/fault?drop-every=0.3")
    assert body["faults"]["drop_every"] == 0.3
    for _ in range(2):  # each new connection is dropped again
        client = await subscribed(server, "700.HK", "5.HK")
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await client.recv(timeout=2.0)
        assert closed.value.rcvd is None  # no close frame: a TCP abort
        conn = max(server.connection_ledgers)
        received = [t.seq for t in trades_of(f for _, f in client.frames) if t.symbol == "700.HK"]
        assert received and server.connection_ledgers[conn].seqs("700.HK") == received
    assert server.drops == 2
    server.fault("clear=drop-every")
    client = await subscribed(server, "700.HK")
    assert trades_of(await client.collect(0.5))
    await client.close()


async def test_stall_keeps_the_socket_open_and_silent(sim):
    server = await sim(clock=frozen_clock(), request_spacing=0.0)
    server.set_rate(1000)
    client = await subscribed(server, "700.HK")
    assert trades_of(await client.collect(0.15))
    server.fault("stall")
    await client.drain_quiet(0.1)  # what was already in flight
    await client.send(HB, {})
    assert await client.collect(0.4) == []  # no ticks, no heartbeat reply, no close
    assert server.status()["faults"]["stalled"]
    server.fault("clear=stall")
    await client.send(HB, {})
    await client.reply(22001)
    assert trades_of(await client.collect(0.2))
    await client.close()


async def test_timed_stall_ends_by_itself(sim):
    server = await sim(clock=frozen_clock())
    server.set_rate(1000)
    client = await subscribed(server, "5.HK")
    server.fault("stall=0.3")
    await client.drain_quiet(0.1)
    await asyncio.sleep(0.3)
    assert trades_of(await client.collect(0.3))
    await client.close()


async def test_slow_sending_delays_every_frame(sim):
    server = await sim(clock=frozen_clock())
    server.set_rate(2000)
    fast = await subscribed(server, "700.HK")
    fast_count = len(await fast.collect(0.4))
    await fast.close()
    server.fault("slow=0.05")
    slow = await subscribed(server, "700.HK")
    slow_count = len(await slow.collect(0.4))
    assert fast_count > 200
    assert slow_count <= 10  # at most one frame per 50 ms
    assert server.status()["connections"][0]["queued"] > 0
    await slow.close()


async def test_garbage_frames_of_every_kind_between_valid_ones(sim):
    server = await sim(clock=frozen_clock())
    server.set_rate(200)
    server.fault("garbage=400")
    client = await subscribed(server, "700.HK")
    await client.collect(0.5)
    kinds = Counter()
    for raw, frame in client.frames:
        if isinstance(raw, bytes):
            kinds["binary"] += 1
        elif isinstance(frame, protocol.FrameError):
            kinds[frame.kind] += 1
    assert kinds["binary"] and kinds["malformed"] and kinds["unknown_cmd"] and kinds["invalid"]
    assert trades_of(f for _, f in client.frames)  # valid ticks still arrive
    await client.send(HB, {})
    assert (await client.reply(22001)).ret == 200
    await client.close()


async def test_reject_symbol_answers_600_for_it(sim):
    server = await sim(clock=frozen_clock())
    server.set_rate(500)
    await http_json(f"{server.control_url}/fault?reject-symbol=700.HK")
    client = await WireClient.open(server.ws_url)
    await client.send(SUB_TRADES, codes("700.HK", "5.HK"))
    reply = await client.reply(22005)
    assert (reply.ret, reply.msg) == (600, "code invalid: 700.HK")
    assert {t.symbol for t in trades_of(await client.collect(0.3))} == {"5.HK"}
    await client.close()


async def test_reject_next_refuses_handshakes_with_401(sim):
    server = await sim()
    server.fault("reject-next=2")
    for _ in range(2):
        with pytest.raises(InvalidStatus) as refused:
            await WireClient.open(server.ws_url)
        assert refused.value.response.status_code == 401
    client = await WireClient.open(server.ws_url)
    await client.send(HB, {})
    assert (await client.reply(22001)).ret == 200
    assert server.rejected_handshakes == 2
    await client.close()


async def test_burst_mode_rate_and_validity(sim):
    server = await sim(clock=frozen_clock())
    client = await subscribed(server, "700.HK", "5.HK", "9988.HK", "HSI")
    assert await client.collect(0.2) == []  # frozen exchange time: nothing without a burst
    await http_json(f"{server.control_url}/fault?burst=4000")
    ticks = trades_of(await client.collect(0.5))
    assert len(ticks) > 800
    assert Counter(t.symbol for t in ticks).keys() == {"700.HK", "5.HK", "9988.HK", "HSI"}
    last = {}
    for t in ticks:
        assert t.seq > last.get(t.symbol, 0)
        last[t.symbol] = t.seq
        assert t.turnover == t.price * t.volume
    await client.close()


async def test_control_status_sent_and_drop(sim):
    server = await sim(clock=frozen_clock())
    server.set_rate(1000)
    client = await subscribed(server, "700.HK")
    await client.collect(0.3)
    status = await http_json(f"{server.control_url}/status")
    assert status["connections"][0]["trades"] == ["700.HK"]
    assert status["phase"] == "morning"
    sent = await http_json(f"{server.control_url}/sent?seqs=1")
    entry = sent["symbols"]["700.HK"]
    assert sent["total"] == entry["count"] == len(entry["seqs"]) > 0
    assert entry["seqs"] == server.sent_ticks.seqs("700.HK")[: entry["count"]]
    assert entry["last_seq"] == entry["seqs"][-1]
    await http_json(f"{server.control_url}/drop")
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await client.recv(timeout=2.0)
    assert closed.value.rcvd is None
    await http_json(f"{server.control_url}/sent/reset")
    assert server.sent_ticks.count() == 0
    status, body = await http_get(f"{server.control_url}/fault?bogus=1")
    assert status == 400 and b"unknown fault" in body


def test_fault_specs_parse_and_reject_nonsense():
    faults = Faults()
    faults.apply("drop-every=5", now=0.0)
    faults.apply("stall=2", now=10.0)
    faults.apply("reject-symbol=700.HK", now=0.0)
    faults.apply("reject-next", now=0.0)
    assert faults.drop_every == 5 and faults.stalled(11.0) and not faults.stalled(12.5)
    assert faults.take_reject() and not faults.take_reject()
    faults.clear("drop-every")
    assert faults.drop_every == 0 and faults.reject_symbols == {"700.HK"}
    faults.apply("clear", now=0.0)
    assert faults == Faults()
    for bad in ("explode=1", "slow=-1", "garbage=lots", "reject-symbol"):
        with pytest.raises(FaultError):
            faults.apply(bad, now=0.0)
