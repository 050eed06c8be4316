"""Every simulated stock's daily moves and closes, as a pure function of (seed, symbol, date).

A day's log return is ``beta_m * market + beta_t * tech + own``: the two market factors depend on
(seed, date) only, a stock's own part on (seed, symbol, date). Each is drawn in one block per
calendar year and read by the day of the year, so no day depends on which days were asked for
first, on when the simulator started, or on which other symbols it simulates. Log closes walk
from :data:`ANCHOR`, where the close of the trading day before it is the symbols file's
approximate price, forwards and backwards over the trading days since :data:`SERIES_START`.

The simulated day's price path (:mod:`hkdesk.sim.paths`) starts at the opening gap drawn here
and is bridged to end at this close, so the close a day ends at is the previous close the next
day reads, whenever and however often the simulator is started.
"""

from __future__ import annotations

import zlib
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from hkdesk.domain.sessions import is_trading_day
from hkdesk.sim.grid import grid_for, snap_bid
from hkdesk.sim.params import MARKET_VOL, TECH_VOL, SymbolParams

SERIES_START = date(2010, 1, 4)
#: The trading day before this one closes at the symbols file's approximate price.
ANCHOR = date(2026, 1, 2)
#: Share of the daily variance taken by the opening gap.
GAP_SHARE = 0.15
#: Student-t degrees of freedom of the daily and per-second shocks (fat tails).
T_DOF = 4.0
STOCK_JUMP_PROB = 0.02
MARKET_JUMP_PROB = 0.03

_MARKET, _TECH = 1, 2


def student(rng: np.random.Generator, shape: int | tuple[int, ...]) -> np.ndarray:
    """Student-t draws scaled to unit variance."""
    return rng.standard_t(T_DOF, size=shape) / np.sqrt(T_DOF / (T_DOF - 2.0))


@dataclass(frozen=True, slots=True)
class Moves:
    """One day of one price component, in log terms: the opening gap, the whole day's move
    (news jump included), how lively the path in between is, and the jump (0 for none)."""

    gap: float
    total: float
    regime: float
    jump: float


def close_milli(log: float | np.ndarray) -> float | np.ndarray:
    """A log close back in milli, nudged up a millionth of a milli so that a close exactly on the
    grid (the anchor) is not floored one tick down by the rounding of ``exp(log(x))``."""
    return np.exp(log) + 1e-6


def open_log(prev_log: float, beta_m: float, beta_t: float, m: Moves, t: Moves, own: Moves) -> float:
    """Log price of the opening auction; the paths and the daily summaries share this one sum."""
    return prev_log + ((beta_m * m.gap + beta_t * t.gap) + own.gap)


class TradingDays:
    """Trading days from :data:`SERIES_START`, extended on demand, with their day of the year."""

    def __init__(self) -> None:
        self.days: list[date] = []
        self._pos: dict[date, int] = {}
        self._doy: list[int] = []
        self.extend_to(ANCHOR)

    def extend_to(self, day: date) -> None:
        d = self.days[-1] + timedelta(days=1) if self.days else SERIES_START
        while d <= day:
            if is_trading_day(d):
                self._pos[d] = len(self.days)
                self.days.append(d)
                self._doy.append(d.timetuple().tm_yday - 1)
            d += timedelta(days=1)

    def position(self, day: date) -> int:
        """Index of ``day`` (a trading day on or after :data:`SERIES_START`)."""
        self.extend_to(day)
        pos = self._pos.get(day)
        if pos is None:
            raise ValueError(f"{day} is not a simulated trading day (they start {SERIES_START})")
        return pos

    def before(self, day: date) -> int:
        """Number of trading days strictly before ``day``."""
        self.extend_to(day)
        return bisect_left(self.days, day)

    def years(self, start: int, end: int) -> list[tuple[int, int, int, np.ndarray]]:
        """``(year, start, end, day-of-year indexes)`` of days ``start:end``, one entry per year."""
        out = []
        while start < end:
            year = self.days[start].year
            stop = bisect_left(self.days, date(year + 1, 1, 1), start, end)
            out.append((year, start, stop, np.array(self._doy[start:stop], dtype=np.int64)))
            start = stop
        return out


