"""What an export holds: column names and typed rows, read from the market database.

Cells are ``str``, ``int``, ``Decimal`` (exact, as stored), ``datetime`` (naive Hong Kong wall
time) or ``None``; the writers decide how each looks in CSV and in Excel. Every figure comes
from the store's queries: ticks as recorded, bars rolled up exactly from the stored 1-minute
bars, a day's figures from its day bar.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import Engine

from hkdesk.domain.bars import DAY
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.symbols import SymbolInfo, display_code
from hkdesk.domain.types import Direction
from hkdesk.store.history import bars_between, close_before, ticks_between

Cell = str | int | Decimal | datetime | None
INTERVALS = {"1m": 60, "5m": 300, "15m": 900, "1h": 3600, "1d": DAY}
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class ExportTable:
    title: str
    columns: tuple[str, ...]
    rows: Iterable[Sequence[Cell]]


def day_bounds(first: date, last: date | None = None) -> tuple[int, int]:
    """``[start, end)`` in epoch ms of the Hong Kong dates ``first`` to ``last`` (inclusive)."""
    start = datetime.combine(first, time(0), HK_TZ)
    end = datetime.combine(last or first, time(0), HK_TZ) + timedelta(days=1)
    return int(start.timestamp() * 1000), int(end.timestamp() * 1000)


def hk_time(ts_ms: int) -> datetime:
    """Naive Hong Kong wall time of an exchange timestamp, to the millisecond."""
    return datetime.fromtimestamp(ts_ms // 1000, HK_TZ).replace(tzinfo=None) + timedelta(
        milliseconds=ts_ms % 1000
    )


_SIDES = {d.value: d.name.lower() for d in Direction}
TICK_COLUMNS = ("symbol", "time", "ts_ms", "seq", "price", "volume", "turnover", "direction")


def tick_table(engine: Engine, symbol: str, day: date) -> ExportTable:
    start, end = day_bounds(day)
    ticks = ticks_between(engine, symbol, start, end)
    rows = (
        (
            t.symbol,
            hk_time(t.ts),
            t.ts,
            t.seq,
            t.price,
            t.volume,
            t.turnover,
            Direction(t.direction).name.lower(),
        )
        for t in ticks
    )
    return ExportTable(f"{symbol} {day} ticks", TICK_COLUMNS, rows)


BAR_COLUMNS = (
    "symbol",
    "interval",
    "start",
    "start_ms",
    "open",
    "high",
    "low",
    "close",
    "volume",
    "turnover",
    "trades",
)


def bar_table(engine: Engine, symbol: str, interval: str, first: date, last: date) -> ExportTable:
    start, end = day_bounds(first, last)
    bars = bars_between(engine, symbol, INTERVALS[interval], start, end)
    rows = (
        (
            b.symbol,
            interval,
            hk_time(b.start),
            b.start,
            b.open,
            b.high,
            b.low,
            b.close,
            b.volume,
            b.turnover,
            b.trades,
        )
        for b in bars
    )
    span = str(first) if first == last else f"{first} to {last}"
    return ExportTable(f"{symbol} {span} {interval}", BAR_COLUMNS, rows)


WATCHLIST_COLUMNS = (
    "symbol",
    "code",
    "name_en",
    "name_zh",
    "last",
    "prev_close",
    "change",
    "change_pct",
    "open",
    "high",
    "low",
    "volume",
    "turnover",
    "trades",
    "last_trade",
)


def watchlist_table(
    engine: Engine, name: str, symbols: Sequence[str], day: date, universe: dict[str, SymbolInfo]
) -> ExportTable:
    """One row per symbol with the day's figures; blank where the database has none.

    ``prev_close`` is the last trade stored before the day; ``change_pct`` is the only
    computed figure that is rounded (to 0.01, half to even).
    """
    return ExportTable(f"{name} {day}", WATCHLIST_COLUMNS, _watchlist_rows(engine, symbols, day, universe))


def _watchlist_rows(
    engine: Engine, symbols: Sequence[str], day: date, universe: dict[str, SymbolInfo]
) -> Iterator[tuple[Cell, ...]]:
    start, end = day_bounds(day)
    for symbol in symbols:
        info = universe.get(symbol)
        names = (info.name_en, info.name_zh) if info else (None, None)
        bars = bars_between(engine, symbol, DAY, start, end)
        prev = close_before(engine, symbol, start)
        if not bars:
            yield (symbol, display_code(symbol), *names, None, prev, *(None,) * 9)
            continue
        bar = bars[0]
        change = None if prev is None else bar.close - prev
        pct = None if change is None or not prev else (change * 100 / prev).quantize(_CENT)
        last = ticks_between(engine, symbol, start, end, limit=1, newest=True)
        yield (
            symbol,
            display_code(symbol),
            *names,
            bar.close,
            prev,
            change,
            pct,
            bar.open,
            bar.high,
            bar.low,
            bar.volume,
            bar.turnover,
            bar.trades,
            hk_time(last[0].ts) if last else None,
        )
