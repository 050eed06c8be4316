"""One batch into the database, for the writer thread: a transaction per batch, with the bar
cache and the SQLite file guard kept in step, and entries the database refuses for good isolated
by bisection and parked (``spill_keeper``) while the rest are stored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from hkdesk.store.batch_sql import write_batch
from hkdesk.store.failures import describe, is_transient
from hkdesk.store.file_guard import SqliteFileGuard
from hkdesk.store.minute_bars import BarCache
from hkdesk.store.spill_keeper import Entry, SpillKeeper


@dataclass(frozen=True, slots=True)
class Committed:
    """What one transaction stored."""

    inserted: int  # ticks new to the database
    offered: int  # ticks in the batch
    provided: int  # provider bars written
    units: int  # everything in the batch (ticks, books, gaps, bars, facts)


class Committer:
    """Commits batches to ``engine``; ``on_commit`` hears of each transaction that committed."""

    def __init__(self, engine: Engine, keeper: SpillKeeper, on_commit: Callable[[Committed], None]) -> None:
        self.engine = engine
        self._keeper = keeper
        self._on_commit = on_commit
        self.file_guard = SqliteFileGuard(engine)
        self.bar_cache = BarCache() if engine.dialect.name == "sqlite" else None

    def store(self, entries: list[Entry]) -> None:
        """Commit ``entries``; parks entries the database refuses for good, raises on transient errors."""
        try:
            self._write(entries)
            return
        except Exception as exc:
            if is_transient(exc, self.engine.dialect.loaded_dbapi):
                raise
            if len(entries) == 1:
                self._keeper.quarantine(entries, describe(exc))
                return
        middle = len(entries) // 2
        self.store(entries[:middle])
        self.store(entries[middle:])

    def _write(self, entries: list[Entry]) -> None:
        cache = self.bar_cache
        try:
            with self.engine.begin() as conn:
                opened = self.file_guard.opened(conn)
                if cache is not None:
                    cache.claim(opened)
                inserted, offered, bar_rows = write_batch(conn, entries, cache)
            self.file_guard.check_commit(opened)
        except BaseException:
            if cache is not None:
                cache.clear()
            raise
        if cache is not None:
            cache.remember(bar_rows)
        provided = sum(row["provided"] for row in bar_rows)
        self._on_commit(Committed(len(inserted), offered, provided, sum(e[2] for e in entries)))
