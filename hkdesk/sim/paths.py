"""One simulated trading day, precomputed at the start of the day with numpy.

The day is a per-second grid from the 09:30 open to the end of the last continuous session.
For every symbol it holds the best bid and ask (in milli-dollars, on the HKEX grid); trades are
later drawn against it. Precomputing keeps the per-trade work to a table look-up.

The price model: two common factors (the broad market and China tech) plus a fat-tailed
idiosyncratic part, with per-second variance following the intraday activity U-curve (busy
open, quiet midday, pick-up into the close), an opening gap, rare news jumps, and the
volatility control mechanism (VCM) applied on top.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from hkdesk.domain.sessions import (
    HK_TZ,
    OPEN,
    auction_match_window,
    continuous_sessions,
    random_close_window,
)
from hkdesk.domain.spread import MAX_MILLI, MIN_MILLI, MilliGrid
from hkdesk.sim.params import MARKET_VOL, TECH_VOL, SymbolParams

#: Share of the daily variance taken by the opening gap (the rest is spread over the sessions).
GAP_SHARE = 0.15
#: Average board lots per trade (geometric sizes plus occasional blocks), for auction sizing.
MEAN_LOTS = 3.3
#: Student-t degrees of freedom of the per-second shocks (fat tails).
T_DOF = 4.0
STOCK_JUMP_PROB = 0.02
MARKET_JUMP_PROB = 0.03

VCM_THRESHOLD = 0.10
VCM_LOOKBACK_S = 300
VCM_COOLING_S = 300
VCM_QUIET_START_S = 900
VCM_LAST_TRIGGER_BEFORE_END_S = 1200


@dataclass(frozen=True, slots=True)
class VcmTrigger:
    symbol: str
    start_ms: int
    end_ms: int
    reference: int  # milli
    lower: int
    upper: int


@dataclass(slots=True)
class DayPlan:
    day: date
    t0: float  # epoch seconds of the 09:30 open (index 0 of the grid)
    seconds: int  # grid covers [t0, t0 + seconds]
    sessions: list[tuple[float, float]]  # continuous sessions, epoch seconds
    activity: np.ndarray  # (seconds + 1,) relative trade intensity, mean 1 while trading
    activity_cum: np.ndarray  # (seconds + 2,) running integral of ``activity``
    bid: np.ndarray  # (symbols, seconds + 1) int64 milli; for an index: the index level
    ask: np.ndarray
    prev_close: np.ndarray  # (symbols,) int64 milli
    open_price: np.ndarray
    close_price: np.ndarray
    open_volume: np.ndarray  # shares
    close_volume: np.ndarray
    open_match: float  # epoch seconds of the opening-auction match
    close_match: float  # epoch seconds of the random close
    vcm: list[VcmTrigger] = field(default_factory=list)

    def index_at(self, t: float) -> int:
        return int(min(max(t - self.t0, 0.0), self.seconds))


def activity_profile(day: date) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Relative trade intensity per second from 09:30, zero outside continuous sessions.

    Returns the profile and the continuous sessions as ``(start, end)`` second offsets.
    """
    open_dt = datetime.combine(day, OPEN, HK_TZ)
    spans = [
        (int((s.start - open_dt).total_seconds()), int((s.end - open_dt).total_seconds()))
        for s in continuous_sessions(day)
    ]
    total = spans[-1][1]
    a = np.zeros(total + 1)
    last = len(spans) - 1
    for k, (start, end) in enumerate(spans):
        minutes = (np.arange(start, end) - start) / 60.0
        to_end = (end - np.arange(start, end)) / 60.0
        if k == 0:
            shape = 0.55 + 2.8 * np.exp(-minutes / 9.0) + 0.35 * np.exp(-minutes / 45.0)
        else:
            shape = 0.62 + 0.9 * np.exp(-minutes / 7.0)
        if k == last:
            shape = shape + 1.5 * np.exp(-to_end / 14.0) + 0.5 * np.exp(-to_end / 4.0)
        a[start:end] = shape
    a /= a[a > 0].mean()
    return a, spans


