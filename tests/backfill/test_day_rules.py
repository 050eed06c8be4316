"""The backfill's rules on their own: which provider bars are stored, which gaps they fill, which
spans the app missed, and how often current bars are asked for."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from hkdesk.backfill.day import (
    bars_to_store,
    covers,
    current_every,
    day_of,
    day_start_ms,
    missed_spans,
    trading_around,
)
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.types import Bar, Gap
from hkdesk.feed.http import Klines
from hkdesk.feed.plans import HTTP_LIMITS

DAY = date(2026, 12, 7)
MIN = 60_000


def at(hh: int, mm: int, day: date = DAY) -> int:
    return int(datetime(day.year, day.month, day.day, hh, mm, tzinfo=HK_TZ).timestamp() * 1000)


def bar(start: int, volume: int = 100) -> Bar:
    one = Decimal(1)
    return Bar("700.HK", start, 60, one, one, one, one, Decimal(volume), Decimal(volume), provided=True)


def klines(starts: list[int], in_progress: bool = True) -> Klines:
    return Klines("700.HK", 60, [bar(s) for s in starts], in_progress)


def test_the_day_is_the_newest_bars_unless_the_clock_is_on_a_later_one():
    answer = klines([at(15, 59, date(2026, 12, 4)), at(9, 30), at(9, 31)])
    assert day_of(answer, None) == DAY
    assert day_of(answer, at(10, 0)) == DAY
    assert day_of(answer, at(10, 0, date(2026, 12, 8))) == date(2026, 12, 8)
    assert day_of(klines([]), at(10, 0)) is None


def test_complete_bars_of_the_day_and_of_gaps_reaching_into_the_day_before():
    friday = date(2026, 12, 4)
    starts = [at(15, 58, friday), at(15, 59, friday), at(9, 30), at(9, 31), at(9, 32)]
    answer = klines(starts)  # 09:32 still running
    assert [b.start for b in bars_to_store(answer, DAY, [])] == [at(9, 30), at(9, 31)]
    overnight = Gap("700.HK", at(15, 59, friday) + 5_000, at(9, 30) + 1_000)
    stored = [b.start for b in bars_to_store(answer, DAY, [overnight])]
    assert stored == [at(15, 59, friday), at(9, 30), at(9, 31)]
    finished = klines(starts, in_progress=False)
    assert bars_to_store(finished, DAY, [])[-1].start == at(9, 32)


def test_a_gap_is_covered_when_the_answer_reaches_back_to_it_or_holds_all_there_is():
    gap = Gap("700.HK", at(9, 40) + 30_000, at(9, 45) + 1_000)
    assert covers(klines([at(9, 30), at(9, 50)]), gap)
    assert not covers(klines([]), gap)
    full = klines([at(10, 0) + i * MIN for i in range(500)])
    assert not covers(full, gap)  # 500 bars that start after the gap: the rest was cut off
    assert covers(klines([at(10, 0)]), gap)  # fewer than 500: the provider has nothing earlier


def test_missed_spans_are_the_providers_minutes_after_our_first_that_we_lack():
    provided = [bar(at(9, 30) + i * MIN) for i in range(60)]  # 09:30 .. 10:29
    ours = [at(9, 30) + i * MIN for i in range(10)] + [at(10, 20) + i * MIN for i in range(5)]
    assert missed_spans(ours, provided, [], None) == [(at(9, 40), at(10, 20)), (at(10, 25), at(10, 30))]
    # a reported gap over the first span: filled as that gap, not recorded twice
    gap = Gap("700.HK", at(9, 39) + 50_000, at(10, 20) + 2_000)
    assert missed_spans(ours, provided, [gap], None) == [(at(10, 25), at(10, 30))]
    # before our first stored minute is where the app started, not a hole
    assert missed_spans([at(10, 0)], provided[:31], [], None) == []
    assert missed_spans([], provided, [], None) == []


def test_a_trailing_span_stops_where_this_runs_stream_began():
    provided = [bar(at(9, 30) + i * MIN) for i in range(60)]  # 09:30 .. 10:29
    ours = [at(9, 30) + i * MIN for i in range(10)]  # the app ran until 09:40, then closed
    # the stream came back at 10:26:10: trades of 10:26 on may still be on their way
    assert missed_spans(ours, provided, [], at(10, 26) + 10_000) == [(at(9, 40), at(10, 26))]
    # what the stream has committed since bounds the span
    assert missed_spans([*ours, at(10, 27)], provided, [], at(10, 26) + 10_000) == [(at(9, 40), at(10, 27))]
    # a span that starts after the stream began is not the app being closed
    assert missed_spans([*ours, *range(at(9, 40), at(10, 27), MIN)], provided, [], at(10, 26)) == []


def test_current_bars_keep_the_plans_pace_and_its_daily_cap():
    assert current_every(HTTP_LIMITS["professional"]) == 1.0
    assert current_every(HTTP_LIMITS["basic"]) == 3.0
    # free: 1,000 calls a day, half of them spread over a 6.5 h trading day
    assert 45 < current_every(HTTP_LIMITS["free"]) < 50


def test_current_bars_are_asked_for_while_the_market_trades_and_just_after():
    assert trading_around(at(10, 0))
    assert trading_around(at(12, 1))  # the minute that ended the morning settles
    assert not trading_around(at(12, 30))
    assert not trading_around(at(20, 0))
    assert not trading_around(at(10, 0, date(2026, 12, 6)))  # a Sunday
    assert day_start_ms(DAY) == at(0, 0)
