"""FeedClient against a scripted AllTick server on loopback."""

from __future__ import annotations

from feed_fakes import FakeAllTick, min_gap, wait_for
from feed_harness import FAST, Recorder, Running

from hkdesk.feed.status import FeedState


async def test_streams_ticks_and_books_once_per_batch():
    rec = Recorder()
    async with FakeAllTick() as server:
        client = rec.client(server.url)
        client.set_symbols(["700.HK", "9988.HK"])
        client.set_depth_symbols(["700.HK"], depth_level=5)
        async with Running(client):
            await wait_for(lambda: len(rec.ticks) >= 20 and rec.books, what="ticks and books")
            assert client.status.state is FeedState.LIVE
        conn = server.conns[0]
        assert conn.sub_lists(22004)[0] == ["700.HK", "9988.HK"]
        depth = [r for _, r in conn.requests if r["cmd_id"] == 22002]
        assert depth[0]["data"]["symbol_list"] == [{"code": "700.HK", "depth_level": 5}]
    assert all(t.received_at > 0 for t in rec.ticks)
    assert rec.batches <= len(rec.ticks)
    assert client.stats.ticks == len(rec.ticks)
    assert client.status.state is FeedState.CLOSED
    assert min_gap([t for t, _ in conn.requests]) >= FAST.request_spacing - 0.005
