"""A quote source is asked for once and started, stopped and named in one place."""

from __future__ import annotations

import pytest

from hkdesk.feed.plans import Plan
from hkdesk.sources.runner import SourceRunner
from hkdesk.sources.spec import SIM_TOKEN, SourceError, SourceKind, SourceSpec
from hkdesk.sources.token_store import TokenStore


def test_a_url_picks_the_source_and_bad_ones_are_refused() -> None:
    assert SourceSpec.from_url(None).kind is SourceKind.SIMULATOR
    spec = SourceSpec.from_url("wss://quote.example/ws", plan="basic")
    assert spec.kind is SourceKind.ALLTICK and spec.limits().name == "basic"
    assert SourceSpec.from_url("wss://quote.example/ws").limits().name == "free"
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
