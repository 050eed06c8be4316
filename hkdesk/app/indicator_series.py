"""Indicator series for the chart: the stored bars of an interval and the indicators over their
closes, in exact decimal arithmetic (:mod:`hkdesk.domain.indicators`). A blocking read and a few
thousand decimal operations: run it on a worker thread (``MarketService.read``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Engine

from hkdesk.domain import indicators as ind
from hkdesk.domain.bars import DAY
from hkdesk.domain.types import Bar
from hkdesk.store.history import bars_between

#: Bars the chart shows plus the longest warm-up (MACD's signal: 34 bars; a 50-bar average).
BARS_WANTED = 240
#: Calendar days that hold about BARS_WANTED bars of each interval (5.5 trading hours a day).
LOOKBACK_DAYS = {60: 4, 300: 8, 900: 21, 3600: 70, DAY: 370}
MA_PERIODS = (20, 50)
BOLLINGER = (20, 2)
MACD = (12, 26, 9)
RSI = 14

Series = list[Decimal | None]


@dataclass
class IndicatorSeries:
    """Each series is as long as ``starts`` (bar starts, epoch ms), ``None`` in its warm-up."""

    symbol: str
    interval_s: int
    starts: list[int] = field(default_factory=list)
    lines: dict[str, Series] = field(default_factory=dict)


def indicator_series(engine: Engine, symbol: str, interval_s: int, end_ms: int) -> IndicatorSeries:
    """The last :data:`BARS_WANTED` stored bars of ``interval_s`` up to ``end_ms`` and every
    indicator over them: ``ma20``, ``ma50``, ``boll_mid``/``boll_up``/``boll_low``,
    ``macd``/``macd_signal``/``macd_hist`` and ``rsi``."""
    start = end_ms - LOOKBACK_DAYS[interval_s] * DAY * 1000
    bars: list[Bar] = bars_between(engine, symbol, interval_s, start, end_ms)[-BARS_WANTED:]
    closes = ind.closes(bars)
    out = IndicatorSeries(symbol, interval_s, [b.start for b in bars])
    for n in MA_PERIODS:
        out.lines[f"ma{n}"] = ind.sma(closes, n)
    bands = ind.bollinger(closes, *BOLLINGER)
    out.lines.update(boll_mid=bands.middle, boll_up=bands.upper, boll_low=bands.lower)
    macd = ind.macd(closes, *MACD)
    out.lines.update(macd=macd.line, macd_signal=macd.signal, macd_hist=macd.histogram)
    out.lines["rsi"] = ind.rsi(closes, RSI)
    return out
