"""Clocks that tell the simulator what time it is on the exchange.

* :class:`DemoClock` always trades: the simulated day (``start_day``, default the latest trading
  day) starts at ``start_time`` (default the 09:30 open) when the clock is created, runs ``speed``
  times faster than the wall clock, skips the lunch break, and after the closing auction jumps
  to just before the next trading day's opening-auction match (09:19). A start after the close
  begins there too.
* :class:`RealtimeClock` follows the real Hong Kong clock (closed outside trading hours).

Both take their time source as a parameter, so tests drive them by hand.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Protocol

from hkdesk.domain.sessions import (
    HK_TZ,
    LUNCH_END,
    LUNCH_START,
    OPEN,
    hk_now,
    is_half_day,
    is_trading_day,
    next_trading_day,
    to_hk,
)


class SimClock(Protocol):
    def now(self) -> datetime:
        """Current exchange time, aware, Hong Kong."""
        ...


class RealtimeClock:
    """The real Hong Kong clock."""

    def __init__(self, now_fn: Callable[[], datetime] = hk_now) -> None:
        self._now_fn = now_fn

    def now(self) -> datetime:
        return to_hk(self._now_fn())

    def __repr__(self) -> str:
        return "RealtimeClock()"


#: Demo timeline of each trading day: the auction match (09:20–09:22) and the random close
#: (16:08–16:10) both fall inside these windows.
_DEMO_PRE_OPEN = time(9, 19)
_DEMO_FULL_END = time(16, 11)
_DEMO_HALF_END = time(12, 11)


def _demo_segments(day: date) -> list[tuple[datetime, datetime]]:
    def at(t: time) -> datetime:
        return datetime.combine(day, t, HK_TZ)

    if is_half_day(day):
        return [(at(_DEMO_PRE_OPEN), at(_DEMO_HALF_END))]
    return [(at(_DEMO_PRE_OPEN), at(LUNCH_START)), (at(LUNCH_END), at(_DEMO_FULL_END))]


def latest_trading_day(day: date) -> date:
    while not is_trading_day(day):
        day -= timedelta(days=1)
    return day


class DemoClock:
    """A compressed exchange clock that is always near trading.

    ``monotonic`` is the wall-time source in seconds (injectable for tests).
    """

    def __init__(
        self,
        speed: float = 1.0,
        start_day: date | None = None,
        start_time: time = OPEN,
        monotonic: Callable[[], float] = _time.monotonic,
    ) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be positive, not {speed}")
        self._speed = float(speed)
        self._monotonic = monotonic
        day = latest_trading_day(start_day or hk_now().date())
        start = datetime.combine(day, start_time, HK_TZ)
        self._day = day
        self._segments = [(max(a, start), b) for a, b in _demo_segments(day) if b > start]
        if not self._segments:
            self._advance_day()
        self._seg = 0
        self._seg_elapsed0 = 0.0  # simulated seconds elapsed when the current segment began
        self._wall0 = monotonic()
        self._elapsed0 = 0.0  # simulated seconds elapsed at ``_wall0``

    @property
    def speed(self) -> float:
        return self._speed

    def set_speed(self, speed: float) -> None:
        """Change speed from now on without a jump in simulated time."""
        if speed <= 0:
            raise ValueError(f"speed must be positive, not {speed}")
        self._elapsed0 = self._elapsed()
        self._wall0 = self._monotonic()
        self._speed = float(speed)

    def _elapsed(self) -> float:
        return self._elapsed0 + (self._monotonic() - self._wall0) * self._speed

    def _advance_day(self) -> None:
        self._day = next_trading_day(self._day)
        self._segments = _demo_segments(self._day)

    def now(self) -> datetime:
        elapsed = self._elapsed()
        while True:
            start, end = self._segments[self._seg]
            length = (end - start).total_seconds()
            offset = elapsed - self._seg_elapsed0
            if offset < length:
                return start + timedelta(seconds=max(offset, 0.0))
            self._seg_elapsed0 += length
            self._seg += 1
            if self._seg == len(self._segments):
                self._advance_day()
                self._seg = 0

    def __repr__(self) -> str:
        return f"DemoClock(speed={self._speed})"


class ManualClock:
    """A clock a test sets by hand."""

    def __init__(self, start: datetime) -> None:
        self._now = to_hk(start)

    def now(self) -> datetime:
        return self._now

    def set(self, dt: datetime) -> None:
        self._now = to_hk(dt)

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
