"""What the desk survives: a NATS restart, a desktop's network drop. Nothing the desk received
is lost, nothing is delivered twice."""

from __future__ import annotations

import asyncio

import pytest
from deskkit import NatsProcess, Received, TcpProxy, UpstreamFactory, free_port, jetstream_config, keys, ticks
from support.waits import wait_until

from hkdesk.desk.connection import NatsOptions
from hkdesk.desk.feed import DeskFeed
from hkdesk.desk.feed_status import DeskFeedTimings
from hkdesk.desk.server import DeskServer, DeskTimings
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState

PLAN = Plan("test", symbols_per_connection=5, connections=1, reconnect_spacing=0.05)
FEED = DeskFeedTimings(heartbeat=0.2, demand_refresh=0.5, leader_poll=0.1, backoff_initial=0.05)
DESK = DeskTimings(demand_lease=5.0, heartbeat=0.2, latest_interval=0.05, ack_timeout=0.5, reconnect_wait=0.1)


def options(url: str) -> NatsOptions:
    return NatsOptions(url, reconnect_wait=0.1, ping_interval=0.5, max_outstanding_pings=2)


async def start_desk(url: str, desk: str) -> tuple[DeskServer, UpstreamFactory, asyncio.Task]:
    factory = UpstreamFactory()
    server = DeskServer(
        desk=desk, nats_options=options(url), plan=PLAN, upstream_factory=factory, writer=None, timings=DESK
    )
    task = asyncio.create_task(server.run())
    await wait_until(lambda: server.is_leader and factory.made, what="the desk to lead")
    return server, factory, task


async def pump(factory: UpstreamFactory, symbol: str, first: int, count: int, every: float = 0.01) -> list:
    sent = []
    for seq in range(first, first + count, 10):
        batch = ticks(symbol, seq, 10)
        factory.current.push(batch)
        sent.extend(batch)
        await asyncio.sleep(every)
    return sent


@pytest.fixture
def own_nats(nats_binary, tmp_path):
    port = free_port()
    server = NatsProcess(nats_binary, jetstream_config(port, tmp_path / "js"), tmp_path, port).start()
    yield server
    server.stop()


async def test_a_nats_restart_loses_nothing_and_repeats_nothing(own_nats):
    server, factory, server_task = await start_desk(own_nats.url, "restart")
    received = Received()
    feed = DeskFeed(
        options(own_nats.url), desk="restart", desktop_id="alice", timings=FEED, **received.callbacks()
    )
    feed.set_symbols(["700.HK"])
    feed_task = asyncio.create_task(feed.run())
    await wait_until(lambda: received.state is FeedState.LIVE and factory.current.symbols, what="live")
    sent = await pump(factory, "700.HK", 1, 200)
    own_nats.stop()
    sent += await pump(factory, "700.HK", 201, 300)  # NATS is down: the desk keeps them
    assert server.publisher.pending > 0
    own_nats.start()
    sent += await pump(factory, "700.HK", 501, 200)
    await wait_until(
        lambda: len(received.ticks) >= len(sent), timeout=30, what="every trade after the restart"
    )
    await asyncio.sleep(0.5)
    assert keys(received.ticks) == keys(sent)  # all, once, in order
    assert server.publisher.stats.dropped == 0
    assert any(s.state is not FeedState.LIVE for s in received.statuses[1:])  # the outage was visible
    await wait_until(lambda: received.state is FeedState.LIVE, what="live again")
    await feed.close()
    await feed_task
    await server.close()
    await server_task


async def test_a_desktop_network_drop_resumes_where_it_stopped(own_nats):
    server, factory, server_task = await start_desk(own_nats.url, "dropdesk")
    proxy = await TcpProxy(own_nats.port).start()
    received = Received()
    feed = DeskFeed(
        options(proxy.url), desk="dropdesk", desktop_id="bob", timings=FEED, **received.callbacks()
    )
    feed.set_symbols(["5.HK", "700.HK"])
    feed_task = asyncio.create_task(feed.run())
    await wait_until(
        lambda: received.state is FeedState.LIVE and len(factory.current.symbols) == 2, what="live"
    )
    sent = []
    for round_ in range(3):
        sent += await pump(factory, "5.HK", 1 + round_ * 300, 150)
        proxy.refusing = True
        proxy.drop()  # the desktop's link goes; trades keep coming at the desk
        sent += await pump(factory, "700.HK", 1 + round_ * 300, 150)
        await asyncio.sleep(0.3)
        proxy.refusing = False
    await wait_until(lambda: len(received.ticks) >= len(sent), timeout=30, what="every trade after the drops")
    await asyncio.sleep(0.5)
    assert sorted(keys(received.ticks)) == sorted(keys(sent)) and len(received.ticks) == len(sent)
    assert feed.stats.reconnects >= 3
    await feed.close()
    await feed_task
    await proxy.close()
    await server.close()
    await server_task


async def test_the_publisher_buffer_is_bounded_and_says_what_it_dropped(own_nats):
    from hkdesk.desk.connection import connect_nats
    from hkdesk.desk.publisher import DeskPublisher
    from hkdesk.desk.subjects import DeskNames

    nc = await connect_nats(options(own_nats.url))
    publisher = DeskPublisher(nc, DeskNames("bounded"), max_buffered=100, ack_timeout=0.3, retry_wait=0.05)
    await publisher.start()
    own_nats.stop()
    await wait_until(lambda: not nc.is_connected, what="the link to drop")
    batch = ticks("700.HK", 1, 300)
    for i in range(0, 300, 30):
        publisher.publish_ticks(batch[i : i + 30])
    assert publisher.stats.dropped == 200 and publisher.pending == 100  # the newest are kept
    own_nats.start()
    assert await publisher.flush(20)
    assert publisher.stats.published == 100 and publisher.stats.dropped == 200
    await publisher.close()
    await nc.close()


