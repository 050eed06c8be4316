"""Trading time: exchange time with the lunch break taken out, for windows of N minutes.

A move or a volume surge "within N minutes" is measured in trading minutes, so the lunch break
neither hides a move (11:58 → 13:02 is four trading minutes apart, and a gap at the afternoon
open is a move like any other) nor dilutes a surge (the minutes before lunch are the recent
past of the minutes after it). The clock is milliseconds since the 09:30 open of the Hong Kong
trading day: negative in the pre-opening session, lunch (12:00–13:00) held at 12:00, the
afternoon shifted back by an hour. A half day has no lunch to remove.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from hkdesk.domain.sessions import HK_OFFSET_MS, is_half_day

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MINUTE_MS = 60_000
_OPEN = 9 * HOUR_MS + 30 * MINUTE_MS
_LUNCH = 12 * HOUR_MS
_AFTERNOON = 13 * HOUR_MS
_EPOCH = date(1970, 1, 1)


class TradingDay:
    """One Hong Kong date: its bounds in epoch ms and its trading clock."""

    __slots__ = ("afternoon", "end", "index", "lunch", "open", "start")

    def __init__(self, index: int) -> None:
        self.index = index
        self.start = index * DAY_MS - HK_OFFSET_MS
        self.end = self.start + DAY_MS
        self.open = self.start + _OPEN
        half = is_half_day(_EPOCH + timedelta(days=index))
        #: Start of lunch and of the afternoon session in epoch ms; past the day's end on a half day.
        self.lunch = self.end if half else self.start + _LUNCH
        self.afternoon = self.end if half else self.start + _AFTERNOON

    def trading_ms(self, ts: int) -> int:
        """Trading milliseconds since the open (``ts`` must lie in this day)."""
        if ts < self.lunch:
            return ts - self.open
        if ts < self.afternoon:
            return self.lunch - self.open
        return ts - self.open - HOUR_MS


@lru_cache(maxsize=64)
def trading_day(index: int) -> TradingDay:
    return TradingDay(index)


def day_of(ts: int) -> TradingDay:
    """The Hong Kong date holding exchange time ``ts`` (epoch ms)."""
    return trading_day((ts + HK_OFFSET_MS) // DAY_MS)
