"""Desk tests: the machine's NATS (127.0.0.1:4222) for plain JetStream, own nats-servers where a
test needs a configuration, a restart or a cluster. Every test uses its own desk name."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import re
import shutil
import socket
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import _missing_service

SYSTEM_NATS = "nats://127.0.0.1:4222"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def nats_url() -> str:
    """The machine's NATS server with JetStream."""
    pytest.importorskip("nats", reason="nats-py is not installed (pip install '.[desk]')")
    if not _reachable("127.0.0.1", 4222):
        _missing_service("NATS at 127.0.0.1:4222 is not reachable (run nats-server -js)")
    return SYSTEM_NATS


@pytest.fixture
def nats_binary() -> str:
    """The nats-server program, for tests that start their own servers."""
    pytest.importorskip("nats", reason="nats-py is not installed (pip install '.[desk]')")
    path = shutil.which("nats-server", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))
    if path is None:
        _missing_service("nats-server is not installed (apt-get install nats-server)")
    return path


@pytest.fixture
async def desk_name(nats_url: str) -> AsyncIterator[str]:
    """A fresh desk name; its stream and buckets are deleted afterwards."""
    import nats

    from hkdesk.desk.subjects import DeskNames

    name = f"t{uuid.uuid4().hex[:10]}"
    await _sweep_stale_streams(nats_url)
    yield name
    names = DeskNames(name)
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    for stream in (
        names.stream,
        *(f"KV_{b}" for b in (names.latest_bucket, names.demand_bucket, names.leader_bucket)),
    ):
        with contextlib.suppress(Exception):  # not created by this test
            await js.delete_stream(stream)
    await nc.close()


#: A test's or a benchmark's desk left behind by a run that was killed (its stream reserves 16 GiB
#: of the server's storage, so a few of them starve every later test of JetStream storage).
_STALE = re.compile(r"^(HKDESK_|KV_hkdesk_)(t[0-9a-f]{10}|bench[0-9a-f]{8})(_\w+)?$")
_STALE_AFTER = timedelta(minutes=30)
_swept = False


async def _sweep_stale_streams(url: str) -> None:
    """Once a session: delete test and benchmark desks older than half an hour."""
    global _swept
    if _swept:
        return
    _swept = True
    import nats

    nc = await nats.connect(url)
    js = nc.jetstream()
    now = datetime.now(UTC)
    for info in await js.streams_info():
        created = info.created
        if _STALE.match(info.config.name) and created is not None and now - created > _STALE_AFTER:
            with contextlib.suppress(Exception):
                await js.delete_stream(info.config.name)
    await nc.close()


@pytest.fixture(autouse=True)
async def _drain_loop() -> AsyncIterator[None]:
    """Let closing sockets finish on this loop before the next test."""
    yield
    await asyncio.sleep(0.05)
    gc.collect()
    await asyncio.sleep(0)
