"""Multi-row statements: one execute per few thousand rows instead of ``executemany``.

sqlite3 releases the GIL around every step of a statement, and ``executemany`` steps once per
row. While another thread keeps the GIL busy (the receive path in a burst, the GUI), every one
of those releases costs the writer thread a wait of up to the interpreter's switch interval
(5 ms): 40,000 rows that took 46 ms alone took 37 s next to one busy thread. A statement with
many ``VALUES`` rows steps once per chunk, so the writer keeps its pace whatever the other
threads do. PostgreSQL gets the same statements (fewer round trips).
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

#: Bound parameters one statement may carry (SQLite's limit; 999 before 3.32).
MAX_PARAMS = 32_766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999
#: Rows per statement are also capped: a longer statement costs more to prepare than it saves.
MAX_ROWS = 4_000


def rows_per_statement(width: int) -> int:
    """How many rows of ``width`` columns fit in one statement."""
    return max(1, min(MAX_ROWS, MAX_PARAMS // width))


@lru_cache(maxsize=64)
def _values_sql(head: str, width: int, rows: int) -> str:
    row = "(" + ", ".join("?" * width) + ")"
    return f"{head} VALUES {', '.join(itertools.repeat(row, rows))}"


def insert_tuples(conn: Connection, head: str, width: int, rows: Sequence[tuple[Any, ...]]) -> int:
    """Run ``head VALUES (?, …), …`` over ``rows`` (DB-API tuples, SQLite's ``?`` style) in
    chunks; return the rows the database reports changed."""
    step = rows_per_statement(width)
    changed = 0
    for i in range(0, len(rows), step):
        chunk = rows[i : i + step]
        result = conn.exec_driver_sql(
            _values_sql(head, width, len(chunk)), tuple(itertools.chain.from_iterable(chunk))
        )
        changed += result.rowcount
    return changed


def upsert_rows(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str] = (),
) -> None:
    """Insert ``rows`` (dicts of column values) with multi-row statements; on a key clash update
    the ``update`` columns from the new row, or keep the old row if there are none."""
    if not rows:
        return
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    step = rows_per_statement(len(rows[0]))
    for i in range(0, len(rows), step):
        stmt = insert(table).values(list(rows[i : i + step]))
        if update:
            stmt = stmt.on_conflict_do_update(
                index_elements=list(keys), set_={name: stmt.excluded[name] for name in update}
            )
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
        conn.execute(stmt)
