"""Today's figures from the database, read on a worker thread: the board and the chart after a restart."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import Executor

import numpy as np
from sqlalchemy import Engine

from hkdesk.domain.bars import DAY, MINUTE, bar_start
from hkdesk.domain.freshness import Origin
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.sessions import hk_now
from hkdesk.domain.types import Bar
from hkdesk.sources.demo_day import resume_args
from hkdesk.store.failures import describe
from hkdesk.store.history import bars_between, last_session_days, newest_trade_ts, tick_arrays

log = logging.getLogger("hkdesk.app.market")


async def restore_today(hub: QuoteHub, engine: Engine, symbols: list[str], executor: Executor) -> None:
    """Day statistics (open, high, low, volume, last trade) of symbols the hub has no trade for."""
    if not symbols:
        return
    found = await asyncio.get_running_loop().run_in_executor(executor, last_session_days, engine, symbols)
    for sym, (bar, last) in found.items():
        q = hub.quote(sym)
        if q.trades:
            continue
        hub.apply_ticks([last], Origin.STORED)
        q.open, q.high, q.low = bar.open, bar.high, bar.low
        q.volume, q.turnover = bar.volume, bar.turnover
        q.trades = bar.trades
        q.tick_move = 0
    if found:
        log.info("restored today's figures for %d symbols from the database", len(found))


async def load_today(
    hub: QuoteHub, engine: Engine, symbol: str, executor: Executor
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Today's (HK) line of ``symbol``: its stored trades, and the provider's minutes the trades
    do not cover (the morning a late start missed, a gap, the time the app was closed) as the
    points a line needs. (epoch seconds, price, volume, turnover)."""
    q = hub.quotes.get(symbol)
    ref = q.last_ts if q is not None and q.last_ts else int(time.time() * 1000)
    start = bar_start(ref, DAY)

    def read():
        try:
            ticks = tick_arrays(engine, symbol, start, start + DAY * 1000)
            minutes = bars_between(engine, symbol, MINUTE, start, start + DAY * 1000)
        except Exception as exc:  # no schema yet on a brand-new database, etc.
            log.debug("history for %s unavailable: %s", symbol, exc)
            return None
        return day_line(ticks, [b for b in minutes if b.provided])

    return await asyncio.get_running_loop().run_in_executor(executor, read)


def day_line(
    ticks: tuple[np.ndarray, np.ndarray, np.ndarray], provided: list[Bar]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Trades (epoch ms, price, volume) and provider minutes merged in time order. A minute is
    drawn as open, high and low in the order that makes its path, then close at its end, with
    the minute's volume and turnover on the close: candles, volume and VWAP come out exact."""
    ts, price, volume = ticks
    covered = set((ts // (MINUTE * 1000) * (MINUTE * 1000)).tolist())
    points: list[tuple[float, float, float, float]] = []
    for bar in provided:
        if bar.start in covered:
            continue
        t0 = bar.start / 1000
        rising = bar.close >= bar.open
        middle = (bar.low, bar.high) if rising else (bar.high, bar.low)
        for offset, value in ((1, bar.open), (20, middle[0]), (40, middle[1])):
            points.append((t0 + offset, float(value), 0.0, 0.0))
        points.append((t0 + MINUTE - 1, float(bar.close), float(bar.volume), float(bar.turnover)))
    t = np.concatenate((ts / 1000.0, np.array([p[0] for p in points])))
    p = np.concatenate((price, np.array([p[1] for p in points])))
    v = np.concatenate((volume, np.array([p[2] for p in points])))
    turnover = np.concatenate((price * volume, np.array([p[3] for p in points])))
    order = np.argsort(t, kind="stable")
    return t[order], p[order], v[order], turnover[order]


async def load_past_days(
    engine: Engine, symbol: str, before_ms: int, executor: Executor, days: int = 260
) -> np.ndarray:
    """Daily candles before ``before_ms`` from the stored minutes: (k, 6) of start (epoch s),
    open, high, low, close, volume."""

    def read() -> np.ndarray:
        try:
            bars = bars_between(engine, symbol, DAY, before_ms - days * 7 // 5 * DAY * 1000, before_ms)
        except Exception as exc:
            log.debug("daily history for %s unavailable: %s", symbol, exc)
            return np.zeros((0, 6))
        rows = [(b.start / 1000, b.open, b.high, b.low, b.close, b.volume) for b in bars[-days:]]
        return np.array(rows, dtype=float).reshape(-1, 6)

    return await asyncio.get_running_loop().run_in_executor(executor, read)


def simulator_resume_args(engine: Engine | None) -> list[str]:
    """The built-in simulator's options to go on with the day ``engine`` holds (a blocking read)."""
    if engine is None:
        return []
    try:
        return resume_args(newest_trade_ts(engine), hk_now().date())
    except Exception as exc:  # an unreadable database: the simulator starts its default day
        log.warning("where the simulated day stopped is unknown: %s", describe(exc))
        return []
