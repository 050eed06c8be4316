"""Bars aggregated from the simulator's own trades, and rolled up to longer intervals.

:class:`DayBars` keeps one day's 1-minute bars for every symbol row in dense arrays and is fed
the trades as arrays, so a burst of tens of thousands of trades costs a sort and a few
reductions, not a Python loop. A minute bar is exactly the aggregate of the trades made in that
minute (open, high, low, close, volume, turnover); a minute without a trade has no bar. Longer
intervals are rolled up from the minute bars on clock boundaries (Hong Kong time), weeks and
months from daily bars.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

import numpy as np

from hkdesk.domain.sessions import HK_TZ

MINUTES_PER_DAY = 1440


class Bar(NamedTuple):
    timestamp: int  # epoch seconds of the bar's start
    open: int  # milli
    high: int
    low: int
    close: int
    volume: int  # shares
    turnover: int  # milli-dollars


def day_start(day: date) -> int:
    """Epoch seconds of 00:00 in Hong Kong on ``day``."""
    return int(datetime.combine(day, time(0), HK_TZ).timestamp())


@dataclass(frozen=True, slots=True)
class MinuteBars:
    """One row's non-empty minutes of one day, as arrays (minute of the day, then the values)."""

    start: int  # epoch seconds of the day's 00:00
    minutes: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    turnover: np.ndarray

    def roll_up(self, interval: int) -> list[Bar]:
        """Bars of ``interval`` minutes, on clock boundaries, oldest first."""
        if not len(self.minutes):
            return []
        key = self.minutes // interval
        starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
        ends = np.concatenate((starts[1:], [len(key)])) - 1
        columns = (
            self.start + key[starts] * interval * 60,
            self.open[starts],
            np.maximum.reduceat(self.high, starts),
            np.minimum.reduceat(self.low, starts),
            self.close[ends],
            np.add.reduceat(self.volume, starts),
            np.add.reduceat(self.turnover, starts),
        )
        return [Bar(*values) for values in zip(*(c.tolist() for c in columns), strict=True)]

    def daily(self) -> Bar | None:
        bars = self.roll_up(MINUTES_PER_DAY)
        return bars[0] if bars else None


class DayBars:
    """One day's 1-minute bars for every row (dense ``rows x 1440`` arrays)."""

    def __init__(self, day: date, rows: int) -> None:
        self.day = day
        self.start = day_start(day)
        self._base_minute = self.start // 60
        shape = (rows, MINUTES_PER_DAY)
        self.open = np.zeros(shape, dtype=np.int64)
        self.high = np.zeros(shape, dtype=np.int64)
        self.low = np.zeros(shape, dtype=np.int64)
        self.close = np.zeros(shape, dtype=np.int64)
        self.volume = np.zeros(shape, dtype=np.int64)
        self.turnover = np.zeros(shape, dtype=np.int64)
        self.count = np.zeros(shape, dtype=np.int64)

    def add(self, rows: np.ndarray, ts: np.ndarray, price: np.ndarray, volume: np.ndarray) -> None:
        """Aggregate trades (time-ordered arrays; ``ts`` in epoch milliseconds) into their minutes."""
        if not len(rows):
            return
        minute = np.clip(ts // 60_000 - self._base_minute, 0, MINUTES_PER_DAY - 1)
        flat = rows * MINUTES_PER_DAY + minute
        order = np.argsort(flat, kind="stable")
        keys_all = flat[order]
        p = price[order]
        v = volume[order]
        starts = np.flatnonzero(np.concatenate(([True], keys_all[1:] != keys_all[:-1])))
        ends = np.concatenate((starts[1:], [len(keys_all)])) - 1
        keys = keys_all[starts]
        opens, highs, lows = self.open.reshape(-1), self.high.reshape(-1), self.low.reshape(-1)
        closes, counts = self.close.reshape(-1), self.count.reshape(-1)
        fresh = counts[keys] == 0
        opens[keys[fresh]] = p[starts][fresh]
        hi = np.maximum.reduceat(p, starts)
        lo = np.minimum.reduceat(p, starts)
        highs[keys] = np.where(fresh, hi, np.maximum(highs[keys], hi))
        lows[keys] = np.where(fresh, lo, np.minimum(lows[keys], lo))
        closes[keys] = p[ends]
        self.volume.reshape(-1)[keys] += np.add.reduceat(v, starts)
        self.turnover.reshape(-1)[keys] += np.add.reduceat(v * p, starts)
        counts[keys] += ends - starts + 1

    def row(self, row: int) -> MinuteBars:
        minutes = np.flatnonzero(self.count[row])
        return MinuteBars(
            self.start,
            minutes,
            self.open[row, minutes],
            self.high[row, minutes],
            self.low[row, minutes],
            self.close[row, minutes],
            self.volume[row, minutes],
            self.turnover[row, minutes],
        )

    def finish(self) -> FinishedDay:
        rows = [self.row(r) for r in range(self.count.shape[0])]
        return FinishedDay(self.day, rows, [r.daily() for r in rows])


@dataclass(frozen=True, slots=True)
class FinishedDay:
    """A finished day: each row's minute bars (non-empty minutes only) and daily bar."""

    day: date
    minutes: list[MinuteBars]
    daily: list[Bar | None]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def roll_days(days: Sequence[tuple[date, Bar]], period_start: Callable[[date], date]) -> list[Bar]:
    """Daily bars rolled up into periods (``week_start`` or ``month_start``), oldest first."""
    out: list[Bar] = []
    current: Hashable = None
    for day, bar in days:
        key = period_start(day)
        if key != current:
            current = key
            out.append(bar._replace(timestamp=day_start(key)))
            continue
        last = out[-1]
        out[-1] = Bar(
            last.timestamp,
            last.open,
            max(last.high, bar.high),
            min(last.low, bar.low),
            bar.close,
            last.volume + bar.volume,
            last.turnover + bar.turnover,
        )
    return out
