"""Keeping the stored 1-minute bars in step with the ticks committed in the same transaction.

Only ticks that were really inserted (not duplicates) are folded in, so re-sending a tick never
counts twice. Each bar remembers the ``(ts, seq)`` of its first and last trade: a late or
replayed tick then moves open/close only if it is earlier/later than what the bar already has,
which makes the result independent of commit order.

The merge happens in Python (read the touched bars, merge, write back) because SQLite keeps the
numbers as exact text that SQL cannot compare; a batch touches few bars (symbols × minutes), so
this costs one small SELECT and one executemany per batch. It assumes one writer per database,
which ``BatchWriter`` is.

Bars from the provider (``provided``) are whole minutes: the exchange's own count of them.
- One goes in where no bar of its minute is stored, and replaces a stored bar that holds less
  volume: our trades of that minute are then incomplete (the stream started, or came back, in
  the middle of it), or a provider bar fetched while its minute was still running is superseded.
  A stored bar with as much volume or more is kept: a minute covered by our trades is never
  counted twice, and never replaced by a smaller one.
- Trades that land in a provided minute later (a replayed spill, a late tick) are stored as
  ticks but not folded into the bar: the provider's bar already counts them. The bar is kept,
  not replaced by the partial sum of the trades we happen to hold.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select, tuple_

from hkdesk.domain.bars import MINUTE
from hkdesk.domain.sessions import HK_OFFSET_MS
from hkdesk.domain.types import Bar, Tick
from hkdesk.store.bulk import insert_tuples, upsert_rows
from hkdesk.store.schema import bars, decimal_text

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
        elif price < self.low:  # never both: low <= high
            self.low = price
        key = (tick.ts, tick.seq)
        if key > self.last:
            self.last, self.close = key, price
        elif key < self.first:  # never both: first <= last
            self.first, self.open = key, price
        self.volume += tick.volume
        turnover = tick.turnover
        self.turnover += turnover if turnover is not None else price * tick.volume
        self.trades += 1


def deltas_from_ticks(ticks: Iterable[Tick]) -> dict[tuple[str, int], BarDelta]:
    """Per (symbol, minute start) contributions of ``ticks`` (any order).

    A symbol's next trade nearly always falls in the same minute as its last one, so the bar
    it went to is remembered per symbol and the (symbol, minute) key is made only on a change.
    """
    deltas: dict[tuple[str, int], BarDelta] = {}
    current: dict[str, tuple[int, int, BarDelta]] = {}  # symbol -> (start, end, delta)
    span = MINUTE * 1000
    for tick in ticks:
        ts = tick.ts
        hit = current.get(tick.symbol)
        if hit is not None and hit[0] <= ts < hit[1]:
            hit[2].add(tick)
            continue
        start = ts - (ts + HK_OFFSET_MS) % span  # bar_start(ts, MINUTE), inlined
        key = (tick.symbol, start)
        delta = deltas.get(key)
        if delta is None:
            delta = deltas[key] = BarDelta(tick)
        else:
            delta.add(tick)
        current[tick.symbol] = (start, start + span, delta)
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
        "provided": 0,
    }


def _provider_row(bar: Bar) -> dict:
    return {
        "symbol": bar.symbol,
        "interval_s": MINUTE,
        "start": bar.start,
        "open": bar.open,
        "high": bar.high,
        "low": bar.low,
        "close": bar.close,
        "volume": bar.volume,
        "turnover": bar.turnover,
        "trades": 0,
        "first_ts": bar.start,
        "first_seq": 0,
        "last_ts": bar.start,
        "last_seq": 0,
        "provided": 1,
    }


def _merge(old: dict, symbol: str, start: int, d: BarDelta) -> dict:
    row = _row(symbol, start, d)
    old_first = (old["first_ts"], old["first_seq"])
    old_last = (old["last_ts"], old["last_seq"])
    if old_first < d.first:
        row["open"], row["first_ts"], row["first_seq"] = old["open"], *old_first
    if old_last > d.last:
        row["close"], row["last_ts"], row["last_seq"] = old["close"], *old_last
    row["high"] = max(old["high"], d.high)
    row["low"] = min(old["low"], d.low)
    row["volume"] = old["volume"] + d.volume
    row["turnover"] = old["turnover"] + d.turnover
    row["trades"] = old["trades"] + d.trades
    return row


class BarCache:
    """The bars one SQLite writer last committed, so a batch need not read them back.

    Reading a bar back costs a step per row, and SQLite releases the GIL on every step: next to
    a busy receive thread each release can cost the writer milliseconds (see ``bulk``). Only
    valid while one writer owns the file, which ``BatchWriter`` does for SQLite; PostgreSQL
    may be shared by several desks and always reads (and locks) the bars it merges into.
    ``owner`` names the file the rows belong to; a different one empties the cache.
    """

    def __init__(self, limit: int = 4_096, keep_ms: int = 3 * 60_000) -> None:
        self.limit = limit
        self.keep_ms = keep_ms
        self.owner: object = None
        self._rows: dict[tuple[str, int], dict] = {}
        self._newest = 0

    def get(self, key: tuple[str, int]) -> dict | None:
        return self._rows.get(key)

    def claim(self, owner: object) -> None:
        if owner != self.owner:
            self.clear()
            self.owner = owner

    def remember(self, rows: list[dict]) -> None:
        """Keep ``rows``; past ``limit`` entries, bars older than the newest minute by more than
        ``keep_ms`` go (live ticks touch only the last minutes; a late one just reads again)."""
        for row in rows:
            start = row["start"]
            self._rows[(row["symbol"], start)] = row
            if start > self._newest:
                self._newest = start
        if len(self._rows) > self.limit:
            oldest = self._newest - self.keep_ms
            self._rows = {key: row for key, row in self._rows.items() if key[1] >= oldest}
            if len(self._rows) > self.limit:
                self._rows.clear()

    def clear(self) -> None:
        self._rows.clear()

    def __len__(self) -> int:
        return len(self._rows)


def _existing(
    conn: Connection, keys: list[tuple[str, int]], cache: BarCache | None
) -> dict[tuple[str, int], dict]:
    found: dict[tuple[str, int], dict] = {}
    missing = keys
    if cache is not None:
        missing = []
        for key in keys:
            row = cache.get(key)
            if row is None:
                missing.append(key)
            else:
                found[key] = row
    for i in range(0, len(missing), _KEY_CHUNK):
        chunk = missing[i : i + _KEY_CHUNK]
        query = select(bars).where(
            bars.c.interval_s == MINUTE, tuple_(bars.c.symbol, bars.c.start).in_(chunk)
        )
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        for row in conn.execute(query):
            found[(row.symbol, row.start)] = dict(row._mapping)
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
    "provided",
)
_KEY_COLUMNS = ("symbol", "interval_s", "start")
_COLUMNS = (*_KEY_COLUMNS, *_VALUE_COLUMNS)
_DECIMALS = frozenset({"open", "high", "low", "close", "volume", "turnover"})
_SQLITE_UPSERT_HEAD = f"INSERT INTO bars ({', '.join(_COLUMNS)})"
_SQLITE_UPSERT_TAIL = f" ON CONFLICT ({', '.join(_KEY_COLUMNS)}) DO UPDATE SET " + ", ".join(
    f"{name} = excluded.{name}" for name in _VALUE_COLUMNS
)


def _sqlite_tuple(row: dict) -> tuple:
    """A bar row as SQLite stores it (decimals as plain digit text, like ``ExactDecimal``)."""
    return tuple(decimal_text(row[name]) if name in _DECIMALS else row[name] for name in _COLUMNS)


def apply_deltas(
    conn: Connection, deltas: dict[tuple[str, int], BarDelta], cache: BarCache | None = None
) -> list[dict]:
    """Merge ``deltas`` into the ``bars`` table inside the caller's transaction; return the rows
    written (for ``cache.remember`` once the transaction has committed). Minutes whose stored
    bar came from the provider are left as they are (module docstring)."""
    if not deltas:
        return []
    old = _existing(conn, list(deltas), cache)
    rows: list[dict] = []
    for (symbol, start), delta in deltas.items():
        previous = old.get((symbol, start))
        if previous is None:
            rows.append(_row(symbol, start, delta))
        elif not previous["provided"]:
            rows.append(_merge(previous, symbol, start, delta))
    _upsert(conn, rows)
    return rows


def apply_provider_bars(
    conn: Connection,
    provided: list[Bar],
    cache: BarCache | None = None,
    written: dict[tuple[str, int], dict] | None = None,
) -> list[dict]:
    """Store the provider's 1-minute bars where they hold more than the stored ones (module
    docstring), inside the caller's transaction; ``written`` holds the bar rows this
    transaction wrote already (newer than the cache). Returns the rows written."""
    latest: dict[tuple[str, int], Bar] = {}
    for bar in provided:
        key = (bar.symbol, bar.start)
        if key not in latest or bar.volume > latest[key].volume:
            latest[key] = bar
    fresh = written or {}
    old = _existing(conn, [key for key in latest if key not in fresh], cache)
    old.update(fresh)
    rows = []
    for key, bar in latest.items():
        previous = old.get(key)
        if previous is None or bar.volume > previous["volume"]:
            rows.append(_provider_row(bar))
    _upsert(conn, rows)
    return rows


def _upsert(conn: Connection, rows: list[dict]) -> None:
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        tuples = [_sqlite_tuple(row) for row in rows]
        insert_tuples(conn, _SQLITE_UPSERT_HEAD, len(_COLUMNS), tuples, len(tuples), _SQLITE_UPSERT_TAIL)
    else:
        upsert_rows(conn, bars, rows, keys=_KEY_COLUMNS, update=_VALUE_COLUMNS)
