"""The stream's own fail-over: a three-node JetStream cluster on loopback, started here; the
node leading the desk's stream is killed while trades flow; publishing and consuming go on,
nothing lost, nothing twice."""

from __future__ import annotations

import asyncio
import contextlib

import nats
import pytest
from deskkit import NatsProcess, Received, UpstreamFactory, free_port, keys, ticks
from support.waits import wait_until

from hkdesk.desk.connection import NatsOptions
from hkdesk.desk.feed import DeskFeed
from hkdesk.desk.feed_status import DeskFeedTimings
from hkdesk.desk.server import DeskServer, DeskTimings
from hkdesk.desk.stream import StreamSizing
from hkdesk.desk.subjects import DeskNames
from hkdesk.feed.plans import Plan

DESK = "cluster"
PLAN = Plan("test", symbols_per_connection=5, connections=1, reconnect_spacing=0.05)


def node_config(name: str, port: int, route_port: int, routes: list[int], store: str) -> str:
    route_list = ", ".join(f'"nats-route://127.0.0.1:{p}"' for p in routes)
    return (
        f'server_name: "{name}"\nlisten: "127.0.0.1:{port}"\n'
        f'jetstream {{ store_dir: "{store}" }}\n'
        f'cluster {{ name: "hkdesk-test", listen: "127.0.0.1:{route_port}", routes: [{route_list}] }}\n'
    )


@pytest.fixture
def cluster(nats_binary, tmp_path):
    ports = [free_port() for _ in range(3)]
    route_ports = [free_port() for _ in range(3)]
    nodes = {}
    for i in range(3):
        name = f"n{i}"
        config = node_config(name, ports[i], route_ports[i], route_ports, str(tmp_path / name))
        nodes[name] = NatsProcess(nats_binary, config, tmp_path, ports[i])
    for node in nodes.values():
        node.start()
    yield nodes
    for node in nodes.values():
        node.stop()


async def stream_ready(url: str, names: DeskNames) -> str:
    """Wait for the cluster to elect leaders; returns the stream leader's node name."""
    nc = await nats.connect(url)
    try:
        for _ in range(200):
            with contextlib.suppress(Exception):
                info = await nc.jetstream().stream_info(names.stream)
                if info.cluster and info.cluster.leader and len(info.cluster.replicas or []) == 2:
                    return info.cluster.leader
            await asyncio.sleep(0.1)
    finally:
        await nc.close()
    raise AssertionError("the stream never got a leader and two replicas")


async def test_killing_the_stream_leader_node_loses_and_repeats_nothing(cluster):
    urls = ",".join(n.url for n in cluster.values())
    options = NatsOptions(urls, reconnect_wait=0.1, ping_interval=0.5, max_outstanding_pings=2)
    factory = UpstreamFactory()
    server = DeskServer(
        desk=DESK,
        nats_options=options,
        plan=PLAN,
        upstream_factory=factory,
        writer=None,
        timings=DeskTimings(demand_lease=10.0, heartbeat=0.2, latest_interval=0.05, ack_timeout=0.5),
        sizing=StreamSizing(replicas=3),
    )
    server_task = asyncio.create_task(server.run())
    feed = None
    try:
        await wait_until(lambda: server.is_leader and factory.made, timeout=60, what="the desk to lead")
        leader = await stream_ready(cluster["n0"].url, DeskNames(DESK))
        received = Received()
        timings = DeskFeedTimings(heartbeat=0.2, demand_refresh=1.0, leader_poll=0.2, backoff_initial=0.05)
        feed = DeskFeed(options, desk=DESK, desktop_id="alice", timings=timings, **received.callbacks())
        feed.set_symbols(["700.HK"])
        feed_task = asyncio.create_task(feed.run())
        await wait_until(lambda: factory.current.symbols == ("700.HK",), timeout=30, what="demand")
        sent = []
        for seq in range(1, 3001, 20):
            batch = ticks("700.HK", seq, 20)
            factory.current.push(batch)
            sent += batch
            if seq == 1001:
                cluster[leader].stop(kill=True)  # SIGKILL the node leading the stream
            await asyncio.sleep(0.01)
        await wait_until(
            lambda: len(received.ticks) >= len(sent), timeout=60, what="every trade after the kill"
        )
        # the live path may have brought every trade while the stream was electing its leader:
        # the stream's copies come once it stands, and must not reach the desktop again
        assert await server.publisher.flush(60)
        await asyncio.sleep(1.0)
        assert keys(received.ticks) == keys(sent)
        assert server.publisher.stats.dropped == 0
        survivor = next(n for name, n in cluster.items() if name != leader)
        assert await stream_ready(survivor.url, DeskNames(DESK)) != leader
        nc = await nats.connect(survivor.url)
        info = await nc.jetstream().stream_info(DeskNames(DESK).stream)
        assert info.cluster.leader not in (None, leader) and info.state.messages == len(sent)
        await nc.close()
    finally:
        if feed is not None:
            await feed.close()
            await feed_task
        await server.close()
        await server_task
