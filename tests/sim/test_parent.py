"""The parent watch: a pid that is not (or no longer) our parent stops the simulator."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest

from hkdesk.sim import parent


@pytest.mark.parametrize("platform", [sys.platform, "darwin"])
async def test_a_parent_that_has_gone_stops_the_simulator(monkeypatch, platform):
    monkeypatch.setattr(parent.sys, "platform", platform)
    monkeypatch.setattr(parent, "POLL_INTERVAL", 0.02)
    gone = asyncio.Event()
    stop = parent.watch_parent(os.getppid() + 1_000_000, gone.set)  # no such parent
    await asyncio.wait_for(gone.wait(), 2.0)
    stop()


async def test_a_living_parent_keeps_the_simulator(monkeypatch):
    monkeypatch.setattr(parent.sys, "platform", "darwin")
    monkeypatch.setattr(parent, "POLL_INTERVAL", 0.02)
    gone = asyncio.Event()
    stop = parent.watch_parent(os.getppid(), gone.set)
    await asyncio.sleep(0.2)
    stop()
    assert not gone.is_set() and parent.parent_alive(os.getppid())
