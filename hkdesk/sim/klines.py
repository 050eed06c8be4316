"""K-lines of every simulated symbol, as AllTick's ``/kline`` types number them.

For the days this simulator runs (from the day it started on), bars are the tape's own:
1-minute bars aggregated from the trades it made, longer intervals rolled up from them, the
daily bar of a finished day from the whole day and today's bar in progress. Before that day,
daily bars are the series' summaries (:meth:`hkdesk.sim.series.DailySeries.summary`), whose
closes are the very previous closes the simulated days start from. An index's summaries are
its basket of its members' summaries.
"""

from __future__ import annotations

from collections import deque
from datetime import date

import numpy as np

from hkdesk.sim.bars import Bar, DayBars, FinishedDay, day_start, month_start, roll_days, week_start
from hkdesk.sim.indices import IndexSet
from hkdesk.sim.series import DailySeries, SummaryBars

KLINE_MINUTES = {1: 1, 2: 5, 3: 15, 4: 30, 5: 60}
DAILY, WEEKLY, MONTHLY = 8, 9, 10
KLINE_TYPES = (*KLINE_MINUTES, DAILY, WEEKLY, MONTHLY)
#: Finished days whose minute bars are kept for intraday K-lines.
KEEP_DAYS = 20

Days = list[tuple[date, Bar]]


class KlineStore:
    """Bars of the simulated days plus the summaries before them."""

    def __init__(self, series: DailySeries, indices: IndexSet, rows: int) -> None:
        self._series = series
        self._indices = indices
        self.first_date: date | None = None
        self.current: DayBars | None = None
        self._finished: deque[FinishedDay] = deque(maxlen=KEEP_DAYS)
        self._daily: list[Days] = [[] for _ in range(rows)]
        self._summaries: dict[tuple[int, int | None], Days] = {}

    def begin(self, day: date, bars: DayBars | None) -> None:
        if self.first_date is None:
            self.first_date = day
        self.current = bars

    def finish(self) -> None:
        """The current day is over: keep its minute bars and its daily bars."""
        if self.current is None:
            return
        finished = self.current.finish()
        self._finished.append(finished)
        for row, bar in enumerate(finished.daily):
            if bar is not None:
                self._daily[row].append((finished.day, bar))
        self.current = None

    def klines(self, row: int, kline_type: int, count: int) -> list[Bar]:
        """The last ``count`` bars of ``kline_type``, oldest first (today's in progress included)."""
        minutes = KLINE_MINUTES.get(kline_type)
        if minutes is not None:
            return self._intraday(row, minutes, count)
        if kline_type == DAILY:
            return [bar for _, bar in self._days(row, count)]
        period = week_start if kline_type == WEEKLY else month_start
        return roll_days(self._days(row, None), period)[-count:]

    def _intraday(self, row: int, minutes: int, count: int) -> list[Bar]:
        out: list[Bar] = []
        days = [self.current.row(row)] if self.current is not None else []
        days += [finished.minutes[row] for finished in reversed(self._finished)]
        for day in days:
            out = day.roll_up(minutes) + out
            if len(out) >= count:
                break
        return out[-count:]

    def _days(self, row: int, count: int | None) -> Days:
        """Daily bars, oldest first: summaries, then the simulated days, then today's so far."""
        simulated = list(self._daily[row])
        if self.current is not None:
            today = self.current.row(row).daily()
            if today is not None:
                simulated.append((self.current.day, today))
        if count is not None and len(simulated) >= count:
            return simulated[-count:]
        wanted = None if count is None else count - len(simulated)
        days = self._summary(row, wanted) + simulated
        return days if count is None else days[-count:]

    def _summary(self, row: int, count: int | None) -> Days:
        if self.first_date is None:
            return []
        key = (row, count)
        cached = self._summaries.get(key)
        if cached is None:
            if row in self._indices.members:
                summary = self._index_summary(row, count)
            else:
                summary = self._series.summary(row, self.first_date, count)
            cached = self._summaries[key] = _as_days(summary)
        return cached

    def _index_summary(self, row: int, count: int | None) -> SummaryBars:
        assert self.first_date is not None
        members = self._indices.members[row]
        parts = [self._series.summary(int(m), self.first_date, count) for m in members]
        if not parts:
            days = self._series.days.days[: self._series.days.before(self.first_date)]
            days = days if count is None else days[-count:]
            flat = np.full(len(days), self._indices.base[row], dtype=np.int64)
            zero = np.zeros(len(days), dtype=np.int64)
            return SummaryBars(days, flat, flat, flat, flat, zero, zero)

        def level(field: str) -> np.ndarray:
            return self._indices.levels(row, np.array([getattr(p, field) for p in parts]))

        o, c = level("open"), level("close")
        top, bottom = np.maximum(o, c), np.minimum(o, c)
        # The members' highs do not all come at once: half their basket's reach beyond the body.
        high = top + ((np.maximum(level("high"), top) - top) // 20) * 10
        low = bottom - ((bottom - np.minimum(level("low"), bottom)) // 20) * 10
        zero = np.zeros(len(o), dtype=np.int64)
        return SummaryBars(parts[0].days, o, high, low, c, zero, zero)


def _as_days(summary: SummaryBars) -> Days:
    columns = (summary.open, summary.high, summary.low, summary.close, summary.volume, summary.turnover)
    return [
        (day, Bar(day_start(day), *values))
        for day, *values in zip(summary.days, *(c.tolist() for c in columns), strict=True)
    ]
