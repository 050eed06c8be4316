"""One desk, one kind of data: a stream of real trades is never fed the simulator, nor the other way."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import nats
import pytest
from deskkit import UpstreamFactory, ticks
from nats.js.errors import KeyNotFoundError
from test_desk_flow import FAST_DESK, PLAN, running_desk

from hkdesk.desk.connection import NatsOptions
from hkdesk.desk.publisher import DeskPublisher
from hkdesk.desk.server import DeskServer
from hkdesk.desk.stream import (
    REAL,
    SIMULATED,
    DeskDataConflict,
    StreamSizing,
    ensure_bucket,
    ensure_stream,
    stream_data,
)
from hkdesk.desk.subjects import DeskNames
from hkdesk.sim.process import start_simulator_process


async def test_an_empty_stream_changes_kind_with_its_latest_quotes_and_a_full_one_is_refused(
    nats_url, desk_name
) -> None:
    nc = await nats.connect(nats_url)
    js, names = nc.jetstream(), DeskNames(desk_name)
    try:
        await ensure_stream(js, names, StreamSizing(), SIMULATED)
        await ensure_bucket(js, names.latest_bucket, ttl=3600)
        latest = await js.key_value(names.latest_bucket)
        await latest.put("close-of-700", b"a simulated day's close")
        await ensure_stream(js, names, StreamSizing(), SIMULATED)  # the same kind again: nothing changes
        assert (await latest.get("close-of-700")).value == b"a simulated day's close"

        await ensure_stream(js, names, StreamSizing(), REAL)  # empty: a real feed takes it over
        info = await js.stream_info(names.stream)
        assert stream_data(info.config.description) == REAL
        with pytest.raises(KeyNotFoundError):
            await latest.get("close-of-700")

        publisher = DeskPublisher(nc, names)
        await publisher.start()
        publisher.publish_ticks(ticks("700.HK", 1, 10))
        assert await publisher.flush(10)
        await publisher.close()
        with pytest.raises(DeskDataConflict, match="holds 10 messages of real data"):
            await ensure_stream(js, names, StreamSizing(), SIMULATED)
        assert (await js.stream_info(names.stream)).state.messages == 10, "nothing of it is touched"
    finally:
        await nc.close()


@pytest.mark.parametrize("command", [("hkdesk", "record"), ("hkdesk.desk", "serve")])
async def test_a_desk_server_on_the_simulator_is_refused_a_desk_of_real_trades(
    tmp_path, nats_url, desk_name, command
) -> None:
    nc = await nats.connect(nats_url)
    names = DeskNames(desk_name)
    publisher = DeskPublisher(nc, names)  # a real feed's desk, as a desk server leaves it
    await publisher.start()
    publisher.publish_ticks(ticks("700.HK", 1, 10))
    assert await publisher.flush(10)
    await publisher.close()
    sim = start_simulator_process(["--seed", "7"])
    try:
        server = subprocess.Popen(
            [
                sys.executable, "-m", *command, "--url", sim.ws_url, "--token", "t",
                "--plan", "professional", "--symbols", "700", "--db", f"sqlite:///{tmp_path / 'd.db'}",
                "--publish", nats_url, "--desk", desk_name,
                *(["--duration", "60"] if command[1] == "record" else []),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
        )  # fmt: skip
        out, err = await asyncio.to_thread(server.communicate, timeout=60)
    finally:
        sim.stop()
    assert server.returncode == 1, out + err
    assert "holds 10 messages of real data" in out + err and "another --desk name" in out + err
    try:
        assert (await nc.jetstream().stream_info(names.stream)).state.messages == 10
    finally:
        await nc.close()


async def test_a_server_of_the_other_kind_is_refused_while_a_leader_streams_into_an_empty_stream(
    nats_url, desk_name
) -> None:
    """Before the open the leader's stream may hold nothing, so its label cannot tell: the
    leader's card does, and a real feed's server is refused rather than relabel it."""
    async with running_desk(desk_name, nats_url, simulated=True):
        real = DeskServer(
            desk=desk_name,
            nats_options=NatsOptions(nats_url),
            plan=PLAN,
            upstream_factory=UpstreamFactory(),
            writer=None,
            timings=FAST_DESK,
        )
        with pytest.raises(DeskDataConflict, match="is led by a server of simulated data"):
            await asyncio.wait_for(real.run(), 20)
        await real.close()
        nc = await nats.connect(nats_url)
        try:
            info = await nc.jetstream().stream_info(DeskNames(desk_name).stream)
            assert stream_data(info.config.description) == SIMULATED, "the label stays the leader's"
        finally:
            await nc.close()
