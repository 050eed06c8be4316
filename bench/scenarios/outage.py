"""Recovery after a database outage while the simulator streams 5,000 trades a second.

The headless pipeline (feed → quote hub → batched writer) runs with the app's writer settings
(5 s busy timeout, retries doubling to 5 s, 200,000 units in memory before spilling). After a
warm-up the database goes away for ``outage`` seconds:

* SQLite: another connection holds an exclusive lock on the file;
* PostgreSQL: the database stops accepting connections and the writer's are ended.

Recovery is the time from the database's return until the writer has caught up: commits succeed,
no spill file is left and the queue is back to the size of a normal batch. Lost is the number of
ticks received that are not in the database once the feed has closed and the writer finished.

There is no baseline design to set against this (the naive commit-per-tick client cannot keep
up with 5,000 ticks/s with the database up); the row reports seconds and counts.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bench.report import Result
from bench.scenarios import feeds
from hkdesk.sim.process import start_simulator_process
from hkdesk.store import make_engine
from hkdesk.store.history import count_ticks
from hkdesk.store.writer import BatchWriter
from hkdesk.store.writer_stats import WriterStats

RATE = 5_000
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
PG_DB = "hkdesk_bench_outage"


@dataclass
class Recovery:
    seconds: float
    received: int
    stored: int
    max_queued: int
    max_spilled: int
    error: str


class SqliteOutage:
    """An exclusive lock held by another connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    async def start(self) -> None:
        def lock() -> None:
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            self._conn.execute("BEGIN EXCLUSIVE")

        await asyncio.to_thread(lock)

    async def end(self) -> None:
        assert self._conn is not None
        self._conn.execute("ROLLBACK")
        self._conn.close()


class PostgresOutage:
    """The database refuses new connections and its open ones are ended."""

    @staticmethod
    def prepare() -> bool:
        try:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_DB}")
            return True
        except Exception:
            return False

    @staticmethod
    def _admin(*statements: str) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            for statement in statements:
                conn.execute(statement)

    async def start(self) -> None:
        await asyncio.to_thread(
            self._admin,
            f"ALTER DATABASE {PG_DB} WITH ALLOW_CONNECTIONS false",
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{PG_DB}'",
        )

    async def end(self) -> None:
        await asyncio.to_thread(self._admin, f"ALTER DATABASE {PG_DB} WITH ALLOW_CONNECTIONS true")

    @classmethod
    def drop(cls) -> None:
        cls._admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def _sample(writer: BatchWriter, out: Recovery) -> WriterStats:
    """Keep the peaks of the writer's backlog (and the failure it saw); return its stats."""
    s = writer.stats()
    out.max_queued = max(out.max_queued, s.queued)
    out.max_spilled = max(out.max_spilled, s.spilled)
    if not s.db_ok and s.last_error:
        out.error = s.last_error.rsplit(":", 1)[-1].strip()[:80]
    return s


async def _watch(writer: BatchWriter, seconds: float, out: Recovery) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _sample(writer, out)
        await asyncio.sleep(0.02)


async def ride_out(
    ws_url: str,
    db_url: str,
    spill: Path,
    start: Callable[[], Awaitable[None]],
    end: Callable[[], Awaitable[None]],
    warmup: float,
    outage: float,
) -> Recovery:
    engine = make_engine(db_url, connect_timeout_s=2)
    writer = BatchWriter(engine, spill_dir=spill)
    pipeline, task = feeds.start_pipeline(ws_url, writer)
    out = Recovery(0.0, 0, 0, 0, 0, "")
    await asyncio.sleep(warmup)
    await start()
    await _watch(writer, outage, out)
    await end()
    back, back_wall = time.monotonic(), time.time()
    normal = writer.flush_rows + int(2 * RATE * writer.flush_interval)
    while True:
        s = _sample(writer, out)
        committed_since = (s.last_commit_at or 0.0) >= back_wall
        if committed_since and s.db_ok and s.spilled == 0 and s.queued <= normal:
            break
        if time.monotonic() - back > 120:
            raise RuntimeError("the writer did not catch up within 120 s")
        await asyncio.sleep(0.01)
    out.seconds = time.monotonic() - back
    await pipeline.close()
    await task
    await asyncio.to_thread(writer.stop, 120)
    out.received = pipeline.ticks_received
    out.stored = count_ticks(engine)
    engine.dispose()
    return out


def _result(database: str, outage: float, r: Recovery) -> Result:
    return Result(
        name=f"recovery after a {outage:g} s {database} outage at {RATE:,} ticks/s",
        unit="s",
        baseline=None,
        hkdesk=r.seconds,
        baseline_label="none",
        lower_is_better=True,
        target="caught up, 0 lost",
        extra={
            "lost": r.received - r.stored,
            "received": r.received,
            "max_queued": r.max_queued,
            "max_spilled": r.max_spilled,
            "error_seen": r.error,
        },
    )


def run(quick: bool) -> list[Result]:
    warmup, outage = (0.5, 1.0) if quick else (2.0, 10.0)
    results = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        start_simulator_process(["--rate", str(RATE), "--seed", "11"]) as sim,
    ):
        db = Path(tmp) / "outage.db"
        lock = SqliteOutage(db)
        spill = Path(tmp) / "spill-sqlite"
        r = asyncio.run(ride_out(sim.ws_url, f"sqlite:///{db}", spill, lock.start, lock.end, warmup, outage))
        results.append(_result("SQLite (file locked)", outage, r))
        if PostgresOutage.prepare():
            pg = PostgresOutage()
            try:
                r = asyncio.run(
                    ride_out(
                        sim.ws_url,
                        f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}",
                        Path(tmp) / "spill-pg",
                        pg.start,
                        pg.end,
                        warmup,
                        outage,
                    )
                )
            finally:
                PostgresOutage.drop()
            results.append(_result("PostgreSQL (connections refused)", outage, r))
    return results
