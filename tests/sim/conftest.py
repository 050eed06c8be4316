"""Fixtures for simulator tests: real SimServers on 127.0.0.1 port 0, stopped after the test.

The simulator runs in its own process under ``asyncio.run`` (``hkdesk sim``), never on the Qt
loop, so its async tests run on a plain asyncio loop: this hook, being closer to these tests,
takes precedence over the repository-wide qasync factory.
"""

from __future__ import annotations

import asyncio

import pytest
from simkit import MONDAY, small_universe

from hkdesk.sim.clock import DemoClock
from hkdesk.sim.model import MarketModel
from hkdesk.sim.server import SimServer


def pytest_asyncio_loop_factories(config, item):
    return {"asyncio": asyncio.new_event_loop}


@pytest.fixture
async def sim():
    """``await sim(**SimServer kwargs)`` starts a server; all are stopped after the test."""
    started: list[SimServer] = []

    async def start(**kw) -> SimServer:
        model = kw.pop("model", None) or MarketModel(small_universe(), seed=kw.pop("seed", 1), seq_base=0)
        kw.setdefault("clock", DemoClock(speed=kw.pop("speed", 1.0), start_day=MONDAY))
        kw.setdefault("request_spacing", 0.05)
        kw.setdefault("cycle_interval", 0.01)
        server = SimServer(model, **kw)
        await server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        await server.stop()