def _year_moves(
    rng: np.random.Generator, vol: float, jump_prob: float, jump: tuple[float, float]
) -> np.ndarray:
    """``(4, 366)``: gap, total, regime and jump of every day of one calendar year."""
    regime = np.exp(rng.normal(0.0, 0.3, 366))
    shocks = student(rng, (2, 366))
    hit = rng.random(366) < jump_prob
    size = rng.choice((-1.0, 1.0), 366) * rng.uniform(jump[0], jump[1], 366)
    jumps = np.where(hit, size, 0.0)
    total = vol * regime * shocks[0] + jumps
    gap = np.sqrt(GAP_SHARE) * vol * regime * shocks[1]
    return np.stack((gap, total, regime, jumps))


class DailySeries:
    """Daily moves, closes and summary bars of the stocks among ``params`` (indices are skipped)."""

    def __init__(self, seed: int, params: Sequence[SymbolParams], anchor_milli: Sequence[int]) -> None:
        self.seed = int(seed) & 0xFFFFFFFF
        self.params = list(params)
        self.days = TradingDays()
        self._anchor_log = [float(np.log(max(int(p), 1))) for p in anchor_milli]
        self._market: dict[tuple[int, int], np.ndarray] = {}
        self._own: dict[tuple[int, int], np.ndarray] = {}
        # Log closes walked out from the anchor: index k is k trading days after (before) the
        # day before ANCHOR, so a value never depends on how far the walk went first.
        self._forward: dict[int, np.ndarray] = {}
        self._backward: dict[int, np.ndarray] = {}

    # ------------------------------------------------------------------ blocks

    def _market_block(self, factor: int, year: int) -> np.ndarray:
        block = self._market.get((factor, year))
        if block is None:
            rng = np.random.default_rng([self.seed, year, factor, 31])
            vol = MARKET_VOL if factor == _MARKET else TECH_VOL
            prob = MARKET_JUMP_PROB if factor == _MARKET else MARKET_JUMP_PROB / 2
            block = self._market[(factor, year)] = _year_moves(rng, vol, prob, (0.8 * vol, 2.0 * vol))
        return block

    def _own_block(self, row: int, year: int) -> np.ndarray:
        """``(7, 366)``: the stock's own moves, then wick up, wick down and volume noise."""
        block = self._own.get((row, year))
        if block is None:
            p = self.params[row]
            rng = np.random.default_rng([self.seed, zlib.crc32(p.symbol.encode()), year, 32])
            moves = _year_moves(rng, p.idio_vol, STOCK_JUMP_PROB, (0.03, 0.13))
            extra = np.concatenate((np.abs(rng.normal(0.0, 0.5, (2, 366))), rng.normal(0.0, 0.3, (1, 366))))
            block = self._own[(row, year)] = np.concatenate((moves, extra))
        return block

    @staticmethod
    def _moves(block: np.ndarray, day: date) -> Moves:
        k = day.timetuple().tm_yday - 1
        return Moves(float(block[0, k]), float(block[1, k]), float(block[2, k]), float(block[3, k]))

    def market(self, day: date) -> tuple[Moves, Moves]:
        """The broad market's and China tech's moves on ``day``."""
        return (
            self._moves(self._market_block(_MARKET, day.year), day),
            self._moves(self._market_block(_TECH, day.year), day),
        )

    def own(self, row: int, day: date) -> Moves:
        return self._moves(self._own_block(row, day.year), day)

    def _over_days(self, block_of: Callable[[int], np.ndarray], end: int, start: int = 0) -> np.ndarray:
        """A per-year block (``block_of(year)``, shape ``(k, 366)``) read at days ``start:end``."""
        spans = self.days.years(start, end)
        out = np.empty((block_of(spans[0][0]).shape[0] if spans else 0, end - start))
        for year, a, b, doy in spans:
            out[:, a - start : b - start] = block_of(year)[:, doy]
        return out

    # ------------------------------------------------------------------ closes

    def _returns(self, row: int, start: int, end: int) -> np.ndarray:
        """Daily log returns of the trading days ``start:end`` (positions)."""
        if end <= start:
            return np.zeros(0)
        p = self.params[row]
        m = self._over_days(lambda y: self._market_block(_MARKET, y), end, start)
        t = self._over_days(lambda y: self._market_block(_TECH, y), end, start)
        own = self._over_days(lambda y: self._own_block(row, y), end, start)
        return (p.beta_market * m[1] + p.beta_tech * t[1]) + own[1]

    @property
    def _origin(self) -> int:
        """Position of the day before :data:`ANCHOR`, whose log close is the anchor price's."""
        return self.days.position(ANCHOR) - 1

    def logs(self, row: int, start: int, end: int) -> np.ndarray:
        """Log closes (of milli prices) of the trading days ``start:end`` (positions)."""
        origin = self._origin
        parts = []
        if start < origin:
            back = self._backward.get(row)
            if back is None or len(back) <= origin - start:
                back = self._backward[row] = self._anchor_log[row] - np.concatenate(
                    ([0.0], np.cumsum(self._returns(row, start + 1, origin + 1)[::-1]))
                )
            parts.append(back[origin - np.arange(start, min(end, origin))])
        if end > origin:
            ahead = self._forward.get(row)
            if ahead is None or len(ahead) < end - origin:
                ahead = self._forward[row] = self._anchor_log[row] + np.concatenate(
                    ([0.0], np.cumsum(self._returns(row, origin + 1, end)))
                )
            parts.append(ahead[max(start, origin) - origin : end - origin])
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def log_close(self, row: int, day: date) -> float:
        pos = self.days.position(day)
        return float(self.logs(row, pos, pos + 1)[0])

    def close(self, row: int, day: date) -> int:
        """The close of trading day ``day`` in milli, on that day's tick grid."""
        return int(snap_bid(np.array([close_milli(self.log_close(row, day))]), grid_for(day))[0])

    def prev_log(self, row: int, day: date) -> float:
        """Log close of the trading day before ``day``."""
        pos = self.days.position(day)
        if pos:
            return float(self.logs(row, pos - 1, pos)[0])
        return float(self.logs(row, 0, 1)[0] - self._returns(row, 0, 1)[0])

    def prev_close(self, row: int, day: date) -> int:
        """The close of the trading day before ``day`` (milli, on that day's grid)."""
        pos = self.days.position(day)
        if pos == 0:
            return int(snap_bid(np.array([close_milli(self.prev_log(row, day))]), grid_for(day))[0])
        return self.close(row, self.days.days[pos - 1])

    def open_log(self, row: int, day: date) -> float:
        p = self.params[row]
        m, t = self.market(day)
        return open_log(self.prev_log(row, day), p.beta_market, p.beta_tech, m, t, self.own(row, day))

    # ------------------------------------------------------------------ summaries

    def summary(self, row: int, before: date, count: int | None = None) -> SummaryBars:
        """Daily bars of the last ``count`` (default: all) trading days before ``before``.

        Open and close are exact (the opening auction and the close a simulated day would
        have); high, low and volume are drawn around them, as no tape exists for these days.
        """
        end = self.days.before(before)
        start = 0 if count is None else max(end - count, 0)
        if end == start:
            empty = np.zeros(0, dtype=np.int64)
            return SummaryBars([], empty, empty, empty, empty, empty, empty)
        p = self.params[row]
        logs = self.logs(row, start, end)
        market = self._over_days(lambda y: self._market_block(_MARKET, y), end, start)[0]
        tech = self._over_days(lambda y: self._market_block(_TECH, y), end, start)[0]
        own = self._over_days(lambda y: self._own_block(row, y), end, start)
        prev = np.concatenate(([self.prev_log(row, self.days.days[start])], logs[:-1]))
        opening = prev + ((p.beta_market * market + p.beta_tech * tech) + own[0])
        days = self.days.days[start:end]
        o = _snap_days(np.exp(opening), days)
        c = _snap_days(close_milli(logs), days)
        top, bottom = np.maximum(o, c), np.minimum(o, c)
        h = np.maximum(top, _snap_days(top * np.exp(p.daily_vol * own[4]), days))
        lo = np.minimum(bottom, _snap_days(bottom * np.exp(-p.daily_vol * own[5]), days))
        lot = max(p.lot, 1)
        expected = p.trade_rate * 3.3 * 19800
        volume = np.maximum(np.round(expected * np.exp(own[6])), 1).astype(np.int64) * lot
        vwap = _snap_days((h + lo + c) / 3.0, days)
        return SummaryBars(days, o, h, lo, c, volume, vwap * volume)


@dataclass(frozen=True, slots=True)
class SummaryBars:
    """Daily bars as arrays (milli prices, shares, milli turnover), one entry per trading day."""

    days: list[date]
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    turnover: np.ndarray


def _snap_days(milli: np.ndarray, days: Sequence[date]) -> np.ndarray:
    """Snap each day's value onto that day's tick grid (the spread table changed on a date)."""
    out = np.empty(len(days), dtype=np.int64)
    grids = [grid_for(d) for d in days]
    start = 0
    while start < len(days):
        end = start
        while end < len(days) and grids[end] is grids[start]:
            end += 1
        out[start:end] = snap_bid(milli[start:end], grids[start])
        start = end
    return out
