"""Schema migrations against SQLite and PostgreSQL: a version-1 database with data in it is
brought up to date, keeps every row, and then behaves like a new one."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest
from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    inspect,
)
from storekit import T0, _pg_conninfo, tick
from support.waits import wait_until_sync

from hkdesk.store import SCHEMA_VERSION, BatchWriter, make_engine, migrate
from hkdesk.store.history import bars_between, count_ticks, gaps_between, ticks_between
from hkdesk.store.schema import SYMBOL, ExactDecimal, bars, depth, gaps, schema_version, ticks

COLUMNS = "symbol, seq, ts, price, volume, turnover, direction, received_at"


def _version_1_ticks() -> Table:
    """``ticks`` as schema version 1 made it: key (symbol, seq), index (symbol, ts)."""
    return Table(
        "ticks",
        MetaData(),
        Column("symbol", SYMBOL, nullable=False),
        Column("seq", BigInteger, nullable=False),
        Column("ts", BigInteger, nullable=False),
        Column("price", ExactDecimal, nullable=False),
        Column("volume", ExactDecimal, nullable=False),
        Column("turnover", ExactDecimal, nullable=False),
        Column("direction", SmallInteger, nullable=False),
        Column("received_at", Float, nullable=False),
        PrimaryKeyConstraint("symbol", "seq", name="ticks_pk"),
        Index("ticks_symbol_ts", "symbol", "ts"),
        sqlite_with_rowid=False,
    )


def _make_version_1(engine) -> list[dict]:
    old = _version_1_ticks()
    rows = [
        {
            "symbol": symbol,
            "seq": seq,
            # stored out of time order on purpose: the new key must sort them by time
            "ts": T0 + (50 - seq) * 1000,
            "price": Decimal(f"{300 + seq}.125"),
            "volume": Decimal("100"),
            "turnover": Decimal(f"{300 + seq}.125") * 100,
            "direction": seq % 3,
            "received_at": 1.5,
        }
        for symbol in ("700.HK", "5.HK")
        for seq in range(1, 51)
    ]
    with engine.begin() as conn:
        for table in (old, depth, bars, gaps, schema_version):
            table.create(conn)
        conn.execute(schema_version.insert().values(version=1))
        conn.execute(old.insert(), rows)
    return rows


def test_version_1_ticks_are_rekeyed_by_time_and_kept(db_url, tmp_path):
    engine = make_engine(db_url)
    rows = _make_version_1(engine)

    assert migrate(engine) == 1
    assert migrate(engine) == SCHEMA_VERSION

    inspector = inspect(engine)
    assert inspector.get_pk_constraint("ticks")["constrained_columns"] == ["symbol", "ts", "seq"]
    assert [ix["name"] for ix in inspector.get_indexes("ticks")] == []
    assert count_ticks(engine) == len(rows)
    got = ticks_between(engine, "700.HK", T0, T0 + 10**6)
    assert [t.seq for t in got] == list(range(50, 0, -1))
    assert got[-1].price == Decimal("301.125") and got[-1].turnover == Decimal("30112.500")

    writer = BatchWriter(engine, spill_dir=tmp_path / "spill", flush_rows=1)
    writer.start()
    try:
        stored = ticks_between(engine, "5.HK", T0, T0 + 10**6)
        writer.put_ticks([*stored[:5], tick(51, "5.HK", ts=T0 + 10**5)])
        wait_until_sync(lambda: writer.stats().duplicates == 5, what="old rows recognised as duplicates")
        assert writer.stats().stored_total == 1
        assert count_ticks(engine, "5.HK") == 51
    finally:
        writer.stop(10)
    engine.dispose()


def test_a_new_database_is_made_at_the_current_version(db_url):
    engine = make_engine(db_url)
    assert migrate(engine) == 0
    with engine.connect() as conn:
        assert conn.execute(schema_version.select()).scalar() == SCHEMA_VERSION == 4
    assert inspect(engine).get_pk_constraint("ticks")["constrained_columns"] == ["symbol", "ts", "seq"]
    engine.dispose()


def test_a_copy_cut_off_part_way_resumes_from_the_old_table(sqlite_url):
    """A connection that committed each statement on its own, cut off after the rename and part
    of the copy: the next migration finishes the copy instead of hiding the old rows."""
    engine = make_engine(sqlite_url)
    rows = _make_version_1(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE ticks RENAME TO ticks_v1")
        ticks.create(conn)
        conn.exec_driver_sql(f"INSERT INTO ticks SELECT {COLUMNS} FROM ticks_v1 LIMIT 7")
    assert count_ticks(engine) == 7
    assert migrate(engine) == 1
    assert count_ticks(engine) == len(rows)
    assert "ticks_v1" not in inspect(engine).get_table_names()
    engine.dispose()


def test_postgres_rekeying_gives_up_on_a_lock_instead_of_queueing_readers(pg_url, monkeypatch):
    """Another desk holding a lock on ticks: the migration fails after the lock timeout (the
    writer retries later) and succeeds once the lock is gone."""
    import psycopg
    from sqlalchemy import exc as sa_exc

    from hkdesk.store import schema as schema_module

    monkeypatch.setattr(schema_module, "MIGRATION_LOCK_TIMEOUT", "200ms")
    engine = make_engine(pg_url)
    _make_version_1(engine)
    with psycopg.connect(_pg_conninfo(pg_url)) as other:
        other.execute("LOCK TABLE ticks IN ACCESS SHARE MODE")
        with pytest.raises(sa_exc.OperationalError, match="lock timeout"):
            migrate(engine)
        other.rollback()
    assert migrate(engine) == 1
    assert inspect(engine).get_pk_constraint("ticks")["constrained_columns"] == ["symbol", "ts", "seq"]
    engine.dispose()


def _make_version_3(engine, spill) -> None:
    """A version-3 database with a bar and a gap: today's, written to, less what version 4 added."""
    writer = BatchWriter(engine, spill_dir=spill)
    writer.put_ticks([tick(1, ts=T0), tick(2, ts=T0 + 1_000)])
    writer.put_gap("700.HK", T0 - 90_000, T0, reason="reconnect", recorded_at=3.0)
    assert writer.stop(10)
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE bars DROP COLUMN provided")
        conn.exec_driver_sql("ALTER TABLE gaps DROP COLUMN filled_at")
        conn.exec_driver_sql("DROP TABLE symbol_info")
        conn.execute(schema_version.update().values(version=3))


