"""Hong Kong securities market sessions (pure functions, no I/O).

Hong Kong keeps UTC+8 all year (no daylight saving since 1979), so a fixed offset is exact and
needs no tz database. A full day: pre-opening 09:00–09:30 (auction match at a random moment in
09:20–09:22), morning 09:30–12:00, lunch 12:00–13:00, afternoon 13:00–16:00, closing auction
16:00–16:10 (random close in 16:08–16:10). On the eves of Christmas, New Year and Lunar New
Year the market trades the morning only and runs the closing auction 12:00–12:10; an eve that
falls on a weekend is simply a closed day.

Holidays: weekends, 1 Jan, 25–26 Dec and the first three days of Lunar New Year are closed.
Other public holidays and substitute days are not modelled (add them to ``EXTRA_HOLIDAYS``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from enum import Enum
from typing import NamedTuple

HK_TZ = timezone(timedelta(hours=8), "HKT")
#: Hong Kong time minus UTC in milliseconds (no daylight saving since 1979).
HK_OFFSET_MS = 8 * 3600 * 1000


class Phase(Enum):
    CLOSED = "closed"
    PRE_OPEN = "pre_open"
    MORNING = "morning"
    LUNCH = "lunch"
    AFTERNOON = "afternoon"
    CLOSING_AUCTION = "closing_auction"

    @property
    def is_continuous(self) -> bool:
        return self in (Phase.MORNING, Phase.AFTERNOON)


class SessionSpan(NamedTuple):
    phase: Phase
    start: datetime
    end: datetime


#: First day of Lunar New Year.
LUNAR_NEW_YEAR: dict[int, date] = {
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
}

#: Further full-day closures (public holidays) a user may add.
EXTRA_HOLIDAYS: set[date] = set()

PRE_OPEN_START = time(9, 0)
AUCTION_MATCH_EARLIEST = time(9, 20)
AUCTION_MATCH_LATEST = time(9, 22)
OPEN = time(9, 30)
LUNCH_START = time(12, 0)
LUNCH_END = time(13, 0)
CLOSE = time(16, 0)
CAS_END = time(16, 10)
CAS_RANDOM_CLOSE_EARLIEST = time(16, 8)
HALF_DAY_CAS_END = time(12, 10)
HALF_DAY_RANDOM_CLOSE_EARLIEST = time(12, 8)


def hk_now() -> datetime:
    """The current time in Hong Kong (aware)."""
    return datetime.now(HK_TZ)


def to_hk(dt: datetime) -> datetime:
    """Aware HK datetime; a naive ``dt`` is taken as HK local time."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=HK_TZ)
    return dt.astimezone(HK_TZ)


def from_epoch_ms(ms: int) -> datetime:
    """Hong Kong wall time (aware) of an epoch-millisecond timestamp."""
    return datetime.fromtimestamp(ms / 1000, HK_TZ)


def _lunar_new_year_days(year: int) -> set[date]:
    first = LUNAR_NEW_YEAR.get(year)
    if first is None:
        return set()
    return {first + timedelta(days=i) for i in range(3)}


def is_holiday(day: date) -> bool:
    if (day.month, day.day) in ((1, 1), (12, 25), (12, 26)):
        return True
    return day in _lunar_new_year_days(day.year) or day in EXTRA_HOLIDAYS


def is_trading_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def is_half_day(day: date) -> bool:
    """Eve of Christmas, New Year or Lunar New Year that is itself a trading day."""
    if not is_trading_day(day):
        return False
    if (day.month, day.day) in ((12, 24), (12, 31)):
        return True
    lny = LUNAR_NEW_YEAR.get(day.year)
    return lny is not None and day == lny - timedelta(days=1)


def next_trading_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_trading_day(day):
        day += timedelta(days=1)
    return day


def previous_trading_day(day: date) -> date:
    day -= timedelta(days=1)
    while not is_trading_day(day):
        day -= timedelta(days=1)
    return day


def _at(day: date, t: time) -> datetime:
    return datetime.combine(day, t, HK_TZ)


def session_schedule(day: date) -> list[SessionSpan]:
    """The phases of ``day`` in order, each ``[start, end)``; empty for a closed day."""
    if not is_trading_day(day):
        return []
    spans = [
        SessionSpan(Phase.PRE_OPEN, _at(day, PRE_OPEN_START), _at(day, OPEN)),
        SessionSpan(Phase.MORNING, _at(day, OPEN), _at(day, LUNCH_START)),
    ]
    if is_half_day(day):
        spans.append(SessionSpan(Phase.CLOSING_AUCTION, _at(day, LUNCH_START), _at(day, HALF_DAY_CAS_END)))
        return spans
    spans += [
        SessionSpan(Phase.LUNCH, _at(day, LUNCH_START), _at(day, LUNCH_END)),
        SessionSpan(Phase.AFTERNOON, _at(day, LUNCH_END), _at(day, CLOSE)),
        SessionSpan(Phase.CLOSING_AUCTION, _at(day, CLOSE), _at(day, CAS_END)),
    ]
    return spans


def phase_at(dt: datetime) -> Phase:
    """The market phase at ``dt`` (aware, or naive HK local time)."""
    dt = to_hk(dt)
    for span in session_schedule(dt.date()):
        if span.start <= dt < span.end:
            return span.phase
    return Phase.CLOSED


def continuous_sessions(day: date) -> list[SessionSpan]:
    return [s for s in session_schedule(day) if s.phase.is_continuous]


def random_close_window(day: date) -> tuple[datetime, datetime] | None:
    """When the closing auction may end on ``day`` (None for a closed day)."""
    if not is_trading_day(day):
        return None
    if is_half_day(day):
        return _at(day, HALF_DAY_RANDOM_CLOSE_EARLIEST), _at(day, HALF_DAY_CAS_END)
    return _at(day, CAS_RANDOM_CLOSE_EARLIEST), _at(day, CAS_END)


def auction_match_window(day: date) -> tuple[datetime, datetime] | None:
    """When the pre-opening auction may match on ``day`` (None for a closed day)."""
    if not is_trading_day(day):
        return None
    return _at(day, AUCTION_MATCH_EARLIEST), _at(day, AUCTION_MATCH_LATEST)
