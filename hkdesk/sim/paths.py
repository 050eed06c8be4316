"""One simulated trading day's price paths, drawn at the start of the day with numpy.

A day is a per-second grid from the 09:30 open to the end of the last continuous session.
:class:`DayFrame` holds what every symbol shares: the sessions, the intraday activity U-curve
(busy open, quiet midday, pick-up into the close), the auction times and the two market factor
paths (broad market, China tech). :class:`StockDay` holds one stock's best bid per second (the
ask is one tick above), its auctions and its volatility control mechanism (VCM) triggers.

Every path is a bridge: it starts at the opening gap and ends exactly at the day's close from
:mod:`hkdesk.sim.series`, with fat-tailed per-second shocks (variance following the activity
curve), rare news jumps and the VCM on top. The frame depends on (seed, date) only and a stock's
day on (seed, date, symbol): the same day is drawn the same whoever else is simulated.
"""

from __future__ import annotations

import zlib
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
from hkdesk.domain.spread import MilliGrid
from hkdesk.sim.grid import grid_for, snap_bid, snap_ceil
from hkdesk.sim.params import MARKET_VOL, TECH_VOL
from hkdesk.sim.series import GAP_SHARE, DailySeries, Moves, student

#: Average board lots per trade (geometric sizes plus occasional blocks), for auction sizing.
MEAN_LOTS = 3.3

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
class DayFrame:
    """What every symbol shares on one trading day."""

    day: date
    t0: float  # epoch seconds of the 09:30 open (index 0 of the grid)
    seconds: int  # the grid covers [t0, t0 + seconds]
    sessions: list[tuple[float, float]]  # continuous sessions, epoch seconds
    spans: list[tuple[int, int]]  # the same as second offsets from t0
    activity_cum: np.ndarray  # (seconds + 2,) running integral of the activity, mean 1 while trading
    trading_seconds: int
    weights: np.ndarray  # (seconds + 1,) per-second shock scale, zero outside the sessions
    elapsed: np.ndarray  # (seconds + 1,) share of the day's variance behind each second, 0 to 1
    market: np.ndarray  # (seconds + 1,) broad market log path, gap at 0, the day's move at the end
    tech: np.ndarray
    open_match: float  # epoch seconds of the opening-auction match
    close_match: float  # epoch seconds of the random close
    grid: MilliGrid

    def index_at(self, t: float) -> int:
        return int(min(max(t - self.t0, 0.0), self.seconds))


@dataclass(slots=True)
class StockDay:
    """One stock's day: best bid per second (milli, int32; the ask is the next tick up)."""

    symbol: str
    bid: np.ndarray
    prev_close: int
    open_price: int
    close_price: int
    open_volume: int
    close_volume: int
    vcm: list[VcmTrigger] = field(default_factory=list)


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


def _epoch(day: date, seconds_from_open: float) -> float:
    return datetime.combine(day, OPEN, HK_TZ).timestamp() + seconds_from_open


def bridge(
    rng: np.random.Generator, frame_weights: np.ndarray, elapsed: np.ndarray, vol: float, moves: Moves
) -> np.ndarray:
    """A fat-tailed random walk from ``moves.gap`` that ends exactly at ``moves.total``.

    The walk's own end is pulled to the target in proportion to the variance already behind
    each second, so the correction lands where the market trades, not over the lunch break. A
    news jump (``moves.jump``) strikes at a random trading second; the bridge keeps it.
    """
    n = len(frame_weights) - 1
    walk = np.cumsum(moves.regime * vol * np.sqrt(1.0 - GAP_SHARE) * frame_weights * student(rng, n + 1))
    if moves.jump:
        at = int(rng.choice(np.nonzero(frame_weights > 0)[0]))
        walk[at:] += moves.jump
    return moves.gap + walk - elapsed * (walk[n] - (moves.total - moves.gap))


def day_frame(day: date, seed: int, market: Moves, tech: Moves) -> DayFrame:
    """The shared part of ``day``: a function of (seed, date) and the day's market moves."""
    rng = np.random.default_rng([seed & 0xFFFFFFFF, day.toordinal(), 41])
    activity, spans = activity_profile(day)
    n = len(activity) - 1
    weights = np.sqrt(activity / activity.sum())
    weights[0] = 0.0
    variance = np.cumsum(weights**2)
    elapsed = variance / variance[-1]
    market_path = bridge(rng, weights, elapsed, MARKET_VOL, market)
    tech_path = bridge(rng, weights, elapsed, TECH_VOL, tech)
    match_window = auction_match_window(day)
    close_window = random_close_window(day)
    assert match_window is not None and close_window is not None
    return DayFrame(
        day=day,
        t0=_epoch(day, 0),
        seconds=n,
        sessions=[(_epoch(day, a), _epoch(day, b)) for a, b in spans],
        spans=spans,
        activity_cum=np.concatenate(([0.0], np.cumsum(activity))),
        trading_seconds=int(np.count_nonzero(activity)),
        weights=weights,
        elapsed=elapsed,
        market=market_path,
        tech=tech_path,
        open_match=match_window[0].timestamp() + float(rng.uniform(0, 120)),
        close_match=close_window[0].timestamp() + float(rng.uniform(0, 120)),
        grid=grid_for(day),
    )


def stock_day(frame: DayFrame, series: DailySeries, row: int, seed: int) -> StockDay:
    """Stock ``row`` of ``series`` on the frame's day, ending at the series' close."""
    p = series.params[row]
    day = frame.day
    rng = np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(p.symbol.encode()), day.toordinal(), 42])
    own = series.own(row, day)
    prev_log = series.prev_log(row, day)
    own_path = bridge(rng, frame.weights, frame.elapsed, p.idio_vol, own)
    log_fair = prev_log + ((p.beta_market * frame.market + p.beta_tech * frame.tech) + own_path)
    log_fair[0] = series.open_log(row, day)
    fair = np.exp(log_fair)
    grid = frame.grid
    triggers = find_vcm(fair, frame.spans)
    bid = snap_bid(fair, grid)
    vcm: list[VcmTrigger] = []
    for start, until, ref in triggers:
        lower = snap_ceil(ref * (1 - VCM_THRESHOLD), grid)
        upper = grid.floor(int(ref * (1 + VCM_THRESHOLD)))
        np.clip(bid[start:until], lower, grid.down(upper), out=bid[start:until])
        vcm.append(
            VcmTrigger(
                p.symbol,
                int(_epoch(frame.day, start) * 1000),
                int(_epoch(frame.day, until) * 1000),
                int(snap_bid(np.array([ref]), grid)[0]),
                lower,
                upper,
            )
        )
    expected_lots = p.trade_rate * MEAN_LOTS * frame.trading_seconds
    lots = max(p.lot, 0)
    open_volume = max(round(expected_lots * rng.uniform(0.01, 0.03)), 1) * lots
    close_volume = max(round(expected_lots * rng.uniform(0.04, 0.09)), 1) * lots
    return StockDay(
        symbol=p.symbol,
        bid=bid.astype(np.int32),
        prev_close=series.prev_close(row, day),
        open_price=int(bid[0]),
        close_price=series.close(row, day),
        open_volume=int(open_volume),
        close_volume=int(close_volume),
        vcm=vcm,
    )


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
