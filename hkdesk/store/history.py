"""Read-side queries for the GUI: ticks, bars, gaps, counts, looked-up codes, and a numpy loader
for charts.

Every function takes an engine and opens its own short connection, so it can run from any
thread (SQLite in WAL mode lets readers work alongside the writer). Ranges are half-open,
``[start_ms, end_ms)`` in exchange epoch ms. Money and volumes come back as ``Decimal``; only
``tick_arrays`` returns floats, for display.
"""

from __future__ import annotations

import logging
from decimal import Decimal

import numpy as np
from sqlalchemy import Engine, Float, cast, func, select

from hkdesk.domain.bars import DAY, MINUTE, bar_start, check_interval, merge_bars
from hkdesk.domain.static_info import StaticInfo
from hkdesk.domain.types import Bar, Gap, Tick
from hkdesk.store.schema import bars, gaps, symbol_info, ticks

log = logging.getLogger(__name__)

_TICK_COLUMNS = (
    ticks.c.symbol,
    ticks.c.seq,
    ticks.c.ts,
    ticks.c.price,
    ticks.c.volume,
    ticks.c.turnover,
    ticks.c.direction,
    ticks.c.received_at,
)


def _tick(row) -> Tick:
    return Tick(
        symbol=row.symbol,
        seq=row.seq,
        ts=row.ts,
        price=row.price,
        volume=row.volume,
        turnover=row.turnover,
        direction=row.direction,
        received_at=row.received_at,
    )


def ticks_between(
    engine: Engine,
    symbol: str,
    start_ms: int,
    end_ms: int,
    limit: int | None = None,
    *,
    newest: bool = False,
) -> list[Tick]:
    """Trades of ``symbol`` in ``[start_ms, end_ms)``, ascending by (ts, seq).

    With ``limit``, the first ``limit`` of them, or the last ``limit`` when ``newest`` is set
    (what a time-and-sales tape wants); the result is ascending either way.
    """
    query = select(*_TICK_COLUMNS).where(
        ticks.c.symbol == symbol, ticks.c.ts >= start_ms, ticks.c.ts < end_ms
    )
    if newest:
        query = query.order_by(ticks.c.ts.desc(), ticks.c.seq.desc())
    else:
        query = query.order_by(ticks.c.ts, ticks.c.seq)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        result = [_tick(row) for row in conn.execute(query)]
    if newest:
        result.reverse()
    return result


