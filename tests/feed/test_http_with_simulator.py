"""The HTTP queries against the real simulator in its own process, on the basic plan's limits:
previous closes of a 100-code list in one call, the day's minute bars, current bars of many codes
and types, books, and the facts of a code, known or not."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.symbols import default_universe
from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import BASIC
from hkdesk.sim.process import SimProcess, start_simulator_process

STOCKS = [s for s, info in default_universe().items() if not info.is_index]
#: Codes the simulator does not list (the Tracker Fund first).
UNLISTED = [code for n in range(2800, 3000) if (code := f"{n}.HK") not in default_universe()]
UNKNOWN = UNLISTED[: 100 - len(STOCKS)]


@pytest.fixture(scope="module")
def sim() -> SimProcess:
    with start_simulator_process(["--start", "11:00", "--plan", "basic"]) as process:
        yield process


def hk_day(start_ms: int):
    return datetime.fromtimestamp(start_ms / 1000, HK_TZ).date()


async def test_previous_closes_of_a_100_code_list_in_one_call(sim):
    http = QuoteHttp.for_plan(sim.ws_url, "t", BASIC)
    starts = await http.previous_closes(STOCKS + UNKNOWN)
    assert http.transport.answered("/batch-kline") == 1, "100 items fit one call on the basic plan"
    assert sorted(starts) == sorted(STOCKS), "codes the simulator does not know are left out"
    for code in ("700.HK", "5.HK", "9988.HK"):
        daily = (await http.transport.get("/kline", {"code": code, "kline_type": 8, "query_kline_num": 2}))[
            "kline_list"
        ]
        yesterday, today = daily
        assert starts[code].previous_close == Decimal(yesterday["close_price"])
        assert starts[code].today is not None and starts[code].today.open == Decimal(today["open_price"])
        assert starts[code].today.high == Decimal(today["high_price"])
    # one more code than a call holds: two calls
    again = QuoteHttp.for_plan(sim.ws_url, "t", BASIC)
    await again.previous_closes([*STOCKS, *UNKNOWN, UNLISTED[-1]])
    assert again.transport.answered("/batch-kline") == 2


async def test_the_days_minute_bars_from_the_open(sim):
    http = QuoteHttp.for_plan(sim.ws_url, "t", BASIC)
    day = await http.minute_bars("700.HK", now_ms=0)
    assert day.in_progress and day.complete == day.bars[:-1]
    first, last = day.bars[0], day.bars[-1]
    assert hk_day(first.start) == hk_day(last.start)
    assert datetime.fromtimestamp(first.start / 1000, HK_TZ).time() < datetime(1, 1, 1, 9, 31).time()
    assert all(b.provided and b.interval_s == 60 and b.volume > 0 for b in day.bars)
    assert [b.start for b in day.bars] == sorted({b.start for b in day.bars})
    over = await http.minute_bars("700.HK", now_ms=last.start + 60_000)
    assert not over.in_progress and over.complete[-1].start >= last.start


async def test_current_bars_of_many_codes_and_types_in_one_call(sim):
    http = QuoteHttp.for_plan(sim.ws_url, "t", BASIC)
    found = await http.current_bars(["700.HK", "5.HK", "2800.HK"], (1, 8), count=2)
    assert http.transport.answered("/batch-kline") == 1
    assert sorted(found) == [("5.HK", 1), ("5.HK", 8), ("700.HK", 1), ("700.HK", 8)]
    minutes, days = found[("700.HK", 1)], found[("700.HK", 8)]
    assert len(minutes.bars) == 2 and minutes.interval_s == 60
    assert minutes.bars[1].start - minutes.bars[0].start >= 60_000
    assert days.interval_s == 86_400 and days.bars[-1].close == minutes.bars[-1].close


async def test_books_are_shaped_like_the_pushed_ones(sim):
    http = QuoteHttp.for_plan(sim.ws_url, "t", BASIC)
    books = await http.books(["700.HK", "5.HK", "HSI"])
    assert sorted(books) == ["5.HK", "700.HK"], "an index has no book"
    book = books["700.HK"]
    assert len(book.bids) == len(book.asks) == 10 and book.received_at > 0
    assert [lv.price for lv in book.bids] == sorted((lv.price for lv in book.bids), reverse=True)
    assert [lv.price for lv in book.asks] == sorted(lv.price for lv in book.asks)
    assert book.bids[0].price < book.asks[0].price and book.bids[0].volume > 0
    assert isinstance(book.bids[0].price, Decimal)


async def test_static_info_of_a_listed_code_and_of_codes_the_feed_does_not_know(sim):
    http = QuoteHttp.for_plan(sim.ws_url, "t", BASIC)
    answer = await http.static_info(["700.HK", "2800.HK"])
    assert answer.unknown == ["2800.HK"]
    info = answer.found["700.HK"]
    assert (info.name_en, info.name_cn, info.lot_size) == ("TENCENT", "腾讯控股", 100)
    assert (info.currency, info.exchange) == ("HKD", "SEHK")
    assert info.total_shares and info.total_shares > 0 and info.total_shares % 100 == 0
    assert info.eps_ttm and info.eps_ttm > 0 and info.dividend_yield is not None and info.bps
    last = Decimal("400")
    assert info.market_cap(last) == last * info.total_shares
    assert info.pe_ratio(last) == last / info.eps_ttm
    # a call of unknown codes only is refused whole (600): reported per code, not raised
    alone = await http.static_info(["2800.HK", "2801.HK"])
    assert (alone.found, alone.unknown) == ({}, ["2800.HK", "2801.HK"])