def test_version_3_gains_provider_bars_filled_gaps_and_symbol_info(db_url, tmp_path):
    engine = make_engine(db_url)
    _make_version_3(engine, tmp_path / "spill")
    assert migrate(engine) == 3
    columns = {table: {c["name"] for c in inspect(engine).get_columns(table)} for table in ("bars", "gaps")}
    assert "provided" in columns["bars"] and "filled_at" in columns["gaps"]
    assert inspect(engine).has_table("symbol_info")
    (bar,) = bars_between(engine, "700.HK", 60, T0, T0 + 60_000)
    assert (bar.trades, bar.provided, bar.volume) == (2, False, Decimal(200))
    (gap,) = gaps_between(engine, "700.HK", T0 - 100_000, T0 + 1)
    assert (gap.reason, gap.filled_at) == ("reconnect", 0.0)

    writer = BatchWriter(engine, spill_dir=tmp_path / "spill", flush_interval=0.01)
    writer.start()
    try:
        minute = bar.start + 60_000
        writer.put_bars([msgspec.structs.replace(bar, start=minute, volume=Decimal(700), trades=0)])
        writer.put_gap("700.HK", T0 - 90_000, T0, filled_at=9.0)
        wait_until_sync(
            lambda: writer.stats().provided_bars == 1, what="a provider bar in a migrated database"
        )
    finally:
        writer.stop(10)
    later = bars_between(engine, "700.HK", 60, minute, minute + 60_000)
    assert [(b.volume, b.provided) for b in later] == [(Decimal(700), True)]
    assert gaps_between(engine, "700.HK", T0 - 100_000, T0 + 1)[0].filled_at == 9.0
    engine.dispose()
