"""The reference data behind the market cap, P/E and dividend yield columns, against the real
simulator's ``/static_info``: fetched in as few calls as the plan allows, stored as the
simulator gave it, read back from the database the next start without a call (but fetched again
the next day); with no provider or a refused call nothing is shown and the log says why once."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable

from hkdesk.app.fundamentals import Fundamentals, Missing, day_start
from hkdesk.domain.static_info import StaticInfo
from hkdesk.domain.symbols import default_universe
from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import HttpLimits
from hkdesk.sim.server import SimServer
from hkdesk.sim.static_info import static_facts
from hkdesk.store import BatchWriter, make_engine

STOCKS = [s for s, info in default_universe().items() if not info.is_index][:12]
UNLISTED = "2800.HK"
#: The free plan's five codes a call, with its interval shrunk for the test.
FREE_FAST = HttpLimits(0.02, 0.02, 5)


def reader(engine):
    async def read(query, *args):
        return await asyncio.to_thread(query, engine, *args)

    return read


async def no_read(query, *args) -> None:
    return None


def collect() -> tuple[dict[str, StaticInfo], Callable[[dict[str, StaticInfo]], None]]:
    got: dict[str, StaticInfo] = {}
    return got, got.update


async def test_fetched_in_few_calls_stored_and_read_back_without_a_call(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'facts.db'}")
    async with SimServer(plan="free", http_window_scale=0.001, request_spacing=0.05) as sim:
        http = QuoteHttp(sim.ws_url, "t", limits=FREE_FAST)
        writer = BatchWriter(engine, spill_dir=tmp_path / "spill")
        got, deliver = collect()
        missing = await Fundamentals(reader(engine), lambda: http, lambda: writer).load(
            [*STOCKS, UNLISTED], deliver
        )
        assert writer.stop(30)
        assert http.transport.answered("/static_info") == math.ceil((len(STOCKS) + 1) / 5)
        assert missing == {UNLISTED: Missing.UNKNOWN}
        assert sorted(got) == sorted(STOCKS)
        for code in STOCKS:
            own = static_facts(sim.model.infos[code])
            facts = got[code]
            assert facts.total_shares == own.total_shares
            assert (facts.eps_ttm, facts.dividend_yield) == (own.eps_ttm, own.dividend_yield)

        # the next start: today's facts come from the database, and the provider is not asked
        again = QuoteHttp(sim.ws_url, "t", limits=FREE_FAST)
        stored, deliver = collect()
        fundamentals = Fundamentals(reader(engine), lambda: again, lambda: None)
        assert await fundamentals.load(STOCKS, deliver) == {}
        assert again.requests == 0
        assert stored == got, "the stored facts are the provider's, digit for digit"
        # what the provider did not know is not asked again the same day
        assert await fundamentals.load([UNLISTED], deliver) == {UNLISTED: Missing.UNKNOWN}
        assert await fundamentals.load([UNLISTED], deliver) == {UNLISTED: Missing.UNKNOWN}
        assert again.transport.answered("/static_info") == 1

        # the next day, yesterday's facts are not fresh enough: asked again
        tomorrow = Fundamentals(reader(engine), lambda: again, lambda: None, now=lambda: time.time() + 86_400)
        fresh, deliver = collect()
        assert await tomorrow.load(STOCKS[:3], deliver) == {}
        assert sorted(fresh) == sorted(STOCKS[:3])
        assert again.transport.answered("/static_info") == 2
    engine.dispose()


async def test_without_a_provider_or_with_a_refused_call_the_log_says_why_once(caplog) -> None:
    caplog.set_level(logging.WARNING, logger="hkdesk.app.fundamentals")
    got, deliver = collect()
    desk = Fundamentals(no_read, lambda: None, lambda: None)
    for _ in range(3):
        assert await desk.load(STOCKS[:2], deliver) == dict.fromkeys(STOCKS[:2], Missing.NO_PROVIDER)
    assert not got
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 1 and "shared desk" in said[0]

    caplog.clear()
    async with SimServer(token="the-right-one", request_spacing=0.05) as sim:
        http = QuoteHttp(sim.ws_url, "a-wrong-one", limits=FREE_FAST)
        refused = Fundamentals(no_read, lambda: http, lambda: None)
        for _ in range(2):
            assert await refused.load(STOCKS, deliver) == dict.fromkeys(STOCKS, Missing.FAILED)
        assert http.requests == 2, "one call a load: the rest is not tried after a refusal"
    assert not got
    said = [r.getMessage() for r in caplog.records if r.name == "hkdesk.app.fundamentals"]
    assert len(said) == 1 and "refused" in said[0]


def test_today_starts_at_midnight_in_hong_kong() -> None:
    # 2026-11-30 00:30 HKT is 2026-11-29 16:30 UTC
    assert day_start(1_795_969_800.0) == 1_795_968_000.0
