"""FeedClient when things go wrong: drops, silence, rate limits, bad tokens, bad codes, garbage."""

from __future__ import annotations

import asyncio
import logging
import time

from feed_harness import Recorder, Running
from support.fake_alltick import SERVER_LOGGER, TOKEN, FakeAllTick
from support.timings import FEED
from support.waits import wait_until

from hkdesk.feed.client import TOKEN_INVALID
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState


def assert_no_gaps_unreported(rec: Recorder, server: FakeAllTick) -> None:
    """Every tick the server sent arrived exactly once, in order, or lies inside a reported gap."""
    got = rec.seqs()
    for code, sent in server.sent.items():
        seqs = got.get(code, [])
        assert seqs == sorted(set(seqs)), f"{code}: duplicates or disorder"
        missing = set(sent) - set(seqs)
        for seq in missing:
            assert any(g.symbol == code and g.start_seq < seq < g.end_seq for g in rec.gaps), (
                f"{code} seq {seq} lost without a gap report"
            )


async def test_reconnects_after_tcp_drop_resubscribes_and_reports_gap():
    rec = Recorder()
    async with FakeAllTick() as server:
        client = rec.client(server.url)
        client.set_symbols(["700.HK", "5.HK"])
        async with Running(client):
            await wait_until(lambda: len(rec.ticks) >= 10, what="ticks")
            first = server.conns[0]
            first.ws.transport.abort()  # no close frame
            await wait_until(lambda: len(server.conns) == 2 and server.conns[1].trades, what="reconnect")
            await wait_until(lambda: len(rec.gaps) == 2, what="gap per symbol")
            n = len(rec.ticks)
            await wait_until(lambda: len(rec.ticks) >= n + 10, what="ticks after reconnect")
        assert server.conns[1].sub_lists()[0] == ["700.HK", "5.HK"]
        assert {g.symbol for g in rec.gaps} == {"700.HK", "5.HK"}
        for gap in rec.gaps:
            assert gap.start_seq < gap.end_seq and gap.start_ts < gap.end_ts
            assert gap.down_at <= gap.up_at
        assert client.stats.reconnects == 1
        assert_no_gaps_unreported(rec, server)
        before = [t for t in rec.ticks if t.seq <= rec.gaps[0].start_seq]
        assert before, "ticks from before the drop were delivered"


async def test_silent_server_is_detected_within_two_heartbeats():
    rec = Recorder()
    async with FakeAllTick() as server:
        client = rec.client(server.url)
        client.set_symbols(["A"])
        async with Running(client):
            await wait_until(lambda: len(rec.ticks) >= 5, what="ticks")
            first = server.conns[0]
            first.silent = True
            silent_at = time.monotonic()
            await wait_until(lambda: first.closed_at is not None, timeout=3, what="dead link closed")
            detected = first.closed_at - silent_at
            await wait_until(lambda: len(server.conns) == 2 and server.conns[1].trades, what="reconnect")
            n = len(rec.ticks)
            await wait_until(lambda: len(rec.ticks) > n, what="ticks again")
        limit = 2 * FEED.heartbeat_interval + FEED.close_timeout + 0.1
        assert detected <= limit, f"took {detected:.3f} s"
        assert server.conns[1].sub_lists()[0] == ["A"]


async def test_606_backs_off_and_never_hammers():
    rec = Recorder()
    plan = Plan("test", symbols_per_connection=3, connections=1, reconnect_spacing=0.05)
    async with FakeAllTick() as server:
        server.reply_to_subscribe = lambda conn, req: {"ret": 606, "msg": "too many requests"}
        client = rec.client(server.url, plan=plan)
        client.set_symbols(["A"])
        async with Running(client):
            await wait_until(lambda: len(server.connect_times) >= 3, timeout=5, what="retries")
            server.reply_to_subscribe = None
            await wait_until(lambda: client.status.state is FeedState.LIVE, timeout=5, what="recovery")
        gaps = [b - a for a, b in zip(server.connect_times, server.connect_times[1:], strict=False)]
        # severe backoff: at least 4 × the plan spacing (less 20 % jitter) between attempts
        assert min(gaps) >= 4 * plan.reconnect_spacing * 0.8 - 0.005
        assert any(s.state is FeedState.BACKING_OFF and "606" in s.reason for s in rec.statuses)


