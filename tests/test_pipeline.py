"""The pipeline's one guard: a simulator found only in the handshake stores nothing as real data."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import text
from support.timings import FEED, WINDOW_PLAN
from support.waits import wait_until

from hkdesk.domain.types import Tick
from hkdesk.feed.status import FeedState, FeedStatus
from hkdesk.pipeline import Pipeline
from hkdesk.sim.server import SimServer
from hkdesk.sources.upstream import DeskAccess, Upstream
from hkdesk.store.meta import claim_source
from hkdesk.store.writer import BatchWriter


async def test_a_simulator_behind_a_real_feeds_url_stores_nothing_in_its_database(sqlite_url: str) -> None:
    writer = BatchWriter(sqlite_url)
    claim_source(writer.engine, "alltick")
    writer.start()
    found: list[bool] = []
    async with SimServer(seed=3, request_spacing=FEED.request_spacing) as sim:
        upstream = Upstream("AllTick (test)", sim.ws_url, "any-token", WINDOW_PLAN, real_only=True)
        pipeline = Pipeline(upstream, writer=writer, timings=FEED, on_simulator=lambda: found.append(True))
        pipeline.feed.set_symbols(["700.HK", "5.HK"])
        task = asyncio.create_task(pipeline.run())
        try:
            await wait_until(lambda: pipeline.ticks_received >= 20, 20, "trades from the simulator")
        finally:
            await pipeline.close()
            await task
    assert writer.stop(30)
    assert found == [True] and pipeline.writer is None
    assert pipeline.hub.quotes["700.HK"].last is not None, "the trades are still shown, as simulated"
    with writer.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ticks")).scalar_one() == 0
    writer.engine.dispose()


def test_before_the_first_trade_the_exchange_clock_is_ours_only_for_a_real_feed() -> None:
    """A simulator's demo day runs on a date of its own (after midnight in Hong Kong it is not
    today's): its day is the newest bar's until a trade says the time."""
    url = "ws://127.0.0.1:9/ws"
    real = Pipeline(Upstream("AllTick", url, "t", WINDOW_PLAN), writer=None)
    assert abs(real.exchange_now() - time.time() * 1000) < 5_000
    reached = Pipeline(Upstream("AllTick", url, "t", WINDOW_PLAN, simulated=True), writer=None)
    assert reached.exchange_now() is None
    on_desk = Upstream("Shared desk", "nats://127.0.0.1:9", "", WINDOW_PLAN, desk=DeskAccess("d", "me"))
    desk = Pipeline(on_desk, writer=None)
    assert desk.exchange_now() is None, "its leader has not said what its upstream is"
    desk.feed = SimpleNamespace(status=FeedStatus(FeedState.LIVE))  # type: ignore[assignment]
    assert abs(desk.exchange_now() - time.time() * 1000) < 5_000
    desk.feed = SimpleNamespace(status=FeedStatus(FeedState.LIVE, simulator=True))  # type: ignore[assignment]
    assert desk.exchange_now() is None
    desk._ticks([Tick("700.HK", 1, 1_780_000_000_000, Decimal(400), Decimal(100), received_at=time.time())])
    assert abs(desk.exchange_now() - 1_780_000_000_000) < 5_000
