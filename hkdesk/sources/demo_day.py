"""Where the built-in simulator's demo day goes on, so a restart never draws a day over a stored one.

A simulated day is reproducible: a symbol's trades on a date depend only on the seed, the date
and the symbol. So the simulator is started at the date and time of the newest trade the
source's database holds: the morning it makes again is the one already stored (every trade
the same, stored once), and the day continues from there. A stored day that ended goes on
with the next trading day; one older than the latest trading day gives way to a fresh day.
"""

from __future__ import annotations

from datetime import date, time

from hkdesk.domain.quotes import hk_datetime
from hkdesk.domain.sessions import next_trading_day
from hkdesk.sim.clock import latest_trading_day

OPEN = time(9, 30)
CLOSED = time(16, 10)


def resume_args(newest_ts: int | None, today: date) -> list[str]:
    """Simulator arguments for a database whose newest trade is at ``newest_ts`` (epoch ms)."""
    if newest_ts is None:
        return []
    at = hk_datetime(newest_ts)
    if at.date() < latest_trading_day(today):
        return []  # an older day: today's (or the latest) is a fresh one
    if at.time() >= CLOSED:
        return ["--date", next_trading_day(at.date()).isoformat()]
    start = max(at.time().replace(microsecond=0), OPEN)
    return ["--date", at.date().isoformat(), "--start", start.strftime("%H:%M:%S")]