def snap_bid(milli: np.ndarray, grid: MilliGrid) -> np.ndarray:
    """Largest grid price at or below each value (``milli`` float or int), kept inside the table."""
    uppers = np.asarray(grid.uppers, dtype=np.int64)
    ticks = np.asarray(grid.ticks, dtype=np.int64)
    v = np.clip(np.floor(milli), MIN_MILLI, MAX_MILLI - ticks[-1]).astype(np.int64)
    i = np.minimum(np.searchsorted(uppers, v, side="left"), len(ticks) - 1)
    lower = np.where(i > 0, uppers[np.maximum(i - 1, 0)], 0)
    t = ticks[i]
    return lower + (v - lower) // t * t


def next_up(bid: np.ndarray, grid: MilliGrid) -> np.ndarray:
    """The grid price one step above each (on-grid) bid."""
    uppers = np.asarray(grid.uppers, dtype=np.int64)
    ticks = np.asarray(grid.ticks, dtype=np.int64)
    i = np.minimum(np.searchsorted(uppers, bid, side="right"), len(ticks) - 1)
    return bid + ticks[i]


def snap_ceil(milli: float, grid: MilliGrid) -> int:
    floor = grid.floor(int(np.floor(milli)))
    return floor if floor >= milli else grid.up(floor)


def find_vcm(
    fair: np.ndarray,
    spans: list[tuple[int, int]],
    threshold: float = VCM_THRESHOLD,
    lookback: int = VCM_LOOKBACK_S,
    cooling: int = VCM_COOLING_S,
    quiet_start: int = VCM_QUIET_START_S,
    last_before_end: int = VCM_LAST_TRIGGER_BEFORE_END_S,
) -> list[tuple[int, int, float]]:
    """Apply the VCM to one price path in place; return ``(start, end, reference)`` per trigger.

    A move beyond ``threshold`` from the price ``lookback`` seconds earlier starts a cooling-off
    period of ``cooling`` seconds in which the price is held inside the band around that
    reference. At most one trigger per session, none in the first ``quiet_start`` seconds of a
    session, none in the last ``last_before_end`` seconds of the day's final session.
    """
    out: list[tuple[int, int, float]] = []
    last = len(spans) - 1
    for k, (start, end) in enumerate(spans):
        first = start + max(quiet_start, lookback)
        stop = end - last_before_end if k == last else end
        if stop <= first:
            continue
        t = np.arange(first, stop)
        ratio = fair[t] / fair[t - lookback]
        hits = np.nonzero(np.abs(ratio - 1.0) > threshold)[0]
        if not len(hits):
            continue
        trigger = int(t[hits[0]])
        reference = float(fair[trigger - lookback])
        until = min(trigger + cooling, end)
        np.clip(
            fair[trigger:until],
            reference * (1 - threshold),
            reference * (1 + threshold),
            out=fair[trigger:until],
        )
        out.append((trigger, until, reference))
    return out


