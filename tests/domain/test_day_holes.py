"""Where the chart's day may be missing trades: the morning before the first point until the
provider's minutes are stored, and gaps not filled yet."""

from __future__ import annotations

from datetime import datetime

from hkdesk.domain.day_holes import DayFill, Hole, HoleKind, day_holes, open_of
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.types import Gap


def hk(hh: int, mm: int, ss: int = 0) -> int:
    return int(datetime(2026, 12, 4, hh, mm, ss, tzinfo=HK_TZ).timestamp() * 1000)


def gap(start: int, end: int, filled_at: float = 0.0) -> Gap:
    return Gap("700.HK", start, end, "reconnect", 0.0, filled_at=filled_at)


def test_the_open_is_half_past_nine_hong_kong_time_of_that_day() -> None:
    assert open_of(hk(14, 5)) == hk(9, 30)
    assert open_of(hk(9, 0)) == hk(9, 30)


def test_a_late_first_point_is_a_hole_until_the_day_is_filled() -> None:
    first = hk(10, 50, 12)
    assert day_holes(first, DayFill.PENDING, []) == [Hole(hk(9, 30), first, HoleKind.FETCHING)]
    assert day_holes(first, DayFill.FAILED, []) == [Hole(hk(9, 30), first, HoleKind.NO_DATA)]
    assert day_holes(first, DayFill.NONE, []) == [Hole(hk(9, 30), first, HoleKind.NO_DATA)]
    # filled: the provider's minutes are stored, so a first point after the open is the stock's own
    assert day_holes(first, DayFill.FILLED, []) == []


def test_a_first_point_at_the_open_is_no_hole() -> None:
    assert day_holes(hk(9, 30, 40), DayFill.PENDING, []) == []
    assert day_holes(hk(9, 20), DayFill.NONE, []) == []  # the opening auction
    assert day_holes(None, DayFill.PENDING, []) == []


def test_unfilled_gaps_are_holes_in_time_order_and_filled_ones_are_not() -> None:
    first = hk(9, 30, 5)
    late, early = gap(hk(13, 10), hk(13, 12)), gap(hk(10, 1), hk(10, 4))
    done = gap(hk(11, 0), hk(11, 5), filled_at=1.0)
    assert day_holes(first, DayFill.FILLED, [late, done, early]) == [
        Hole(hk(10, 1), hk(10, 4), HoleKind.GAP),
        Hole(hk(13, 10), hk(13, 12), HoleKind.GAP),
    ]