async def test_401_on_upgrade_fails_without_retrying():
    rec = Recorder()
    async with FakeAllTick() as server:
        client = rec.client(server.url, token="wrong-token-123")
        client.set_symbols(["A"])
        task = asyncio.get_running_loop().create_task(client.run())
        await asyncio.wait_for(task, 3)  # run() ends by itself on FAILED
        await asyncio.sleep(0.3)
        assert len(server.connect_times) == 1
        assert client.status.state is FeedState.FAILED
        assert client.status.reason.startswith(TOKEN_INVALID)
        await client.close()
        assert client.status.state is FeedState.FAILED


async def test_401_as_a_frame_fails_without_retrying():
    rec = Recorder()
    async with FakeAllTick() as server:
        server.reject_token_as_frame = True
        client = rec.client(server.url, token="wrong-token-123")
        client.set_symbols(["A"])
        task = asyncio.get_running_loop().create_task(client.run())
        await asyncio.wait_for(task, 3)
        await asyncio.sleep(0.3)
        assert len(server.connect_times) == 1
        assert client.status.state is FeedState.FAILED
        assert client.status.reason == TOKEN_INVALID


async def test_refused_code_is_dropped_alone_reported_and_retried_later():
    rec = Recorder()
    async with FakeAllTick() as server:
        server.invalid_codes = {"BAD.HK"}
        client = rec.client(server.url)
        client.set_symbols(["A.HK", "BAD.HK", "C.HK"])
        async with Running(client):
            await wait_until(lambda: len(rec.seqs().get("C.HK", [])) >= 5, what="good codes streaming")
            assert [(s, r) for s, r, _ in rec.symbol_errors] == [("BAD.HK", 600)]
            assert "BAD.HK" in client.status.rejected
            conn = server.conns[0]
            await wait_until(lambda: len(conn.sub_lists()) >= 3, timeout=3, what="retry of the refused code")
            assert conn.sub_lists()[:3] == [
                ["A.HK", "BAD.HK", "C.HK"],
                ["A.HK", "C.HK"],
                ["A.HK", "BAD.HK", "C.HK"],
            ]
            server.invalid_codes = set()  # e.g. the code was listed later
            await wait_until(lambda: "BAD.HK" in rec.seqs(), timeout=5, what="BAD.HK streaming after retry")
        assert len(server.conns) == 1, "the socket was never torn down"


async def test_unnamed_refusal_is_isolated_by_halving():
    rec = Recorder()
    plan = Plan("test", symbols_per_connection=10, connections=1, reconnect_spacing=0.05)
    async with FakeAllTick() as server:
        server.invalid_codes = {"E"}
        server.name_code_in_error = False
        client = rec.client(server.url, plan=plan)
        client.set_symbols(["A", "B", "C", "D", "E", "F", "G"])
        async with Running(client):
            await wait_until(lambda: rec.symbol_errors, timeout=3, what="culprit found")
            await wait_until(lambda: set(rec.seqs()) == {"A", "B", "C", "D", "F", "G"}, what="others stream")
        assert [(s, r) for s, r, _ in rec.symbol_errors] == [("E", 600)]


async def test_garbage_frames_are_counted_and_good_frames_kept(caplog):
    rec = Recorder()
    garbage = [
        "{not json",
        b"\x00\xff\x10binary",
        '{"cmd_id": 31337, "data": {}}',
        '{"cmd_id": 22998, "data": {"code": "A", "seq": "x", "tick_time": 1, "price": "1", "volume": "1"}}',
        '{"cmd_id": 22998, "data": {"code": "A", "seq": 1, "tick_time": 1700000000000, '
        '"price": "-5", "volume": "1"}}',
        "[]",
    ]
    caplog.set_level(logging.WARNING)
    async with FakeAllTick() as server:
        server.extra_frames = garbage * 3
        client = rec.client(server.url)
        client.set_symbols(["A"])
        async with Running(client):
            await wait_until(lambda: len(rec.ticks) >= 10, what="good ticks")
    bad = client.stats.bad_frames
    assert sum(bad.values()) == 18
    assert bad["malformed"] == 6 and bad["unknown_cmd"] == 3 and bad["invalid"] >= 6
    assert_no_gaps_unreported(rec, server)
    lines = [r for r in caplog.records if "bad frames" in r.getMessage()]
    assert 1 <= len(lines) <= len(bad), "bad frames are logged rate-limited, one line per kind"


