"""How one batch goes into the database, inside the writer's transaction.

The writer (``writer``) decides when and what to commit and what to do when the database
fails; this module only turns its queued entries (ticks, books, gaps, provider bars, symbol
facts) into statements, per dialect: SQLite takes multi-row statements of plain tuples
(``bulk``), PostgreSQL ``COPY`` for the ticks of a big batch and compiled statements for the
rest. It also folds the inserted ticks into the 1-minute bars (``minute_bars``) in the same
transaction, before the provider's bars of the batch are weighed against them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import msgspec
from sqlalchemy import Connection, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hkdesk.domain.static_info import StaticInfo
from hkdesk.domain.types import Bar, Book, Gap, Level, Tick
from hkdesk.store.bulk import insert_tuples, upsert_rows
from hkdesk.store.minute_bars import BarCache, apply_deltas, apply_provider_bars, deltas_from_ticks
from hkdesk.store.schema import decimal_text, depth, gaps, symbol_info, ticks
from hkdesk.store.spill_keeper import BARS, BOOKS, GAP, INFO, TICKS, Entry

#: PostgreSQL: from this many ticks on, COPY (~5x faster per row) beats a multi-row INSERT,
#: whose fewer round trips win for small batches.
COPY_FROM_ROWS = 50


def _levels_json(levels: Sequence[Level]) -> str:
    return msgspec.json.encode([[decimal_text(lv.price), decimal_text(lv.volume)] for lv in levels]).decode()


def _book_row(book: Book) -> dict:
    return {
        "symbol": book.symbol,
        "seq": book.seq,
        "ts": book.ts,
        "bids": _levels_json(book.bids),
        "asks": _levels_json(book.asks),
        "received_at": book.received_at,
    }


def _tick_row(t: Tick) -> dict:
    return {
        "symbol": t.symbol,
        "seq": t.seq,
        "ts": t.ts,
        "price": t.price,
        "volume": t.volume,
        "turnover": t.turnover,
        "direction": t.direction,
        "received_at": t.received_at,
    }


_STAGE_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS hk_tick_stage (LIKE ticks INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
)
_TICK_COLUMNS = "symbol, seq, ts, price, volume, turnover, direction, received_at"
_SQLITE_INSERT_HEAD = f"INSERT OR IGNORE INTO ticks ({_TICK_COLUMNS})"
_DEPTH_KEY = ("symbol", "seq", "ts")
_SQLITE_DEPTH_HEAD = "INSERT OR IGNORE INTO depth (symbol, seq, ts, bids, asks, received_at)"
_GAP_KEY = ("symbol", "start_ts", "end_ts", "reason")
_INFO_COLUMNS = tuple(c.name for c in symbol_info.columns if c.name != "symbol")
_STAGE_COPY = f"COPY hk_tick_stage ({_TICK_COLUMNS}) FROM STDIN"
_STAGE_MOVE = (
    f"INSERT INTO ticks ({_TICK_COLUMNS}) SELECT {_TICK_COLUMNS} FROM hk_tick_stage "
    "ON CONFLICT DO NOTHING RETURNING symbol, ts, seq"
)


def insert_ticks(conn: Connection, rows: list[Tick]) -> list[Tick]:
    """Insert ``rows``, skipping stored ones and repeats (same ``TICK_KEY``); return the ticks
    really inserted.

    The SQLite fast path takes the batch as it is (a repeat makes it fall back); the other
    paths first keep one tick per key, as they report inserted keys, not rows.
    """
    if not rows:
        return []
    postgres = conn.dialect.name == "postgresql"
    if not postgres and _insert_all_new_sqlite(conn, rows):
        return rows
    unique: dict[tuple[str, int, int], Tick] = {}
    for tick in rows:
        unique.setdefault((tick.symbol, tick.ts, tick.seq), tick)
    rows = list(unique.values())
    if postgres and len(rows) >= COPY_FROM_ROWS:
        keys = _copy_ticks(conn, rows)
    else:
        upsert = pg_insert if postgres else sqlite_insert
        stmt = upsert(ticks).on_conflict_do_nothing().returning(ticks.c.symbol, ticks.c.ts, ticks.c.seq)
        keys = {tuple(r) for r in conn.execute(stmt, [_tick_row(t) for t in rows])}
    if len(keys) == len(rows):
        return rows
    return [t for t in rows if (t.symbol, t.ts, t.seq) in keys]


def insert_books(conn: Connection, books: list[Book]) -> None:
    if conn.dialect.name != "sqlite":
        upsert_rows(conn, depth, [_book_row(b) for b in books], keys=_DEPTH_KEY)
        return
    rows = [(b.symbol, b.seq, b.ts, _levels_json(b.bids), _levels_json(b.asks), b.received_at) for b in books]
    insert_tuples(conn, _SQLITE_DEPTH_HEAD, 6, rows, len(rows))


def _insert_all_new_sqlite(conn: Connection, rows: list[Tick]) -> bool:
    """SQLite fast path: driver-level multi-row inserts of plain tuples (see ``bulk``), kept
    only if every row was new. With duplicates in the batch it is rolled back (savepoint)
    and the caller takes the ``RETURNING`` path, which tells exactly which ticks went in."""
    savepoint = conn.begin_nested()
    inserted = insert_tuples(
        conn,
        _SQLITE_INSERT_HEAD,
        8,
        (
            (
                t.symbol,
                t.seq,
                t.ts,
                # schema.decimal_text, inlined: three calls per tick are a tenth of this loop
                p if "E" not in (p := str(t.price)) else format(t.price, "f"),
                v if "E" not in (v := str(t.volume)) else format(t.volume, "f"),
                x if "E" not in (x := str(t.turnover)) else format(t.turnover, "f"),
                t.direction,
                t.received_at,
            )
            for t in rows
        ),
        len(rows),
    )
    if inserted == len(rows):
        savepoint.commit()
        return True
    savepoint.rollback()
    return False


def _copy_ticks(conn: Connection, rows: list[Tick]) -> set[tuple]:
    """PostgreSQL: COPY into a per-session temp table, then move new rows across."""
    conn.exec_driver_sql(_STAGE_DDL)
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(_STAGE_COPY) as copy:
        for t in rows:
            copy.write_row((t.symbol, t.seq, t.ts, t.price, t.volume, t.turnover, t.direction, t.received_at))
    return {tuple(r) for r in conn.exec_driver_sql(_STAGE_MOVE)}


def _gap_row(gap: Gap) -> dict:
    return {
        "symbol": gap.symbol,
        "start_ts": gap.start_ts,
        "end_ts": gap.end_ts,
        "reason": gap.reason,
        "recorded_at": gap.recorded_at,
        "filled_at": gap.filled_at or None,
    }


def insert_gaps(conn: Connection, found: list[Gap]) -> None:
    """Store gaps; a gap with ``filled_at`` marks the stored gaps of its span filled (whatever
    their reason), and is stored itself only if there were none."""
    upsert_rows(conn, gaps, [_gap_row(g) for g in found if not g.filled_at], keys=_GAP_KEY)
    for gap in (g for g in found if g.filled_at):
        marked = conn.execute(
            update(gaps)
            .where(gaps.c.symbol == gap.symbol, gaps.c.start_ts == gap.start_ts, gaps.c.end_ts == gap.end_ts)
            .values(filled_at=gap.filled_at)
        )
        if not marked.rowcount:
            upsert_rows(conn, gaps, [_gap_row(gap)], keys=_GAP_KEY)


def _info_row(info: StaticInfo) -> dict:
    return msgspec.structs.asdict(info)


def write_batch(
    conn: Connection, entries: list[Entry], cache: BarCache | None
) -> tuple[list[Tick], int, list[dict]]:
    """Insert one batch of queued entries; return the ticks really inserted, the ticks offered
    and the bar rows written."""
    tick_lists: list[list[Tick]] = []
    books: list[Book] = []
    found_gaps: list[Gap] = []
    provided: list[Bar] = []
    infos: list[StaticInfo] = []
    for kind, payload, _units in entries:
        if kind == TICKS:
            tick_lists.append(payload)  # type: ignore[arg-type]
        elif kind == BOOKS:
            books.extend(payload)  # type: ignore[arg-type]
        elif kind == GAP:
            found_gaps.append(payload)  # type: ignore[arg-type]
        elif kind == BARS:
            provided.extend(payload)  # type: ignore[arg-type]
        elif kind == INFO:
            infos.extend(payload)  # type: ignore[arg-type]
    all_ticks = tick_lists[0] if len(tick_lists) == 1 else list(itertools.chain.from_iterable(tick_lists))
    inserted = insert_ticks(conn, all_ticks)
    bar_rows = apply_deltas(conn, deltas_from_ticks(inserted), cache)
    if provided:
        written = {(row["symbol"], row["start"]): row for row in bar_rows}
        bar_rows += apply_provider_bars(conn, provided, cache, written)
    if books:
        insert_books(conn, books)
    if found_gaps:
        insert_gaps(conn, found_gaps)
    if infos:
        upsert_rows(conn, symbol_info, [_info_row(i) for i in infos], keys=("symbol",), update=_INFO_COLUMNS)
    return inserted, len(all_ticks), bar_rows
