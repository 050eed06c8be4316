"""Multi-row statements and the bar cache: what keeps the writer off the per-row GIL hand-off."""

from __future__ import annotations

import sqlite3
import threading
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select
from storekit import T0, ticks
from support.waits import wait_until_sync

from hkdesk.domain.bars import aggregate
from hkdesk.domain.types import Book, Level
from hkdesk.store import BatchWriter, batch_sql, bulk, make_engine, migrate
from hkdesk.store.history import bars_between, count_ticks
from hkdesk.store.minute_bars import BarCache
from hkdesk.store.schema import bars, depth

FAR = T0 + 10 * 86_400_000


def test_chunk_sizes_cover_the_rows_within_the_parameter_limit():
    assert sum(bulk.chunk_sizes(10_123, 8)) == 10_123
    assert list(bulk.chunk_sizes(10_123, 8))[:2] == [4_000, 4_000]
    assert all(size * 14 <= bulk.MAX_PARAMS for size in bulk.chunk_sizes(9_999, 14))
    assert list(bulk.chunk_sizes(3, 10**6)) == [1, 1, 1]
    assert len(set(bulk.chunk_sizes(5_000, 8))) <= len(bulk.SIZES)


def test_insert_tuples_chunks_and_counts_changed_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "SIZES", (7, 1))
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)")
        statements.clear()
        changed = bulk.insert_tuples(
            conn, "INSERT OR IGNORE INTO t (a, b)", 2, ((i, str(i)) for i in range(30)), 30
        )
        again = bulk.insert_tuples(
            conn, "INSERT OR IGNORE INTO t (a, b)", 2, [(i, "x") for i in range(25, 35)], 10
        )
        rows = conn.exec_driver_sql("SELECT a, b FROM t ORDER BY a").all()
    assert (changed, again) == (30, 5)
    inserts = [sql for sql in statements if sql.startswith("INSERT")]
    assert len(inserts) == (4 + 2) + (1 + 3)  # 30 = 4 x 7 + 2 x 1, then 10 = 7 + 3 x 1
    assert rows == [(i, str(i)) for i in range(30)] + [(i, "x") for i in range(30, 35)]
    engine.dispose()


