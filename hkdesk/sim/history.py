"""The simulator's daily history before its first simulated day (for /kline and 1d candles).

Closes walk backwards from the first previous close with fat-tailed (Student t) daily
returns at the symbol's volatility; opens, wicks and volumes scatter around them. Prices sit on
the tick grid of their own date, and the last bar closes exactly at that previous close, so
the history joins the live days without a jump.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np

from hkdesk.domain.sessions import HK_TZ, previous_trading_day
from hkdesk.domain.spread import MilliGrid
from hkdesk.sim.params import SymbolParams

#: Degrees of freedom of the daily returns (fat tails).
T_HIST_DOF = 4.0


@dataclass(frozen=True, slots=True)
class DailyBar:
    day: date
    open: int
    high: int
    low: int
    close: int
    volume: int
    turnover: int  # milli-dollars

    @property
    def timestamp(self) -> int:
        """Epoch seconds of the day's start in Hong Kong."""
        return int(datetime.combine(self.day, time(0), HK_TZ).timestamp())


def synthetic_daily_bars(
    p: SymbolParams, rng: np.random.Generator, before: date, days_back: int, prev_close: int
) -> list[DailyBar]:
    """``days_back`` trading days ending the trading day before ``before``, oldest first, the
    last one closing at ``prev_close`` (milli)."""
    days: list[date] = []
    d = before
    for _ in range(days_back):
        d = previous_trading_day(d)
        days.append(d)
    days.reverse()
    n = len(days)
    returns = rng.standard_t(T_HIST_DOF, n) * p.daily_vol / np.sqrt(T_HIST_DOF / (T_HIST_DOF - 2))
    closes = float(prev_close) * np.exp(-np.concatenate((np.cumsum(returns[::-1])[::-1][1:], [0])))
    prev = np.concatenate(([closes[0] * np.exp(-returns[0])], closes[:-1]))
    opens = prev * np.exp(rng.normal(0, 0.3 * p.daily_vol, n))
    wick = np.abs(rng.normal(0, 0.5 * p.daily_vol, (2, n)))
    highs = np.maximum(opens, closes) * np.exp(wick[0])
    lows = np.minimum(opens, closes) * np.exp(-wick[1])
    expected = p.trade_rate * 3.3 * 19800 * max(p.lot, 0)
    volumes = np.round(expected * np.exp(rng.normal(0, 0.3, n)) / max(p.lot, 1)) * max(p.lot, 1)
    bars = []
    for k, day in enumerate(days):
        grid = MilliGrid.for_date(day)
        if p.is_index:
            o, h, lo, c = (int(round(x * 0.1) * 10) for x in (opens[k], highs[k], lows[k], closes[k]))
        else:
            o, c = (grid.floor(int(x)) for x in (opens[k], closes[k]))
            h = grid.floor(int(highs[k]))
            lo = grid.floor(int(lows[k]))
        if k == n - 1:
            c = prev_close
        h, lo = max(h, o, c), min(lo, o, c)
        vol = int(volumes[k])
        vwap = grid.floor(int((h + lo + c) / 3)) if not p.is_index else 0
        bars.append(DailyBar(day, o, h, lo, c, vol, vwap * vol))
    return bars
