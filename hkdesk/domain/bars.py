"""Bar aggregation from ticks: pure functions and a small live builder, no I/O.

Bar boundaries come only from exchange time (``tick.ts``, epoch ms UTC), never from the local
clock, so a replay builds the same bars as the live feed did. Intraday intervals (60, 300, 900,
3600 s; any divisor of a day) align to the clock; a daily bar (``DAY`` = 86400 s) is one Hong Kong
calendar date (UTC+8, no daylight saving), so its ``start`` is HK midnight in epoch ms.

Within a bar, "open" and "close" are the first and last trade in ``(ts, seq)`` order for
``aggregate``; the live ``BarBuilder`` uses arrival order, which is the same thing for an
in-order feed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

import msgspec
import numpy as np

from hkdesk.domain.sessions import HK_OFFSET_MS
from hkdesk.domain.types import Bar, Tick

MINUTE = 60
DAY = 86_400
#: Intervals the app offers; any positive divisor of a day is accepted.
INTERVALS = (60, 300, 900, 3600, DAY)
#: Hong Kong is UTC+8 all year.


def check_interval(interval_s: int) -> None:
    """Raise ``ValueError`` unless ``interval_s`` tiles a Hong Kong day exactly."""
    if not isinstance(interval_s, int) or interval_s <= 0 or DAY % interval_s:
        raise ValueError(f"bar interval must be a positive divisor of {DAY} s, got {interval_s!r}")


def bar_start(ts_ms: int, interval_s: int) -> int:
    """Start (epoch ms) of the bar holding ``ts_ms``; days are Hong Kong dates."""
    span = interval_s * 1000
    return ts_ms - (ts_ms + HK_OFFSET_MS) % span


def _turnover(tick: Tick) -> Decimal:
    return tick.turnover if tick.turnover is not None else tick.price * tick.volume


def _new_bar(tick: Tick, start: int, interval_s: int) -> Bar:
    return Bar(
        symbol=tick.symbol,
        start=start,
        interval_s=interval_s,
        open=tick.price,
        high=tick.price,
        low=tick.price,
        close=tick.price,
        volume=tick.volume,
        turnover=_turnover(tick),
        trades=1,
    )


def _extend(bar: Bar, tick: Tick) -> None:
    price = tick.price
    if price > bar.high:
        bar.high = price
    if price < bar.low:
        bar.low = price
    bar.close = price
    bar.volume += tick.volume
    bar.turnover += _turnover(tick)
    bar.trades += 1


class BarBuilder:
    """Builds bars of one interval for any number of symbols as ticks arrive.

    ``add`` returns the bars a tick closed (the previous bar of that symbol, when the tick
    falls in a later bar). A tick older than the symbol's forming bar cannot reopen a closed
    bar: it is counted in ``late`` and otherwise ignored here (the store still records it).
    """

    def __init__(self, interval_s: int) -> None:
        check_interval(interval_s)
        self.interval_s = interval_s
        self.late = 0
        self._forming: dict[str, Bar] = {}

    def add(self, tick: Tick) -> list[Bar]:
        start = bar_start(tick.ts, self.interval_s)
        bar = self._forming.get(tick.symbol)
        if bar is not None and start == bar.start:
            _extend(bar, tick)
            return []
        if bar is not None and start < bar.start:
            self.late += 1
            return []
        self._forming[tick.symbol] = _new_bar(tick, start, self.interval_s)
        return [] if bar is None else [bar]

    def add_many(self, ticks: Iterable[Tick]) -> list[Bar]:
        closed: list[Bar] = []
        for tick in ticks:
            closed.extend(self.add(tick))
        return closed

    def forming(self, symbol: str) -> Bar | None:
        """A copy of the bar still open for ``symbol``, or None."""
        bar = self._forming.get(symbol)
        return None if bar is None else msgspec.structs.replace(bar)

    def forming_bars(self) -> list[Bar]:
        return [msgspec.structs.replace(bar) for bar in self._forming.values()]

    def flush(self) -> list[Bar]:
        """Close and return every forming bar (end of session, end of a replay)."""
        bars = list(self._forming.values())
        self._forming.clear()
        return bars


def aggregate(ticks: Iterable[Tick], interval_s: int) -> list[Bar]:
    """Bars of ``interval_s`` from ticks in any order, sorted by (symbol, start)."""
    check_interval(interval_s)
    bars: dict[tuple[str, int], Bar] = {}
    for tick in sorted(ticks, key=lambda t: (t.ts, t.seq)):
        key = (tick.symbol, bar_start(tick.ts, interval_s))
        bar = bars.get(key)
        if bar is None:
            bars[key] = _new_bar(tick, key[1], interval_s)
        else:
            _extend(bar, tick)
    return [bars[key] for key in sorted(bars)]


def merge_bars(bars: Iterable[Bar], interval_s: int) -> list[Bar]:
    """Roll smaller bars up into ``interval_s`` bars, exactly (Decimal), sorted by (symbol, start)."""
    check_interval(interval_s)
    out: dict[tuple[str, int], Bar] = {}
    for bar in sorted(bars, key=lambda b: (b.symbol, b.start)):
        if interval_s % bar.interval_s:
            raise ValueError(f"cannot build {interval_s} s bars from {bar.interval_s} s bars")
        key = (bar.symbol, bar_start(bar.start, interval_s))
        acc = out.get(key)
        if acc is None:
            out[key] = msgspec.structs.replace(bar, start=key[1], interval_s=interval_s)
            continue
        acc.high = max(acc.high, bar.high)
        acc.low = min(acc.low, bar.low)
        acc.close = bar.close
        acc.volume += bar.volume
        acc.turnover += bar.turnover
        acc.trades += bar.trades
        acc.provided = acc.provided or bar.provided
    return list(out.values())


class BarArrays(NamedTuple):
    """Bars of one symbol as parallel numpy arrays (floats: for display only)."""

    start: np.ndarray  # int64 epoch ms
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray


def bars_to_arrays(bars: Sequence[Bar]) -> BarArrays:
    """Columns of ``bars`` (one symbol, ascending start) for the chart."""
    n = len(bars)

    def col(name: str) -> np.ndarray:
        return np.fromiter((float(getattr(b, name)) for b in bars), dtype=np.float64, count=n)

    start = np.fromiter((b.start for b in bars), dtype=np.int64, count=n)
    return BarArrays(start, col("open"), col("high"), col("low"), col("close"), col("volume"))


def resample_arrays(bars: BarArrays, interval_s: int) -> BarArrays:
    """Vectorised roll-up of ascending 1-minute (or any finer) bars into ``interval_s`` bars."""
    check_interval(interval_s)
    start = np.asarray(bars.start, dtype=np.int64)
    if start.size == 0:
        return BarArrays(start.copy(), *(np.empty(0, dtype=np.float64) for _ in range(5)))
    span = interval_s * 1000
    bucket = start - (start + HK_OFFSET_MS) % span
    first = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
    last = np.r_[first[1:] - 1, bucket.size - 1]
    return BarArrays(
        start=bucket[first],
        open=np.asarray(bars.open, dtype=np.float64)[first],
        high=np.maximum.reduceat(np.asarray(bars.high, dtype=np.float64), first),
        low=np.minimum.reduceat(np.asarray(bars.low, dtype=np.float64), first),
        close=np.asarray(bars.close, dtype=np.float64)[last],
        volume=np.add.reduceat(np.asarray(bars.volume, dtype=np.float64), first),
    )