def test_the_writer_steps_sqlite_per_chunk_not_per_row(tmp_path):
    """sqlite3 releases the GIL at every step; one step per row made a writer next to a busy
    thread crawl (about 1 ms per row). A batch must go in as a handful of statements."""
    steps: list[str] = []
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    migrate(engine)

    @event.listens_for(engine, "connect")
    def _trace(dbapi_connection, _record):
        dbapi_connection.set_trace_callback(steps.append)

    engine.dispose()
    writer = BatchWriter(engine, spill_dir=tmp_path / "spill", flush_rows=10_000, flush_interval=30)
    batch = [t for i in range(10) for t in ticks(i * 1000, i * 1000 + 1000, symbol=f"{i}.HK")]
    writer.put_ticks(batch)
    writer.put_books([Book("0.HK", i, T0 + i, [Level(Decimal(1), Decimal(100))]) for i in range(50)])
    writer.record_depth = True
    writer.stop(30)
    assert count_ticks(engine) == 10_000
    inserts = [s for s in steps if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert 0 < len(inserts) <= 20, f"{len(inserts)} statements stepped for one batch"
    engine.dispose()


def test_a_writer_keeps_committing_next_to_a_thread_that_never_sleeps(tmp_path):
    """Behaviour, not speed: with a CPU-bound thread holding the GIL, 20,000 ticks still get
    committed (per-row stepping needed about 20 s for that here; the test allows 60)."""
    stop = threading.Event()

    def spin() -> None:
        x = 0
        while not stop.is_set():
            x += 1

    spinner = threading.Thread(target=spin, daemon=True)
    writer = BatchWriter(f"sqlite:///{tmp_path / 'x.db'}", spill_dir=tmp_path / "spill", flush_interval=0.05)
    writer.start()
    spinner.start()
    try:
        for i in range(20):
            writer.put_ticks(ticks(i * 1000, (i + 1) * 1000, symbol=f"{i}.HK"))
        wait_until_sync(lambda: writer.stats().stored_total == 20_000, timeout=60, what="20k ticks committed")
    finally:
        stop.set()
        spinner.join()
        writer.stop(30)


def test_bar_cache_gives_the_same_bars_and_forgets_a_failed_batch(tmp_path, monkeypatch):
    writer = BatchWriter(f"sqlite:///{tmp_path / 'x.db'}", spill_dir=tmp_path / "spill", flush_interval=0.01)
    cache = writer._committer.bar_cache
    assert isinstance(cache, BarCache)
    writer.start()
    writer.put_ticks(ticks(0, 50))
    wait_until_sync(lambda: writer.stats().stored_total == 50)
    assert len(cache) > 0
    # the cached rows are what a fresh read gives
    fresh = bars_between(writer.engine, "700.HK", 60, T0, FAR)
    reads: list[int] = []
    event.listen(
        writer.engine, "before_cursor_execute", lambda *a: reads.append(1) if "FROM bars" in a[2] else None
    )
    writer.put_ticks(ticks(50, 100))
    wait_until_sync(lambda: writer.stats().stored_total == 100)
    assert reads == [], "bars this writer wrote are not read back"
    assert bars_between(writer.engine, "700.HK", 60, T0, FAR) == aggregate(ticks(0, 100), 60)
    assert fresh == aggregate(ticks(0, 50), 60)
    writer.stop(10)
    # a batch that fails after its bars were merged (here: writing its gap row) is rolled
    # back whole and retried; its bars must count once
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    broken = BatchWriter(engine, spill_dir=tmp_path / "spill2", flush_interval=0.01, retry_initial=0.01)
    calls = {"n": 0}

    def fail_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise sqlite3.OperationalError("database is locked")
        return bulk.upsert_rows(*args, **kwargs)

    monkeypatch.setattr(batch_sql, "upsert_rows", fail_once)
    broken.put_ticks(ticks(100, 150))
    broken.put_gap("700.HK", T0, T0 + 1, reason="test")
    broken.start()
    wait_until_sync(lambda: broken.stats().stored_total == 50, what="retried batch")
    broken.stop(10)
    assert calls["n"] >= 2
    assert bars_between(engine, "700.HK", 60, T0, FAR) == aggregate(ticks(0, 150), 60)
    with engine.connect() as conn:
        assert conn.execute(select(func.sum(bars.c.trades))).scalar() == 150
        assert conn.execute(select(func.count()).select_from(depth)).scalar() == 0
    engine.dispose()


@pytest.mark.parametrize("rows", [1, 3_000])
def test_upsert_rows_updates_or_keeps_on_both_databases(db_url, rows):
    engine = make_engine(db_url)
    migrate(engine)
    base = {
        "interval_s": 60,
        "open": Decimal("1.5"),
        "high": Decimal("2"),
        "low": Decimal("1"),
        "close": Decimal("1.75"),
        "volume": Decimal(100),
        "turnover": Decimal(150),
        "trades": 1,
        "first_ts": T0,
        "first_seq": 1,
        "last_ts": T0,
        "last_seq": 1,
    }
    first = [{**base, "symbol": f"{i}.HK", "start": T0} for i in range(rows)]
    second = [{**row, "trades": 7, "close": Decimal("9.125")} for row in first]
    with engine.begin() as conn:
        bulk.upsert_rows(conn, bars, first, keys=("symbol", "interval_s", "start"))
        bulk.upsert_rows(conn, bars, second, keys=("symbol", "interval_s", "start"))  # kept: no update
        kept = conn.execute(select(func.sum(bars.c.trades))).scalar()
        bulk.upsert_rows(
            conn, bars, second, keys=("symbol", "interval_s", "start"), update=("trades", "close")
        )
        updated = conn.execute(select(func.sum(bars.c.trades), func.count())).one()
    assert kept == rows and tuple(updated) == (7 * rows, rows)
    (bar,) = bars_between(engine, "0.HK", 60, T0, T0 + 60_000)
    assert bar.close == Decimal("9.125") and bar.open == Decimal("1.5")
    engine.dispose()


def test_bar_cache_stays_bounded_to_the_last_minutes():
    cache = BarCache(limit=100, keep_ms=120_000)
    for minute in range(60):
        cache.remember([{"symbol": f"{i}.HK", "start": minute * 60_000} for i in range(30)])
        assert len(cache) <= 100 + 30
    assert cache.get(("0.HK", 59 * 60_000)) is not None
    assert cache.get(("0.HK", 50 * 60_000)) is None