async def test_token_never_appears_in_logs_or_status(caplog):
    caplog.set_level(logging.DEBUG)
    rec = Recorder()
    async with FakeAllTick() as server:
        server.invalid_codes = {"BAD"}
        client = rec.client(server.url)
        client.set_symbols(["A", "BAD"])
        async with Running(client):
            await wait_until(lambda: len(rec.ticks) >= 3, what="ticks")
            server.conns[0].ws.transport.abort()
            await wait_until(lambda: len(server.conns) == 2 and server.conns[1].trades, what="reconnect")
        server.token = "another"
        bad = rec.client(server.url)
        bad.set_symbols(["A"])
        await asyncio.wait_for(bad.run(), 3)
    assert bad.status.state is FeedState.FAILED
    ours = [r for r in caplog.records if not r.name.startswith(SERVER_LOGGER)]
    handshakes = [r for r in ours if r.name == "hkdesk.feed.websockets" and "GET " in r.getMessage()]
    assert len(handshakes) == 3 and all("token=***" in r.getMessage() for r in handshakes)
    formatter = logging.Formatter("%(name)s %(message)s")
    for record in ours:
        assert TOKEN not in formatter.format(record)
    for status in [*rec.statuses, client.status, bad.status]:
        assert TOKEN not in repr(status) and TOKEN not in status.text()
    assert all(TOKEN not in m for _, _, m in rec.symbol_errors)
    assert TOKEN not in client.url


async def test_one_shard_dropping_leaves_the_other_untouched():
    rec = Recorder()
    async with FakeAllTick() as server:
        client = rec.client(server.url)
        client.set_symbols(["A", "B", "C", "D", "E"])
        async with Running(client):
            await wait_until(
                lambda: len(server.live()) == 2 and all(c.trades for c in server.live()), what="2"
            )
            shard0, shard1 = server.conns
            await wait_until(lambda: {"A", "D", "E"} <= set(rec.seqs()), what="ticks on both shards")
            n0 = len(shard0.requests)
            shard1.ws.transport.abort()
            await wait_until(lambda: len(server.conns) == 3 and server.conns[2].trades, what="shard 1 back")
            await wait_until(lambda: {"D", "E"} <= {g.symbol for g in rec.gaps}, what="gaps")
            await asyncio.sleep(0.05)
            assert shard0.closed_at is None
            assert [r["cmd_id"] for _, r in shard0.requests[n0:]] == [22000] * (len(shard0.requests) - n0)
            assert server.conns[2].sub_lists() == [["D", "E"]]
        assert {g.symbol for g in rec.gaps} == {"D", "E"}
        assert client.status.state is FeedState.CLOSED


async def test_a_dead_server_is_named_in_words_the_interface_can_translate():
    """Nothing listens on the port: the reason says so plainly, not asyncio's "Connect call
    failed ('127.0.0.1', …)", which no interface language could show."""
    import socket

    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    rec = Recorder()
    client = rec.client(f"ws://127.0.0.1:{port}/quote-stock-b-ws-api")
    client.set_symbols(["700.HK"])
    async with Running(client):
        await wait_until(lambda: client.status.state is FeedState.BACKING_OFF, what="backing off")
        assert client.status.reason == "cannot connect: connection refused"


def test_connection_errors_in_plain_words():
    import errno
    import socket

    from hkdesk.feed.session import _os_error_words

    several = OSError(
        "Multiple exceptions: [Errno 111] Connect call failed ('::1', 9), "
        "[Errno 111] Connect call failed ('127.0.0.1', 9)"
    )
    mixed = OSError(
        "Multiple exceptions: [Errno 111] Connect call failed, [Errno 101] Network is unreachable"
    )
    assert _os_error_words(several) == "connection refused"
    assert _os_error_words(mixed) == "OSError"
    assert (
        _os_error_words(socket.gaierror(socket.EAI_NONAME, "Name or service not known")) == "host not found"
    )
    offline = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    assert _os_error_words(offline) == "network unreachable"
    windows = OSError("Multiple exceptions: [WinError 1225] refused, [WinError 10061] refused")
    assert _os_error_words(windows) == "connection refused", "two codes that say the same"
    assert _os_error_words(OSError("Multiple exceptions: [WinError 10061] a, [WinError 10061] b")) == (
        "connection refused"
    )
    assert _os_error_words(OSError(errno.ENETUNREACH, "Network is unreachable")) == "network unreachable"
    assert _os_error_words(OSError(errno.ETIMEDOUT, "Connection timed out")) == "timed out"
    assert _os_error_words(OSError(errno.EACCES, "Permission denied")) == "Permission denied"
