"""FeedClient against a scripted AllTick server on loopback."""

from __future__ import annotations

import asyncio

import pytest
from feed_harness import Recorder, Running
from support.fake_alltick import FakeAllTick, min_gap
from support.timings import FEED
from support.waits import wait_until

from hkdesk.feed.status import FeedState, FeedTimings


async def test_streams_ticks_and_books_once_per_batch():
    rec = Recorder()
    async with FakeAllTick() as server:
        client = rec.client(server.url)
        client.set_symbols(["700.HK", "9988.HK"])
        client.set_depth_symbols(["700.HK"], depth_level=5)
        async with Running(client):
            await wait_until(lambda: len(rec.ticks) >= 20 and rec.books, what="ticks and books")
            assert client.status.state is FeedState.LIVE
            assert not client.status.simulator, "an AllTick server is not taken for the simulator"
        conn = server.conns[0]
        assert conn.sub_lists(22004)[0] == ["700.HK", "9988.HK"]
        depth = [r for _, r in conn.requests if r["cmd_id"] == 22002]
        assert depth[0]["data"]["symbol_list"] == [{"code": "700.HK", "depth_level": 5}]
    assert all(t.received_at > 0 for t in rec.ticks)
    assert rec.batches <= len(rec.ticks)
    assert client.stats.ticks == len(rec.ticks)
    assert client.status.state is FeedState.CLOSED
    assert min_gap([t for t, _ in conn.requests]) >= FEED.request_spacing - 0.005


async def test_debounce_collapses_rapid_changes_into_one_whole_list_request():
    rec = Recorder()
    async with FakeAllTick() as server:
        client = rec.client(server.url)
        client.set_symbols(["A.HK"])
        async with Running(client):
            await wait_until(lambda: client.status.state is FeedState.LIVE, what="live")
            client.set_symbols(["A.HK", "B.HK"])
            client.set_symbols(["A.HK", "B.HK", "C.HK"])
            client.set_symbols(["A.HK", "C.HK", "B.HK"])
            await wait_until(lambda: len(server.conns[0].sub_lists()) >= 2, what="second request")
            await asyncio.sleep(FEED.debounce * 5)
            client.set_symbols(["C.HK"])
            await wait_until(lambda: len(server.conns[0].sub_lists()) >= 3, what="third request")
            await asyncio.sleep(FEED.debounce * 5)
        assert server.conns[0].sub_lists() == [["A.HK"], ["A.HK", "C.HK", "B.HK"], ["C.HK"]]
        assert len(server.conns) == 1


async def test_shards_split_by_plan_limit_stay_stable_and_overflow_is_reported():
    rec = Recorder()
    async with FakeAllTick() as server:
        client = rec.client(server.url)  # 3 symbols per connection, 2 connections
        client.set_symbols(["A", "B", "C", "D", "E"])
        async with Running(client):
            await wait_until(
                lambda: len(server.live()) == 2 and all(c.trades for c in server.live()), what="2"
            )
            first, second = server.conns
            assert first.sub_lists() == [["A", "B", "C"]] and second.sub_lists() == [["D", "E"]]
            assert second.opened_at - first.opened_at >= FEED.shard_spacing - 0.005
            client.set_symbols(["A", "B", "C", "D", "E", "F", "G", "H"])
            await wait_until(lambda: len(second.sub_lists()) == 2, what="shard 1 update")
            await asyncio.sleep(0.1)
            assert first.sub_lists() == [["A", "B", "C"]], "shard 0 must not be touched"
            assert second.sub_lists()[-1] == ["D", "E", "F"]
            assert {(s, r) for s, r, _ in rec.symbol_errors} == {("G", 603), ("H", 603)}
            assert client.status.overflow == ("G", "H")
            client.set_symbols(["A", "C", "D", "E", "F", "G"])  # B leaves: G takes its slot on shard 0
            await wait_until(lambda: len(first.sub_lists()) == 2, what="shard 0 update")
            assert first.sub_lists()[-1] == ["A", "C", "G"]
            assert client.status.overflow == ()
        assert len(server.conns) == 2


async def test_request_spacing_holds_and_heartbeats_never_collide_with_subscriptions():
    rec = Recorder()
    async with FakeAllTick() as server:
        client = rec.client(server.url)
        client.set_symbols(["A"])
        async with Running(client):
            await wait_until(lambda: client.status.state is FeedState.LIVE, what="live")
            for i in range(12):  # list changes faster than requests may go out
                client.set_symbols(["A", f"X{i}"])
                await asyncio.sleep(0.035)
            await asyncio.sleep(0.3)
        conn = server.conns[0]
        cmds = conn.cmds()
        assert cmds.count(22000) >= 3 and cmds.count(22004) >= 4
        times = [t for t, _ in conn.requests]
        # the server sees every request at least the spacing after the previous one (less loop jitter)
        assert min_gap(times) >= FEED.request_spacing - 0.01
        assert conn.sub_lists()[-1] == ["A", "X11"]


@pytest.mark.slow
async def test_real_heartbeat_interval_keeps_the_link_alive():
    """Documented timings: one heartbeat after ~10 s, link still live, no reconnect."""
    rec = Recorder()
    timings = FeedTimings(debounce=0.01)
    async with FakeAllTick(tick_interval=0.5) as server:
        client = rec.client(server.url, timings=timings)
        client.set_symbols(["700.HK"])
        async with Running(client):
            await wait_until(lambda: bool(server.conns), what="connection")
            await wait_until(lambda: 22000 in server.conns[0].cmds(), timeout=12, what="first heartbeat")
            await wait_until(lambda: client.stats.rtt_ms is not None, what="rtt")
            conn = server.conns[0]
            hb_at = next(t for t, r in conn.requests if r["cmd_id"] == 22000)
            assert 9.5 <= hb_at - conn.opened_at <= 11.0
            assert client.status.state is FeedState.LIVE and client.stats.reconnects == 0


async def test_depth_is_spread_over_the_sockets_each_symbol_at_its_own_level():
    """Level 1 for the rows' bid and ask, 10 for the ladder; the plan's limit per socket holds."""
    rec = Recorder()
    async with FakeAllTick() as server:
        client = rec.client(server.url)  # three symbols a socket, two sockets
        client.set_symbols(["A", "B", "C", "D"])
        client.set_depth({"A": 1, "B": 1, "C": 10, "D": 1})
        async with Running(client):
            await wait_until(
                lambda: len(server.live()) == 2 and all(c.depth for c in server.live()), what="2"
            )
            sent = sorted(
                (
                    r["data"]["symbol_list"]
                    for c in server.conns
                    for _, r in c.requests
                    if r["cmd_id"] == 22002
                ),
                key=len,
            )
            assert sent == [
                [{"code": "D", "depth_level": 1}],
                [
                    {"code": "A", "depth_level": 1},
                    {"code": "B", "depth_level": 1},
                    {"code": "C", "depth_level": 10},
                ],
            ]

            def depth_requests() -> int:
                return sum(1 for c in server.conns for _, r in c.requests if r["cmd_id"] == 22002)

            before = depth_requests()
            client.set_depth({"A": 10, "B": 1, "C": 1, "D": 1})  # the ladder moves from C to A
            await wait_until(lambda: depth_requests() > before, what="a new list")
            await asyncio.sleep(0.2)
            last = [r for _, r in server.conns[0].requests if r["cmd_id"] == 22002][-1]
            assert last["data"]["symbol_list"][0] == {"code": "A", "depth_level": 10}
            assert depth_requests() == before + 1, "one replace request, on the one socket concerned"
