"""BatchWriter against SQLite and PostgreSQL: batching, duplicates, exact numbers, bars, stats."""

from __future__ import annotations

import random
import time
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from storekit import T0, tick, ticks
from support.waits import wait_until_sync

from hkdesk.domain.bars import DAY, aggregate
from hkdesk.domain.types import Book, Level, Tick
from hkdesk.store import SCHEMA_VERSION, BatchWriter, StoreError, make_engine, migrate
from hkdesk.store.history import bars_between, count_ticks, last_trade, ticks_between
from hkdesk.store.schema import bars, depth, schema_version

FAR = T0 + 10 * 86_400_000


@pytest.fixture
def writer_factory(db_url, tmp_path):
    made: list[BatchWriter] = []

    def make(**kwargs) -> BatchWriter:
        kwargs.setdefault("spill_dir", tmp_path / "spill")
        writer = BatchWriter(make_engine(db_url), **kwargs)
        made.append(writer)
        return writer

    yield make
    for writer in made:
        writer.stop(10)


def test_migrate_is_idempotent_and_refuses_newer_schema(db_url):
    engine = make_engine(db_url)
    assert migrate(engine) == 0
    assert migrate(engine) == SCHEMA_VERSION
    with engine.begin() as conn:
        conn.execute(schema_version.update().values(version=SCHEMA_VERSION + 1))
    with pytest.raises(StoreError, match="newer"):
        migrate(engine)
    engine.dispose()


def test_row_threshold_flushes_before_the_interval(writer_factory):
    w = writer_factory(flush_rows=100, flush_interval=30.0)
    w.start()
    w.put_ticks(ticks(0, 60))
    w.put_ticks(ticks(60, 99))
    time.sleep(0.3)
    assert w.stats().stored_total == 0 and w.stats().queued == 99
    w.put_ticks([tick(99)])
    wait_until_sync(lambda: w.stats().stored_total == 100, what="100-row flush")
    s = w.stats()
    assert (s.batches, s.last_batch_size, s.queued, s.db_ok, s.last_error) == (1, 100, 0, True, None)
    assert s.last_commit_at is not None and abs(s.last_commit_at - time.time()) < 60


def test_interval_flushes_a_small_batch(writer_factory):
    w = writer_factory(flush_rows=1000, flush_interval=0.05)
    w.start()
    w.put_ticks(ticks(0, 5))
    wait_until_sync(lambda: w.stats().stored_total == 5, what="interval flush")
    assert w.stats().batches == 1


def test_backlog_goes_in_one_transaction(writer_factory, db_url):
    w = writer_factory(flush_rows=100, flush_interval=0.05)
    for i in range(0, 5000, 50):
        w.put_ticks(ticks(i, i + 50))
    w.put_gap("700.HK", T0, T0 + 1000, "reconnect")
    assert w.stats().queued == 5001
    w.start()
    wait_until_sync(lambda: w.stats().stored_total == 5000, what="backlog stored")
    s = w.stats()
    assert (s.batches, s.last_batch_size) == (1, 5001)
    assert count_ticks(w.engine) == 5000


def test_duplicates_are_stored_once_and_bars_not_double_counted(writer_factory):
    w = writer_factory(flush_rows=10, flush_interval=0.01)
    w.start()
    w.put_ticks(ticks(0, 100))
    wait_until_sync(lambda: w.stats().stored_total == 100)
    again = ticks(50, 150)
    w.put_ticks([*again, again[-1]])  # 50 already stored + one repeated inside the batch
    wait_until_sync(lambda: w.stats().stored_total == 150)
    wait_until_sync(lambda: w.stats().duplicates == 51)
    assert count_ticks(w.engine) == 150
    with w.engine.connect() as conn:
        trades, _count = conn.execute(select(func.sum(bars.c.trades), func.count()).select_from(bars)).one()
    assert trades == 150
    minutes = bars_between(w.engine, "700.HK", 60, T0, FAR)
    assert sum(b.volume for b in minutes) == Decimal(150 * 100)
    assert minutes == aggregate(ticks(0, 150), 60)


def test_decimals_round_trip_exactly(writer_factory):
    w = writer_factory(flush_rows=1, flush_interval=0.01)
    w.start()
    odd = [
        Tick(symbol="1.HK", seq=1, ts=T0, price=Decimal("0.001"), volume=Decimal("123456789.123")),
        Tick(
            symbol="1.HK",
            seq=2,
            ts=T0 + 1,
            price=Decimal("9995"),
            volume=Decimal("1"),
            turnover=Decimal("9995.000"),
        ),
        Tick(
            symbol="1.HK",
            seq=3,
            ts=T0 + 2,
            price=Decimal("9999999.999"),
            volume=Decimal("10000000000000"),
            direction=2,
        ),
    ]
    w.put_ticks(odd)
    wait_until_sync(lambda: w.stats().stored_total == 3)
    back = ticks_between(w.engine, "1.HK", T0, FAR)
    assert [(t.price, t.volume, t.turnover, t.direction) for t in back] == [
        (Decimal("0.001"), Decimal("123456789.123"), Decimal("123456.789123"), 0),
        (Decimal("9995"), Decimal("1"), Decimal("9995"), 0),
        (Decimal("9999999.999"), Decimal("1E13"), Decimal("99999999990000000000"), 2),
    ]
    assert all(isinstance(t.price, Decimal) for t in back)
    (bar,) = bars_between(w.engine, "1.HK", 60, T0, FAR)
    assert (bar.open, bar.low, bar.high, bar.close) == (
        Decimal("0.001"),
        Decimal("0.001"),
        Decimal("9999999.999"),
        Decimal("9999999.999"),
    )
    assert bar.turnover == Decimal("123456.789123") + 9995 + Decimal("99999999990000000000")
    assert last_trade(w.engine, "1.HK") == back[-1]


