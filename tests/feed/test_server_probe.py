"""Whether the server behind an AllTick URL is hkdesk's simulator, asked before anything is stored."""

from __future__ import annotations

import asyncio

import pytest
from support.fake_alltick import FakeAllTick

from hkdesk.feed import server_probe
from hkdesk.feed.http import HttpError, QuoteHttp
from hkdesk.feed.server_probe import provider_host, reaches_simulator
from hkdesk.sim.server import SimServer


async def test_the_simulator_names_itself_over_plain_http() -> None:
    async with SimServer(seed=3) as sim:
        assert await reaches_simulator(sim.ws_url)


async def test_another_websocket_server_is_not_taken_for_the_simulator() -> None:
    async with FakeAllTick() as fake:
        assert not await reaches_simulator(fake.url)


async def test_a_dead_or_silent_server_counts_as_not_the_simulator() -> None:
    async with SimServer(seed=3) as sim:
        url = sim.ws_url
    assert not await reaches_simulator(url), "nothing listens there any more"

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # never answers; done once the probe hangs up
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        assert not await reaches_simulator(f"ws://127.0.0.1:{port}/quote-stock-b-ws-api", timeout=0.2)
    finally:
        server.close()


async def test_the_providers_own_hosts_are_not_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_connection(*args: object, **kw: object) -> None:
        raise AssertionError("the provider was asked")

    monkeypatch.setattr(server_probe.asyncio, "open_connection", no_connection)
    assert provider_host("wss://quote.alltick.co/quote-stock-b-ws-api")
    assert not provider_host("ws://alltick.co.example.net/ws")
    assert not await reaches_simulator("wss://quote.alltick.co/quote-stock-b-ws-api")


async def test_answers_for_real_data_refuse_the_simulators() -> None:
    """Where the answers are stored as real data, the simulator's HTTP answers are refused (the
    day's bars of a simulator found only after the database was chosen, the desk's closes)."""
    async with SimServer(seed=3) as sim:
        plain = QuoteHttp(sim.ws_url, "t", min_interval=0.0)
        assert (await plain.minute_bars("700.HK")).bars
        assert await plain.previous_closes(["700.HK"])
        guarded = QuoteHttp(sim.ws_url, "t", min_interval=0.0, refuse_simulator=True)
        with pytest.raises(HttpError, match="is hkdesk's simulator"):
            await guarded.minute_bars("700.HK")
        assert await guarded.previous_closes(["700.HK"]) == {}, "left out, as a failed call's"
