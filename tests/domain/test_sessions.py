import itertools
from datetime import UTC, date, datetime, time

import pytest

from hkdesk.domain.sessions import (
    HK_TZ,
    Phase,
    hk_now,
    is_half_day,
    is_trading_day,
    next_trading_day,
    phase_at,
    previous_trading_day,
    random_close_window,
    session_schedule,
)

MONDAY = date(2026, 3, 2)


def at(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), HK_TZ)


@pytest.mark.parametrize(
    ("hh", "mm", "ss", "phase"),
    [
        (8, 59, 59, Phase.CLOSED),
        (9, 0, 0, Phase.PRE_OPEN),
        (9, 29, 59, Phase.PRE_OPEN),
        (9, 30, 0, Phase.MORNING),
        (11, 59, 59, Phase.MORNING),
        (12, 0, 0, Phase.LUNCH),
        (12, 59, 59, Phase.LUNCH),
        (13, 0, 0, Phase.AFTERNOON),
        (15, 59, 59, Phase.AFTERNOON),
        (16, 0, 0, Phase.CLOSING_AUCTION),
        (16, 9, 59, Phase.CLOSING_AUCTION),
        (16, 10, 0, Phase.CLOSED),
        (23, 0, 0, Phase.CLOSED),
    ],
)
def test_full_day_boundaries(hh, mm, ss, phase):
    assert phase_at(at(MONDAY, hh, mm, ss)) is phase


def test_timezones_and_naive_input():
    # 01:30 UTC is 09:30 in Hong Kong
    assert phase_at(datetime(2026, 3, 2, 1, 30, tzinfo=UTC)) is Phase.MORNING
    assert phase_at(datetime(2026, 3, 2, 9, 30)) is Phase.MORNING  # naive = HK local
    assert hk_now().utcoffset().total_seconds() == 8 * 3600


def test_weekends_and_holidays_are_closed():
    saturday = date(2026, 3, 7)
    assert not is_trading_day(saturday)
    assert phase_at(at(saturday, 10, 0)) is Phase.CLOSED
    assert session_schedule(saturday) == []
    assert not is_trading_day(date(2026, 12, 25))
    assert not is_trading_day(date(2027, 1, 1))
    assert not is_trading_day(date(2026, 2, 17))  # Lunar New Year day 1
    assert next_trading_day(date(2026, 2, 27)) == MONDAY
    assert previous_trading_day(MONDAY) == date(2026, 2, 27)


@pytest.mark.parametrize(
    "day",
    [date(2025, 12, 24), date(2025, 12, 31), date(2026, 2, 16), date(2025, 1, 28), date(2024, 2, 9)],
)
def test_half_days(day):
    assert is_half_day(day)
    assert phase_at(at(day, 11, 59)) is Phase.MORNING
    assert phase_at(at(day, 12, 0)) is Phase.CLOSING_AUCTION
    assert phase_at(at(day, 12, 9, 59)) is Phase.CLOSING_AUCTION
    assert phase_at(at(day, 12, 10)) is Phase.CLOSED
    assert phase_at(at(day, 14, 0)) is Phase.CLOSED
    phases = [s.phase for s in session_schedule(day)]
    assert phases == [Phase.PRE_OPEN, Phase.MORNING, Phase.CLOSING_AUCTION]
    start, end = random_close_window(day)
    assert (start.time(), end.time()) == (time(12, 8), time(12, 10))


def test_eve_on_a_weekend_is_no_half_day():
    assert not is_half_day(date(2022, 12, 24))  # Saturday
    assert not is_half_day(date(2028, 12, 24))  # Sunday
    assert is_half_day(date(2027, 2, 5))  # Friday before Lunar New Year 2027 (Saturday 6 Feb)
    assert not is_half_day(MONDAY)


def test_full_schedule_is_contiguous_from_nine_to_ten_past_four():
    spans = session_schedule(MONDAY)
    assert [s.phase for s in spans] == [
        Phase.PRE_OPEN,
        Phase.MORNING,
        Phase.LUNCH,
        Phase.AFTERNOON,
        Phase.CLOSING_AUCTION,
    ]
    assert spans[0].start == at(MONDAY, 9, 0) and spans[-1].end == at(MONDAY, 16, 10)
    for a, b in itertools.pairwise(spans):
        assert a.end == b.start
    a, b = random_close_window(MONDAY)
    assert (a.time(), b.time()) == (time(16, 8), time(16, 10))