def test_exponent_notation_is_stored_as_plain_digits(writer_factory):
    """Decimal("1E+3") must go in as 1000 (text columns on SQLite are compared and read as digits)."""
    w = writer_factory(flush_rows=2, flush_interval=0.01)
    w.start()
    w.put_ticks(
        [
            Tick(symbol="1.HK", seq=1, ts=T0, price=Decimal("1E+3"), volume=Decimal("2E+2")),
            Tick(symbol="1.HK", seq=2, ts=T0 + 1, price=Decimal("1E-7"), volume=Decimal("5E+1")),
        ]
    )
    wait_until_sync(lambda: w.stats().stored_total == 2)
    with w.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT CAST(price AS TEXT), CAST(volume AS TEXT), CAST(turnover AS TEXT) FROM ticks ORDER BY seq"
        ).all()
    assert [tuple(Decimal(x) for x in r) for r in rows] == [
        (Decimal(1000), Decimal(200), Decimal(200000)),
        (Decimal("0.0000001"), Decimal(50), Decimal("0.0000050")),
    ]
    assert not any("E" in x.upper() for r in rows for x in r)


def test_bars_match_brute_force_whatever_the_commit_order(writer_factory):
    rng = random.Random(5)
    data = [
        tick(
            i,
            rng.choice(["700.HK", "5.HK"]),
            ts=T0 + rng.randrange(0, 3 * 3_600_000),
            price=f"{rng.randint(900, 1100) / 10:.1f}",
        )
        for i in range(3000)
    ]
    shuffled = data[:]
    rng.shuffle(shuffled)
    w = writer_factory(flush_rows=200, flush_interval=0.01)
    w.start()
    w.put_ticks(shuffled[:150])
    wait_until_sync(lambda: w.stats().stored_total == 150, what="first batch")
    for i in range(150, 3000, 150):
        w.put_ticks(shuffled[i : i + 150])
        w.put_ticks(rng.sample(data, 20))  # replayed duplicates mixed in
        time.sleep(0.002)
    wait_until_sync(lambda: w.stats().stored_total == 3000)
    assert w.stats().batches > 1
    for symbol in ("700.HK", "5.HK"):
        mine = [t for t in data if t.symbol == symbol]
        for interval_s in (60, 300, 3600, DAY):
            assert bars_between(w.engine, symbol, interval_s, T0, FAR) == aggregate(mine, interval_s)


def test_stop_flushes_everything(writer_factory):
    w = writer_factory(flush_rows=10_000, flush_interval=60.0)
    w.start()
    w.put_ticks(ticks(0, 321))
    assert w.stop(10)
    assert w.stats().stored_total == 321 and w.stats().queued == 0
    assert count_ticks(w.engine) == 321


def test_stop_without_start_flushes_in_the_caller(writer_factory):
    w = writer_factory()
    w.put_ticks(ticks(0, 7))
    assert w.stop(10)
    assert count_ticks(w.engine) == 7


def test_depth_is_written_only_when_enabled(writer_factory):
    book = Book(
        symbol="700.HK",
        seq=9,
        ts=T0,
        bids=[Level(Decimal("300.2"), Decimal(500))],
        asks=[Level(Decimal("300.4"))],
    )
    off = writer_factory(flush_rows=1)
    off.put_books([book])
    assert off.stats().queued == 0
    on = writer_factory(flush_rows=1, record_depth=True)
    on.put_books([book, book])
    on.stop(10)
    with on.engine.connect() as conn:
        rows = conn.execute(select(depth.c.symbol, depth.c.bids, depth.c.asks)).all()
    assert rows == [("700.HK", '[["300.2","500"]]', '[["300.4","0"]]')]


def test_small_batches_skip_duplicates_too(writer_factory):
    w = writer_factory(flush_rows=1, flush_interval=0.01)
    w.start()
    w.put_ticks(ticks(0, 3))
    wait_until_sync(lambda: w.stats().stored_total == 3)
    w.put_ticks(ticks(0, 3))
    wait_until_sync(lambda: w.stats().duplicates == 3)
    assert count_ticks(w.engine) == 3
    assert [b.trades for b in bars_between(w.engine, "700.HK", 60, T0, FAR)] == [3]


def test_a_put_yields_the_interpreter_while_the_writer_is_far_behind(monkeypatch, tmp_path):
    """Past half the memory bound, every put lets the writer's thread have the GIL once."""
    from hkdesk.store import writer as writer_module

    yields: list[int] = []
    w = BatchWriter(f"sqlite:///{tmp_path / 'y.db'}", spill_dir=tmp_path / "spill", memory_limit=100)
    monkeypatch.setattr(writer_module, "_yield_gil", lambda: yields.append(w.stats().queued))
    for i in range(10):  # not started: everything stays queued
        w.put_ticks(ticks(i * 10, i * 10 + 10))
    assert yields == [60, 70, 80, 90, 100]
    w.stop(10)
    assert w.stats().stored_total == 100
