"""A quote source is asked for once and started, stopped and named in one place."""

from __future__ import annotations

import socket
from datetime import date
from urllib.parse import urlsplit

import pytest
from support.waits import wait_until

from hkdesk.feed.plans import Plan
from hkdesk.sources.demo_day import resume_args
from hkdesk.sources.runner import SourceRunner
from hkdesk.sources.spec import SIM_TOKEN, SourceError, SourceKind, SourceSpec
from hkdesk.sources.token_store import TokenStore


def test_a_url_picks_the_source_and_bad_ones_are_refused() -> None:
    assert SourceSpec.from_url(None).kind is SourceKind.SIMULATOR
    spec = SourceSpec.from_url("wss://quote.example/ws", plan="basic")
    assert spec.kind is SourceKind.ALLTICK and spec.limits().name == "basic"
    assert SourceSpec.from_url("wss://quote.example/ws").limits().name == "free"
    assert SourceSpec.from_url("nats://desk.example:4222").kind is SourceKind.DESK
    with pytest.raises(SourceError, match="ws:// or wss://"):
        SourceSpec.from_url("http://quote.example/?token=abcdef")
    with pytest.raises(SourceError, match="unknown plan"):
        SourceSpec(SourceKind.ALLTICK, plan="platinum").limits()
    fast = Plan("fast", 10, 1, 0.1)
    assert SourceSpec(plan_limits=fast).limits() is fast


async def test_a_real_feed_without_a_token_is_refused_in_words(monkeypatch) -> None:
    monkeypatch.delenv("HKDESK_TOKEN", raising=False)
    runner = SourceRunner(SourceSpec.from_url("wss://quote.example/ws"), TokenStore(use_keyring=False))
    with pytest.raises(SourceError, match="no AllTick token"):
        await runner.start()


async def test_the_simulator_is_started_and_stopped_as_a_process() -> None:
    runner = SourceRunner(SourceSpec(sim_args=("--seed", "3")), TokenStore(use_keyring=False))
    upstream = await runner.start()
    try:
        assert upstream.simulated and upstream.url.startswith("ws://127.0.0.1:")
        assert upstream.token == SIM_TOKEN and upstream.plan.name == "professional"
        sim = runner.sim
        assert sim is not None and sim.alive()
    finally:
        await runner.stop()
    assert not sim.alive() and runner.sim is None


async def test_a_simulator_that_dies_is_started_again_on_its_port() -> None:
    runner = SourceRunner(
        SourceSpec(sim_args=("--seed", "3")),
        TokenStore(use_keyring=False),
        check_interval=0.05,
        restart_initial=0.05,
    )
    upstream = await runner.start()
    try:
        first = runner.sim
        assert first is not None
        first.process.kill()
        await wait_until(
            lambda: runner.restarts == 1 and runner.sim is not first, timeout=20, what="a restart"
        )
        assert runner.sim is not None and runner.sim.alive() and not first.alive()
        assert runner.sim.ws_url == upstream.url, "same port: the feed just reconnects"
        assert runner.problem == ""
    finally:
        await runner.stop()


async def test_a_restart_on_another_port_hands_the_new_upstream_on(monkeypatch) -> None:
    moved: list[str] = []
    runner = SourceRunner(
        SourceSpec(sim_args=("--seed", "3")),
        TokenStore(use_keyring=False),
        check_interval=0.05,
        restart_initial=0.05,
        on_moved=lambda up: moved.append(up.url),
    )
    upstream = await runner.start()
    try:
        first = runner.sim
        assert first is not None
        first.process.kill()
        first.process.wait()
        blocker = socket.socket()  # someone takes the port while the simulator is down
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", urlsplit(upstream.url).port))
        blocker.listen()
        try:
            await wait_until(lambda: runner.restarts == 1, timeout=30, what="a restart elsewhere")
        finally:
            blocker.close()
        assert moved == [runner.sim.ws_url] != [upstream.url]
    finally:
        await runner.stop()


def test_the_demo_day_goes_on_where_the_database_stopped() -> None:
    friday = date(2026, 12, 4)
    at_1007 = 1_796_350_020_000  # 2026-12-04 10:07:00 in Hong Kong
    assert resume_args(None, friday) == [], "an empty database: the simulator's own default day"
    assert resume_args(at_1007, friday) == ["--date", "2026-12-04", "--start", "10:07:00"]
    assert resume_args(at_1007, date(2026, 12, 6)) == ["--date", "2026-12-04", "--start", "10:07:00"], (
        "on Sunday Friday is still the latest trading day"
    )
    assert resume_args(at_1007, date(2026, 12, 8)) == [], "an older day gives way to a fresh one"
    after_close = at_1007 + (6 * 3600 + 5 * 60) * 1000  # 16:12
    assert resume_args(after_close, friday) == ["--date", "2026-12-07"], "a finished day: the next"
    pre_open = at_1007 - 50 * 60 * 1000  # 09:17, the opening auction
    assert resume_args(pre_open, friday) == ["--date", "2026-12-04", "--start", "09:30:00"]
