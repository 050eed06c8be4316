"""NumPy buffers behind the charts: ticks appended in place, bars aggregated vectorised.

Arrays are preallocated and grown by doubling (amortised O(1) append, never ``np.append``
per tick); past ``max_capacity`` the oldest half is dropped. Consumers get views
(``buf.t[:buf.n]``), which is what ``setData`` wants.
"""

from __future__ import annotations

import numpy as np

from hkdesk.domain.sessions import HK_OFFSET_MS

HK_OFFSET_S = HK_OFFSET_MS // 1000


class TickBuffer:
    """Time (epoch seconds), price, volume and running VWAP of one symbol's trades."""

    def __init__(self, capacity: int = 4096, max_capacity: int = 1_000_000) -> None:
        self.max_capacity = max_capacity
        self.n = 0
        self._alloc(capacity)
        self._cum_vol = 0.0
        self._cum_turn = 0.0

    def _alloc(self, capacity: int) -> None:
        self.t = np.zeros(capacity)
        self.price = np.zeros(capacity)
        self.volume = np.zeros(capacity)
        self.vwap = np.zeros(capacity)

    def clear(self) -> None:
        self.n = 0
        self._cum_vol = self._cum_turn = 0.0

    def _make_room(self, extra: int) -> None:
        need = self.n + extra
        cap = len(self.t)
        if need <= cap:
            return
        if need <= self.max_capacity:
            new_cap = max(need, min(cap * 2, self.max_capacity))
            old = (self.t, self.price, self.volume, self.vwap)
            self._alloc(new_cap)
            for dst, src in zip((self.t, self.price, self.volume, self.vwap), old, strict=True):
                dst[: self.n] = src[: self.n]
            return
        keep = max(0, min(self.n, self.max_capacity - extra) // 2)
        for arr in (self.t, self.price, self.volume, self.vwap):
            arr[:keep] = arr[self.n - keep : self.n]
        self.n = keep

    def extend(
        self, t: np.ndarray, price: np.ndarray, volume: np.ndarray, turnover: np.ndarray | None = None
    ) -> None:
        k = len(t)
        if k == 0:
            return
        if k > self.max_capacity:
            t, price, volume = (
                t[-self.max_capacity :],
                price[-self.max_capacity :],
                volume[-self.max_capacity :],
            )
            turnover = None if turnover is None else turnover[-self.max_capacity :]
            k = len(t)
        self._make_room(k)
        s = slice(self.n, self.n + k)
        self.t[s] = t
        self.price[s] = price
        self.volume[s] = volume
        turn = price * volume if turnover is None else turnover
        cv = self._cum_vol + np.cumsum(volume)
        ct = self._cum_turn + np.cumsum(turn)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.vwap[s] = np.where(cv > 0, ct / np.where(cv > 0, cv, 1), price)
        self._cum_vol, self._cum_turn = float(cv[-1]), float(ct[-1])
        self.n += k

    def append(self, t: float, price: float, volume: float, turnover: float | None = None) -> None:
        self._make_room(1)
        i = self.n
        self.t[i], self.price[i], self.volume[i] = t, price, volume
        self._cum_vol += volume
        self._cum_turn += price * volume if turnover is None else turnover
        self.vwap[i] = self._cum_turn / self._cum_vol if self._cum_vol > 0 else price
        self.n = i + 1


def bucket_start(t: np.ndarray | float, interval_s: int):
    """Start of the bar holding ``t``, aligned to Hong Kong clock time (days start at 00:00 HKT)."""
    return np.floor((np.asarray(t) + HK_OFFSET_S) / interval_s) * interval_s - HK_OFFSET_S


def aggregate(t: np.ndarray, price: np.ndarray, volume: np.ndarray, interval_s: int) -> np.ndarray:
    """OHLCV bars from time-ordered trades: a (k, 6) array of start, open, high, low, close, volume."""
    if len(t) == 0:
        return np.zeros((0, 6))
    starts_t = bucket_start(t, interval_s)
    cut = np.flatnonzero(np.diff(starts_t)) + 1
    first = np.concatenate(([0], cut))
    last = np.concatenate((cut - 1, [len(t) - 1]))
    out = np.empty((len(first), 6))
    out[:, 0] = starts_t[first]
    out[:, 1] = price[first]
    out[:, 2] = np.maximum.reduceat(price, first)
    out[:, 3] = np.minimum.reduceat(price, first)
    out[:, 4] = price[last]
    out[:, 5] = np.add.reduceat(volume, first)
    return out


class BarSeries:
    """Closed bars in a growable array plus the forming bar, updated tick by tick."""

    def __init__(self, interval_s: int, capacity: int = 1024) -> None:
        self.interval_s = interval_s
        self.closed = np.zeros((capacity, 6))
        self.n = 0
        self.forming: np.ndarray | None = None

    def load(
        self, t: np.ndarray, price: np.ndarray, volume: np.ndarray, before: np.ndarray | None = None
    ) -> None:
        """Bars of the trades; ``before``: closed bars of earlier days (daily candles) put ahead."""
        bars = aggregate(t, price, volume, self.interval_s)
        self.n = 0
        self.forming = None
        if before is not None and len(before):
            first = bars[0, 0] if len(bars) else np.inf
            self._push_closed(before[before[:, 0] < first])
        if len(bars):
            self._push_closed(bars[:-1])
            self.forming = bars[-1].copy()

    def _push_closed(self, rows: np.ndarray) -> None:
        k = len(rows)
        if self.n + k > len(self.closed):
            grown = np.zeros((max(len(self.closed) * 2, self.n + k), 6))
            grown[: self.n] = self.closed[: self.n]
            self.closed = grown
        self.closed[self.n : self.n + k] = rows
        self.n += k

    def add(self, t: float, price: float, volume: float) -> bool:
        """Fold one trade in; True when it closed the previous bar (history changed)."""
        start = float(bucket_start(t, self.interval_s))
        f = self.forming
        if f is None or start > f[0]:
            closed = f is not None
            if closed:
                self._push_closed(f[None, :])
            self.forming = np.array([start, price, price, price, price, volume])
            return closed
        f[2] = max(f[2], price)
        f[3] = min(f[3], price)
        f[4] = price
        f[5] += volume
        return False

    def bar_at(self, x: float) -> np.ndarray | None:
        """The bar whose interval contains ``x`` (epoch seconds), if any."""
        start = float(bucket_start(x, self.interval_s))
        if self.forming is not None and self.forming[0] == start:
            return self.forming
        closed = self.closed[: self.n]
        i = int(np.searchsorted(closed[:, 0], start))
        if i < self.n and closed[i, 0] == start:
            return closed[i]
        return None
