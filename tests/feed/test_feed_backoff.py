"""Reconnect backoff schedule, with a fake monotonic clock."""

from __future__ import annotations

import random

import pytest
from support.clock import FakeClock

from hkdesk.feed.backoff import Backoff
from hkdesk.feed.plans import BASIC, FREE, PREMIUM, Plan


def test_doubles_from_plan_spacing_to_cap_without_jitter():
    b = Backoff(BASIC.reconnect_spacing, cap=30.0, jitter=0.0, clock=FakeClock())
    assert [b.next_delay() for _ in range(7)] == [3.0, 6.0, 12.0, 24.0, 30.0, 30.0, 30.0]


def test_free_plan_starts_at_ten_seconds():
    b = Backoff(FREE.reconnect_spacing, jitter=0.0, clock=FakeClock())
    assert [b.next_delay() for _ in range(3)] == [10.0, 20.0, 30.0]


def test_jitter_stays_within_bounds_and_never_below_plan_minimum():
    rng = random.Random(7)
    seen = []
    for _ in range(200):
        b = Backoff(3.0, cap=30.0, jitter=0.2, rng=rng, clock=FakeClock())
        seen.append([b.next_delay() for _ in range(6)])
    for delays in seen:
        bases = [3.0, 6.0, 12.0, 24.0, 30.0, 30.0]
        for d, base in zip(delays, bases, strict=True):
            assert max(3.0, base * 0.8) <= d <= min(30.0, base * 1.2)
    firsts = {round(d[1], 6) for d in seen}
    assert len(firsts) > 50, "jitter should spread the delays"


def test_seeded_rng_is_reproducible():
    a = Backoff(3.0, rng=random.Random(1), clock=FakeClock())
    b = Backoff(3.0, rng=random.Random(1), clock=FakeClock())
    assert [a.next_delay() for _ in range(5)] == [b.next_delay() for _ in range(5)]


def test_resets_only_after_a_healthy_period():
    clock = FakeClock()
    b = Backoff(3.0, cap=30.0, reset_after=60.0, jitter=0.0, clock=clock)
    assert [b.next_delay() for _ in range(3)] == [3.0, 6.0, 12.0]
    b.healthy()
    clock.now += 59.0  # not long enough
    assert b.next_delay() == 24.0
    b.healthy()
    clock.now += 60.0
    assert b.next_delay() == 3.0
    assert b.next_delay() == 6.0


def test_severe_failure_skips_ahead():
    b = Backoff(3.0, jitter=0.0, clock=FakeClock())
    assert b.next_delay(severe=True) == 12.0
    assert b.next_delay() == 24.0


def test_wall_clock_jump_does_not_matter():
    """Only the injected monotonic clock is read; a healthy spell shorter than reset_after keeps the count."""
    clock = FakeClock()
    b = Backoff(3.0, jitter=0.0, clock=clock)
    b.next_delay()
    b.healthy()
    clock.now += 1.0
    assert b.next_delay() == 6.0


def test_plans_and_validation():
    assert PREMIUM.capacity == 600
    assert Plan.named("Basic") is BASIC
    with pytest.raises(ValueError):
        Plan.named("gold")
    with pytest.raises(ValueError):
        Backoff(5.0, cap=1.0)
