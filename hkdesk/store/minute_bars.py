"""Keeping the stored 1-minute bars in step with the ticks committed in the same transaction.

Only ticks that were really inserted (not duplicates) are folded in, so re-sending a tick never
counts twice. Each bar remembers the ``(ts, seq)`` of its first and last trade: a late or
replayed tick then moves open/close only if it is earlier/later than what the bar already has,
which makes the result independent of commit order.

The merge happens in Python (read the touched bars, merge, write back) because SQLite keeps the
numbers as exact text that SQL cannot compare; a batch touches few bars (symbols × minutes), so
this costs one small SELECT and one executemany per batch. It assumes one writer per database,
which ``BatchWriter`` is.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, and_, bindparam, select, tuple_, update

from hkdesk.domain.bars import MINUTE, bar_start
from hkdesk.domain.types import Tick
from hkdesk.store.schema import bars

_KEY_CHUNK = 400


class BarDelta:
    """The contribution of one batch of ticks to one 1-minute bar."""

    __slots__ = ("close", "first", "high", "last", "low", "open", "trades", "turnover", "volume")

    def __init__(self, tick: Tick) -> None:
        self.open = self.high = self.low = self.close = tick.price
        self.volume = tick.volume
        self.turnover = tick.turnover if tick.turnover is not None else tick.price * tick.volume
        self.trades = 1
        self.first = self.last = (tick.ts, tick.seq)

    def add(self, tick: Tick) -> None:
        price = tick.price
        if price > self.high:
            self.high = price
        if price < self.low:
            self.low = price
        key = (tick.ts, tick.seq)
        if key < self.first:
            self.first, self.open = key, price
        if key > self.last:
            self.last, self.close = key, price
        self.volume += tick.volume
        self.turnover += tick.turnover if tick.turnover is not None else price * tick.volume
        self.trades += 1


def deltas_from_ticks(ticks: Iterable[Tick]) -> dict[tuple[str, int], BarDelta]:
    """Per (symbol, minute start) contributions of ``ticks`` (any order)."""
    deltas: dict[tuple[str, int], BarDelta] = {}
    for tick in ticks:
        key = (tick.symbol, bar_start(tick.ts, MINUTE))
        delta = deltas.get(key)
        if delta is None:
            deltas[key] = BarDelta(tick)
        else:
            delta.add(tick)
    return deltas


def _row(symbol: str, start: int, d: BarDelta) -> dict:
    return {
        "symbol": symbol,
        "interval_s": MINUTE,
        "start": start,
        "open": d.open,
        "high": d.high,
        "low": d.low,
        "close": d.close,
        "volume": d.volume,
        "turnover": d.turnover,
        "trades": d.trades,
        "first_ts": d.first[0],
        "first_seq": d.first[1],
        "last_ts": d.last[0],
        "last_seq": d.last[1],
    }


def _merge(old, symbol: str, start: int, d: BarDelta) -> dict:
    row = _row(symbol, start, d)
    old_first = (old.first_ts, old.first_seq)
    old_last = (old.last_ts, old.last_seq)
    if old_first < d.first:
        row["open"], row["first_ts"], row["first_seq"] = old.open, *old_first
    if old_last > d.last:
        row["close"], row["last_ts"], row["last_seq"] = old.close, *old_last
    row["high"] = max(old.high, d.high)
    row["low"] = min(old.low, d.low)
    row["volume"] = old.volume + d.volume
    row["turnover"] = old.turnover + d.turnover
    row["trades"] = old.trades + d.trades
    return row


def _existing(conn: Connection, keys: list[tuple[str, int]]) -> dict[tuple[str, int], object]:
    found: dict[tuple[str, int], object] = {}
    for i in range(0, len(keys), _KEY_CHUNK):
        chunk = keys[i : i + _KEY_CHUNK]
        query = select(bars).where(
            bars.c.interval_s == MINUTE, tuple_(bars.c.symbol, bars.c.start).in_(chunk)
        )
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        for row in conn.execute(query):
            found[(row.symbol, row.start)] = row
    return found


_VALUE_COLUMNS = (
    "open",
    "high",
    "low",
    "close",
    "volume",
    "turnover",
    "trades",
    "first_ts",
    "first_seq",
    "last_ts",
    "last_seq",
)
_UPDATE = (
    update(bars)
    .where(
        and_(
            bars.c.symbol == bindparam("k_symbol"),
            bars.c.interval_s == bindparam("k_interval_s"),
            bars.c.start == bindparam("k_start"),
        )
    )
    .values({name: bindparam(name) for name in _VALUE_COLUMNS})
)


def apply_deltas(conn: Connection, deltas: dict[tuple[str, int], BarDelta]) -> int:
    """Merge ``deltas`` into the ``bars`` table inside the caller's transaction; return bars touched."""
    if not deltas:
        return 0
    keys = list(deltas)
    old = _existing(conn, keys)
    inserts: list[dict] = []
    updates: list[dict] = []
    for (symbol, start), delta in deltas.items():
        previous = old.get((symbol, start))
        if previous is None:
            inserts.append(_row(symbol, start, delta))
            continue
        row = _merge(previous, symbol, start, delta)
        row["k_symbol"], row["k_interval_s"], row["k_start"] = row.pop("symbol"), MINUTE, row.pop("start")
        del row["interval_s"]
        updates.append(row)
    if inserts:
        conn.execute(bars.insert(), inserts)
    if updates:
        conn.execute(_UPDATE, updates)
    return len(keys)
