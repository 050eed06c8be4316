"""Many rows per statement on SQLite, without compiling a statement per batch.

sqlite3 releases the GIL around every step of a statement, and ``executemany`` steps once per
row. While another thread keeps the GIL busy (the receive path in a burst, the GUI), every one
of those releases costs the writer thread a wait of up to the interpreter's switch interval
(5 ms): 40,000 rows that took 46 ms alone took 37 s next to one busy thread. A statement with
many ``VALUES`` rows steps once. The statements are plain SQL text in a few fixed sizes, so
SQLite and the driver reuse their prepared forms: compiling a fresh multi-row statement per
batch through SQLAlchemy held the GIL long enough to delay the GUI's frames.

PostgreSQL does not have the per-row hand-off problem (psycopg releases the GIL only around
network I/O); there ``upsert_rows`` runs one compiled statement over all rows, which
SQLAlchemy batches into multi-row statements itself.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

#: Bound parameters one statement may carry (SQLite's limit; 999 before 3.32).
MAX_PARAMS = 32_766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999
#: Rows per statement: a batch is cut greedily into these sizes (few distinct statements).
SIZES = (4_000, 1_000, 250, 64, 16, 4, 1)


def chunk_sizes(rows: int, width: int) -> Iterator[int]:
    """The statement sizes that cover ``rows`` rows of ``width`` columns, largest first."""
    fits = [size for size in SIZES if size * width <= MAX_PARAMS] or [1]
    for size in fits:
        while rows >= size:
            yield size
            rows -= size


@lru_cache(maxsize=128)
def _values_sql(head: str, width: int, rows: int, tail: str) -> str:
    row = "(" + ", ".join("?" * width) + ")"
    return f"{head} VALUES {', '.join(itertools.repeat(row, rows))}{tail}"


def insert_tuples(
    conn: Connection,
    head: str,
    width: int,
    rows: Iterable[tuple[Any, ...]],
    count: int,
    tail: str = "",
) -> int:
    """Run ``head VALUES (?, …), … tail`` over the ``count`` rows of ``rows`` (DB-API tuples,
    SQLite's ``?`` style); return the rows the database reports changed.

    Rows are drawn from ``rows`` one statement at a time, so a generator builds (and frees) one
    statement's tuples at once: built for a whole 100,000-tick batch, they were freed in one C
    call at the end that held the GIL for tens of milliseconds.
    """
    changed = 0
    source = iter(rows)
    for size in chunk_sizes(count, width):
        params = tuple(itertools.chain.from_iterable(itertools.islice(source, size)))
        changed += conn.exec_driver_sql(_values_sql(head, width, size, tail), params).rowcount
    return changed


def upsert_rows(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str] = (),
) -> None:
    """Insert ``rows`` (dicts of column values); on a key clash update the ``update`` columns
    from the new row, or keep the old row if there are none. One compiled statement for all
    rows (SQLAlchemy turns it into multi-row statements where the driver allows)."""
    if not rows:
        return
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table)
    if update:
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys), set_={name: stmt.excluded[name] for name in update}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
    conn.execute(stmt, list(rows))