def _student(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.standard_t(T_DOF, size=shape) / np.sqrt(T_DOF / (T_DOF - 2.0))


def _epoch(day: date, seconds_from_open: float) -> float:
    return datetime.combine(day, OPEN, HK_TZ).timestamp() + seconds_from_open


def plan_day(
    day: date,
    params: list[SymbolParams],
    prev_close: np.ndarray,
    seed: int,
) -> DayPlan:
    """Draw the whole of ``day`` for every symbol; ``prev_close`` is in milli, one per symbol."""
    rng = np.random.default_rng([seed & 0xFFFFFFFF, day.toordinal()])
    grid = MilliGrid.for_date(day)
    activity, spans = activity_profile(day)
    n = len(activity) - 1
    weights = np.sqrt(activity / activity.sum())
    weights[0] = 0.0
    cont = np.sqrt(1.0 - GAP_SHARE)
    gap = np.sqrt(GAP_SHARE)
    count = len(params)
    trading = np.nonzero(activity > 0)[0]

    def factor(vol: float, jump_prob: float) -> tuple[float, np.ndarray]:
        regime = vol * float(np.exp(rng.normal(0.0, 0.3)))
        path = np.cumsum(regime * cont * weights * _student(rng, (n + 1,)))
        if rng.random() < jump_prob:
            at = int(rng.choice(trading))
            path[at:] += rng.choice((-1.0, 1.0)) * rng.uniform(0.8, 2.0) * vol
        return regime * gap * float(rng.normal()), path

    gap_m, path_m = factor(MARKET_VOL, MARKET_JUMP_PROB)
    gap_t, path_t = factor(TECH_VOL, MARKET_JUMP_PROB / 2)

    beta_m = np.array([p.beta_market for p in params])[:, None]
    beta_t = np.array([p.beta_tech for p in params])[:, None]
    idio = np.array([p.idio_vol for p in params]) * np.exp(rng.normal(0.0, 0.25, count))
    shocks = _student(rng, (count, n + 1)) * weights
    shocks *= (idio * cont)[:, None]
    logp = np.cumsum(shocks, axis=1)
    logp += (idio * gap * rng.normal(size=count))[:, None]
    logp += beta_m * (gap_m + path_m) + beta_t * (gap_t + path_t)
    for i, p in enumerate(params):
        if not p.is_index and rng.random() < STOCK_JUMP_PROB:
            at = int(rng.choice(trading))
            logp[i, at:] += rng.choice((-1.0, 1.0)) * rng.uniform(0.03, 0.13)
    fair = np.exp(logp) * (prev_close.astype(np.float64) / 1000.0)[:, None]

    is_index = np.array([p.is_index for p in params])
    stocks = np.nonzero(~is_index)[0]
    triggers: list[tuple[int, int, int, float]] = []
    for i in stocks:
        for start, until, ref in find_vcm(fair[i], spans):
            triggers.append((int(i), start, until, ref))

    bid = np.empty((count, n + 1), dtype=np.int64)
    ask = np.empty_like(bid)
    if len(stocks):
        bid[stocks] = snap_bid(fair[stocks] * 1000.0, grid)
        ask[stocks] = next_up(bid[stocks], grid)
    for i in np.nonzero(is_index)[0]:
        level = np.round(fair[i] * 100.0).astype(np.int64) * 10
        bid[i] = level
        ask[i] = level

    vcm: list[VcmTrigger] = []
    for i, start, until, ref in triggers:
        lower = snap_ceil(ref * 1000 * (1 - VCM_THRESHOLD), grid)
        upper = grid.floor(int(ref * 1000 * (1 + VCM_THRESHOLD)))
        window = bid[i, start:until]
        np.clip(window, lower, grid.down(upper), out=window)
        ask[i, start:until] = next_up(window, grid)
        vcm.append(
            VcmTrigger(
                params[i].symbol,
                int(_epoch(day, start) * 1000),
                int(_epoch(day, until) * 1000),
                int(snap_bid(np.array([ref * 1000.0]), grid)[0]),
                lower,
                upper,
            )
        )

    open_price = bid[:, 0].copy()
    end_fair = fair[:, n] * np.exp(rng.normal(0.0, 0.0015, count))
    close_price = np.where(is_index, bid[:, n], snap_bid(end_fair * 1000.0, grid))

    lots = np.array([max(p.lot, 0) for p in params], dtype=np.int64)
    rates = np.array([p.trade_rate for p in params])
    expected_lots = rates * MEAN_LOTS * len(trading)
    open_volume = np.maximum(np.round(expected_lots * rng.uniform(0.01, 0.03, count)), 1) * lots
    close_volume = np.maximum(np.round(expected_lots * rng.uniform(0.04, 0.09, count)), 1) * lots

    match_window = auction_match_window(day)
    close_window = random_close_window(day)
    assert match_window is not None and close_window is not None
    open_match = match_window[0].timestamp() + float(rng.uniform(0, 120))
    close_match = close_window[0].timestamp() + float(rng.uniform(0, 120))

    cum = np.concatenate(([0.0], np.cumsum(activity)))
    return DayPlan(
        day=day,
        t0=_epoch(day, 0),
        seconds=n,
        sessions=[(_epoch(day, a), _epoch(day, b)) for a, b in spans],
        activity=activity,
        activity_cum=cum,
        bid=bid,
        ask=ask,
        prev_close=prev_close.astype(np.int64),
        open_price=open_price,
        close_price=close_price.astype(np.int64),
        open_volume=open_volume.astype(np.int64),
        close_volume=close_volume.astype(np.int64),
        open_match=open_match,
        close_match=close_match,
        vcm=vcm,
    )


__all__ = [
    "DayPlan",
    "VcmTrigger",
    "activity_profile",
    "find_vcm",
    "next_up",
    "plan_day",
    "snap_bid",
]
