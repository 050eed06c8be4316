"""Today's figures from the database, read on a worker thread: the board and the chart after a restart."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import Executor

import numpy as np
from sqlalchemy import Engine

from hkdesk.domain.bars import DAY, bar_start
from hkdesk.domain.freshness import Origin
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.sessions import hk_now
from hkdesk.sources.demo_day import resume_args
from hkdesk.store.failures import describe
from hkdesk.store.history import last_session_days, newest_trade_ts, tick_arrays

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
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Today's (HK) stored trades of ``symbol``: (epoch seconds, price, volume)."""
    q = hub.quotes.get(symbol)
    ref = q.last_ts if q is not None and q.last_ts else int(time.time() * 1000)
    start = bar_start(ref, DAY)

    def read():
        try:
            return tick_arrays(engine, symbol, start, start + DAY * 1000)
        except Exception as exc:  # no schema yet on a brand-new database, etc.
            log.debug("history for %s unavailable: %s", symbol, exc)
            return None

    arrays = await asyncio.get_running_loop().run_in_executor(executor, read)
    if arrays is None:
        return None
    ts, price, volume = arrays
    return ts / 1000.0, price, volume


def simulator_resume_args(engine: Engine | None) -> list[str]:
    """The built-in simulator's options to go on with the day ``engine`` holds (a blocking read)."""
    if engine is None:
        return []
    try:
        return resume_args(newest_trade_ts(engine), hk_now().date())
    except Exception as exc:  # an unreadable database: the simulator starts its default day
        log.warning("where the simulated day stopped is unknown: %s", describe(exc))
        return []
