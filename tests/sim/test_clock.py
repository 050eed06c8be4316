from datetime import UTC, date, datetime, time

import pytest

from hkdesk.domain.sessions import HK_TZ, Phase, phase_at
from hkdesk.sim.clock import DemoClock, ManualClock, RealtimeClock

MONDAY = date(2026, 3, 2)


class FakeWall:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def hk(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), HK_TZ)


def test_demo_clock_starts_at_the_open_and_skips_lunch():
    wall = FakeWall()
    clock = DemoClock(speed=1.0, start_day=MONDAY, monotonic=wall)
    assert clock.now() == hk(MONDAY, 9, 30)
    wall.t += 3600
    assert clock.now() == hk(MONDAY, 10, 30)
    wall.t += 90 * 60  # 12:00 reached: continue at 13:00
    assert clock.now() == hk(MONDAY, 13, 0)
    assert phase_at(clock.now()) is Phase.AFTERNOON


def test_demo_clock_runs_at_speed_and_rolls_to_the_next_trading_day():
    wall = FakeWall()
    clock = DemoClock(speed=60.0, start_day=date(2026, 3, 6), monotonic=wall)  # a Friday
    wall.t += 60  # one hour of exchange time
    assert clock.now() == hk(date(2026, 3, 6), 10, 30)
    # morning left 1.5 h, afternoon 3 h 11 min: then Monday 09:19 (just before the auction match)
    wall.t += (90 + 191) * 60 / 60.0
    assert clock.now() == hk(date(2026, 3, 9), 9, 19)
    wall.t += 11 * 60 / 60.0
    assert clock.now() == hk(date(2026, 3, 9), 9, 30)


def test_demo_clock_half_day_and_weekend_start():
    wall = FakeWall()
    clock = DemoClock(start_day=date(2025, 12, 24), monotonic=wall)  # half day
    wall.t += 2.5 * 3600 + 10 * 60  # through the 12:00-12:11 closing auction
    assert clock.now() == hk(date(2025, 12, 24), 12, 10)
    wall.t += 60 + 1
    assert clock.now().date() == date(2025, 12, 29)  # 25/26 Dec holidays, then the weekend
    saturday = DemoClock(start_day=date(2026, 3, 7), monotonic=FakeWall())
    assert saturday.now() == hk(date(2026, 3, 6), 9, 30)


def test_demo_clock_speed_change_has_no_jump():
    wall = FakeWall()
    clock = DemoClock(speed=2.0, start_day=MONDAY, monotonic=wall)
    wall.t += 30
    before = clock.now()
    clock.set_speed(10.0)
    assert clock.now() == before
    wall.t += 6
    assert (clock.now() - before).total_seconds() == pytest.approx(60)
    with pytest.raises(ValueError):
        clock.set_speed(0)


def test_realtime_and_manual_clocks():
    utc = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    clock = RealtimeClock(now_fn=lambda: utc)
    assert clock.now() == hk(MONDAY, 10, 0)
    manual = ManualClock(hk(MONDAY, 9, 0))
    manual.advance(90)
    assert manual.now() == hk(MONDAY, 9, 1, 30)