async def test_refused_credentials_stop_the_desk_feed_with_the_reason(nats_binary, tmp_path):
    from hkdesk.desk.security import User, server_config

    port = free_port()
    users = [User("alice", "right")]
    listen, store = f"127.0.0.1:{port}", str(tmp_path / "js")
    config = server_config("locked", desk_password="d", desktops=users, listen=listen, store_dir=store)
    server = NatsProcess(nats_binary, config, tmp_path, port).start()
    try:
        received = Received()
        url = f"nats://alice:wrong@127.0.0.1:{port}"
        feed = DeskFeed(url, desk="locked", desktop_id="alice", timings=FEED, **received.callbacks())
        feed.set_symbols(["700.HK"])
        await asyncio.wait_for(feed.run(), 20)  # returns by itself: no retrying a refused password
        assert received.state is FeedState.FAILED and "authorization" in received.statuses[-1].reason.lower()
        assert "wrong" not in received.statuses[-1].reason  # the password stays out of the status
    finally:
        server.stop()


async def test_a_desk_nobody_answers_for_is_named_unreachable_and_tried_again():
    """No NATS on the port: the desktop says so in words the interface translates (not nats-py's
    "NoServersError nats: no servers available for connection") and keeps trying."""
    pytest.importorskip("nats", reason="nats-py is not installed")
    port = free_port()
    received = Received()
    feed = DeskFeed(
        f"nats://u:secret@127.0.0.1:{port}",
        desk="none",
        desktop_id="alice",
        timings=FEED,
        **received.callbacks(),
    )
    feed.set_symbols(["700.HK"])
    task = asyncio.create_task(feed.run())
    try:
        await wait_until(
            lambda: sum(s.state is FeedState.BACKING_OFF for s in received.statuses) >= 2, what="two attempts"
        )
        reasons = {s.reason for s in received.statuses if s.state is FeedState.BACKING_OFF}
        assert reasons == {f"NATS at nats://***@127.0.0.1:{port} unreachable"}, reasons
    finally:
        await feed.close()
        await asyncio.wait_for(task, 5)  # it stops while nothing answers (it used to hang there)


async def test_a_desk_and_a_desktop_started_before_nats_come_up_with_it(nats_binary, tmp_path):
    port = free_port()
    nats_server = NatsProcess(nats_binary, jetstream_config(port, tmp_path / "js"), tmp_path, port)
    factory = UpstreamFactory()
    server = DeskServer(
        desk="late",
        nats_options=options(nats_server.url),
        plan=PLAN,
        upstream_factory=factory,
        writer=None,
        timings=DESK,
    )
    server_task = asyncio.create_task(server.run())
    received = Received()
    feed = DeskFeed(
        options(nats_server.url), desk="late", desktop_id="alice", timings=FEED, **received.callbacks()
    )
    feed.set_symbols(["700.HK"])
    feed_task = asyncio.create_task(feed.run())
    try:
        await asyncio.sleep(1.0)
        assert not server.is_leader and received.state is not FeedState.LIVE
        assert any(s.state is FeedState.BACKING_OFF for s in received.statuses)
        nats_server.start()
        await wait_until(lambda: server.is_leader and factory.made, timeout=20, what="the desk to lead")
        await wait_until(lambda: received.state is FeedState.LIVE and factory.current.symbols, what="live")
        sent = await pump(factory, "700.HK", 1, 50)
        await wait_until(lambda: len(received.ticks) >= len(sent), what="the trades")
        assert keys(received.ticks) == keys(sent)
    finally:
        await feed.close()
        await feed_task
        await server.close()
        await server_task
        nats_server.stop()


async def test_a_desk_server_closed_while_nats_has_no_jetstream_stops(nats_binary, tmp_path):
    """JetStream off: the desk cannot make its stream and says so; a close still ends run()."""
    port = free_port()
    plain = NatsProcess(nats_binary, f'listen: "127.0.0.1:{port}"\n', tmp_path, port).start()
    try:
        server = DeskServer(
            desk="nojs",
            nats_options=NatsOptions(plain.url),
            plan=Plan("test", symbols_per_connection=3, connections=1, reconnect_spacing=0.05),
            upstream_factory=UpstreamFactory(),
            writer=None,
            timings=DeskTimings(reconnect_wait=0.05, ack_timeout=0.2),
        )
        task = asyncio.create_task(server.run())
        await asyncio.sleep(0.5)
        assert not task.done() and not server.is_leader
        await server.close()
        await asyncio.wait_for(task, 5)
    finally:
        plain.stop()


async def test_a_desk_server_closed_while_a_jetstream_request_hangs_stops_at_once(nats_url, desk_name):
    """A JetStream request can wait for its whole timeout (a stream leader being elected): a
    close must not wait for it."""
    server = DeskServer(
        desk=desk_name,
        nats_options=NatsOptions(nats_url),
        plan=Plan("test", symbols_per_connection=3, connections=1, reconnect_spacing=0.05),
        upstream_factory=UpstreamFactory(),
        writer=None,
        timings=DeskTimings(reconnect_wait=0.05, ack_timeout=0.2),
    )
    asked = asyncio.Event()

    async def hanging(nc, publisher) -> bool:
        asked.set()
        await asyncio.sleep(60)
        return True

    server._prepare = hanging  # type: ignore[method-assign]
    task = asyncio.create_task(server.run())
    await asyncio.wait_for(asked.wait(), 10)
    await server.close()
    await asyncio.wait_for(task, 3)