def last_trade(engine: Engine, symbol: str) -> Tick | None:
    """The latest stored trade of ``symbol`` by exchange time, or None."""
    query = (
        select(*_TICK_COLUMNS)
        .where(ticks.c.symbol == symbol)
        .order_by(ticks.c.ts.desc(), ticks.c.seq.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else _tick(row)


def count_ticks(engine: Engine, symbol: str | None = None) -> int:
    query = select(func.count()).select_from(ticks)
    if symbol is not None:
        query = query.where(ticks.c.symbol == symbol)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _minute_bars(engine: Engine, symbol: str, start_ms: int, end_ms: int) -> list[Bar]:
    query = (
        select(bars)
        .where(
            bars.c.symbol == symbol,
            bars.c.interval_s == MINUTE,
            bars.c.start >= start_ms,
            bars.c.start < end_ms,
        )
        .order_by(bars.c.start)
    )
    with engine.connect() as conn:
        return [
            Bar(
                symbol=row.symbol,
                start=row.start,
                interval_s=row.interval_s,
                open=row.open,
                high=row.high,
                low=row.low,
                close=row.close,
                volume=row.volume,
                turnover=row.turnover,
                trades=row.trades,
                provided=bool(row.provided),
            )
            for row in conn.execute(query)
        ]


def bars_between(engine: Engine, symbol: str, interval_s: int, start_ms: int, end_ms: int) -> list[Bar]:
    """Bars of ``interval_s`` for ``symbol`` whose start lies in ``[bar_start(start_ms), end_ms)``.

    Built exactly from the stored 1-minute bars, the provider's among them (``provided``; a
    longer bar is provided if any of its minutes is); the last bar covers only the minutes
    before ``end_ms``. Daily bars follow Hong Kong dates.
    """
    check_interval(interval_s)
    if interval_s % MINUTE:
        raise ValueError(f"stored bars are 1-minute; cannot serve {interval_s} s bars")
    first = bar_start(start_ms, interval_s)
    minutes = _minute_bars(engine, symbol, first, end_ms)
    return minutes if interval_s == MINUTE else merge_bars(minutes, interval_s)


def close_before(engine: Engine, symbol: str, before_ms: int) -> Decimal | None:
    """The last price of ``symbol`` stored before ``before_ms`` (the close of its last 1-minute
    bar starting earlier): a day's previous close when ``before_ms`` is that day's start."""
    query = (
        select(bars.c.close)
        .where(bars.c.symbol == symbol, bars.c.interval_s == MINUTE, bars.c.start < before_ms)
        .order_by(bars.c.start.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def _gap(row) -> Gap:
    filled_at = row.filled_at or 0.0
    return Gap(row.symbol, row.start_ts, row.end_ts, row.reason, row.recorded_at, filled_at=filled_at)


def gaps_between(engine: Engine, symbol: str | None, start_ms: int, end_ms: int) -> list[Gap]:
    """Gaps overlapping ``[start_ms, end_ms)`` (for one symbol, or all when ``symbol`` is None)."""
    query = select(gaps).where(gaps.c.start_ts < end_ms, gaps.c.end_ts >= start_ms)
    if symbol is not None:
        query = query.where(gaps.c.symbol == symbol)
    query = query.order_by(gaps.c.start_ts, gaps.c.symbol)
    with engine.connect() as conn:
        return [_gap(r) for r in conn.execute(query)]


def unfilled_gaps(engine: Engine, start_ms: int, end_ms: int) -> list[Gap]:
    """Gaps overlapping ``[start_ms, end_ms)`` (e.g. today) whose minutes were not filled yet."""
    query = (
        select(gaps)
        .where(gaps.c.start_ts < end_ms, gaps.c.end_ts >= start_ms, gaps.c.filled_at.is_(None))
        .order_by(gaps.c.start_ts, gaps.c.symbol)
    )
    with engine.connect() as conn:
        return [_gap(r) for r in conn.execute(query)]


def known_symbols(engine: Engine) -> dict[str, StaticInfo]:
    """The provider's facts of every code looked up before, by code; empty for a database
    without the table yet (the writer makes it)."""
    with engine.connect() as conn:
        if not conn.dialect.has_table(conn, symbol_info.name):
            return {}
        rows = conn.execute(select(symbol_info)).all()
    return {row.symbol: StaticInfo(**row._asdict()) for row in rows}


def facts_of(engine: Engine, symbols: list[str], fetched_since: float = 0.0) -> dict[str, StaticInfo]:
    """The provider's stored facts of ``symbols`` fetched at or after ``fetched_since`` (our wall
    clock, epoch seconds), by code; codes without such facts are left out."""
    with engine.connect() as conn:
        if not symbols or not conn.dialect.has_table(conn, symbol_info.name):
            return {}
        query = select(symbol_info).where(
            symbol_info.c.symbol.in_(symbols), symbol_info.c.fetched_at >= fetched_since
        )
        rows = conn.execute(query).all()
    return {row.symbol: StaticInfo(**row._asdict()) for row in rows}


def tick_arrays(
    engine: Engine, symbol: str, start_ms: int, end_ms: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ts_ms int64, price float64, volume float64) of ``symbol`` in ``[start_ms, end_ms)``, ascending.

    The database converts to floating point, so no ``Decimal`` is built per row; for charts only.
    """
    query = (
        select(ticks.c.ts, cast(ticks.c.price, Float), cast(ticks.c.volume, Float))
        .where(ticks.c.symbol == symbol, ticks.c.ts >= start_ms, ticks.c.ts < end_ms)
        .order_by(ticks.c.ts, ticks.c.seq)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.float64), np.empty(0, np.float64)
    ts, price, volume = zip(*rows, strict=True)
    return (
        np.fromiter(ts, dtype=np.int64, count=len(rows)),
        np.fromiter(price, dtype=np.float64, count=len(rows)),
        np.fromiter(volume, dtype=np.float64, count=len(rows)),
    )


def last_session_days(engine: Engine, symbols: list[str]) -> dict[str, tuple[Bar, Tick]]:
    """Per symbol, the day bar of its last stored session and its last trade (to restore a
    board after a restart). Empty for a database without tables yet."""
    out: dict[str, tuple[Bar, Tick]] = {}
    for sym in symbols:
        try:
            last = last_trade(engine, sym)
            if last is None:
                continue
            start = bar_start(last.ts, DAY)
            day = bars_between(engine, sym, DAY, start, last.ts + 60_000)
        except Exception as exc:  # a new, empty database has no tables yet
            log.debug("no stored day for %s: %s", sym, exc)
            return out
        if day:
            out[sym] = (day[-1], last)
    return out


def newest_trade_ts(engine: Engine) -> int | None:
    """Exchange time (epoch ms) of the newest trade stored, from the 1-minute bars (a small table)."""
    with engine.connect() as conn:
        newest = select(func.max(bars.c.last_ts)).where(bars.c.interval_s == MINUTE)
        return conn.execute(newest).scalar()
