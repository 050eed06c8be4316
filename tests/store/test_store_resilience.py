"""Nothing is lost when the database is locked, gone, killed mid-batch, or the writer crashes."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import struct
import subprocess
import sys
import textwrap
import time
import uuid

import psycopg
import pytest
from sqlalchemy import func, select
from storekit import T0, database_locked, quick_engine, ticks
from support.waits import wait_until_sync

from hkdesk.domain.types import Gap
from hkdesk.store import BatchWriter, migrate
from hkdesk.store.history import count_ticks, gaps_between
from hkdesk.store.schema import bars
from hkdesk.store.spill import GapRecord, SpillWriter, TickRecord, count_units, new_spill_path

FAR = T0 + 10 * 86_400_000
FAST_RETRY = {"retry_initial": 0.01, "retry_max": 0.05}


def _spill_files(folder):
    return sorted(folder.glob("spill-*.hks"))


def _bar_trades(engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.sum(bars.c.trades), 0))).scalar_one())


def test_locked_database_queues_spills_and_recovers_exactly_once(db_url, tmp_path):
    engine = quick_engine(db_url)
    migrate(engine)
    spill = tmp_path / "spill"
    w = BatchWriter(
        engine, flush_rows=20, flush_interval=0.01, memory_limit=300, spill_dir=spill, **FAST_RETRY
    )
    w.start()
    try:
        w.put_ticks(ticks(0, 50))
        wait_until_sync(lambda: w.stats().stored_total == 50, what="first ticks")
        with database_locked(db_url):
            for i in range(50, 1050, 50):
                w.put_ticks(ticks(i, i + 50))
                time.sleep(0.003)
            w.put_ticks(ticks(0, 10))  # already stored before the outage
            w.put_gap("700.HK", T0, T0 + 5_000, "reconnect")
            wait_until_sync(
                lambda: (s := w.stats()).spilled >= 700 and s.queued <= 300,
                what="spill beyond memory_limit",
            )
            s = w.stats()
            assert not s.db_ok and "lock" in (s.last_error or "").lower()
            assert s.queued + s.spilled == 1011 and s.stored_total == 50
            assert _spill_files(spill)
        wait_until_sync(
            lambda: (s := w.stats()).spilled == 0 and s.queued == 0 and s.stored_total == 1050,
            timeout=20,
            what="recovery",
        )
        s = w.stats()
        assert s.db_ok and s.duplicates == 10
        assert count_ticks(engine) == 1050 and _bar_trades(engine) == 1050
        assert not _spill_files(spill)
        assert [g.reason for g in gaps_between(engine, "700.HK", T0, FAR)] == ["reconnect"]
    finally:
        assert w.stop(10)
    engine.dispose()


def test_stop_while_database_down_spills_and_next_start_replays(db_url, tmp_path):
    engine = quick_engine(db_url)
    migrate(engine)
    spill = tmp_path / "spill"
    w = BatchWriter(engine, flush_rows=10_000, flush_interval=60.0, spill_dir=spill, **FAST_RETRY)
    w.start()
    with database_locked(db_url):
        w.put_ticks(ticks(0, 500))
        assert w.stop(10)
        s = w.stats()
        assert (s.spilled, s.queued, s.stored_total, s.db_ok) == (500, 0, 0, False)
    (leftover,) = _spill_files(spill)
    assert count_units(leftover) == 500

    again = BatchWriter(quick_engine(db_url), flush_interval=0.01, spill_dir=spill)
    again.start()
    wait_until_sync(lambda: again.stats().stored_total == 500, what="replay on start")
    wait_until_sync(lambda: again.stats().spilled == 0)
    assert not leftover.exists() and count_ticks(engine) == 500 and _bar_trades(engine) == 500
    assert again.stop(10)
    engine.dispose()


def test_torn_last_record_is_skipped_on_recovery(db_url, tmp_path):
    spill = tmp_path / "spill"
    writer = SpillWriter(new_spill_path(spill))
    writer.append([TickRecord(ticks(0, 100))])
    writer.append([GapRecord(Gap("700.HK", T0, T0 + 1, "restart", 1.0))])
    writer.close()
    with open(writer.path, "ab") as f:  # a crash in the middle of the next append
        f.write(struct.pack("<II", 5000, 123) + b"half a rec")
    assert count_units(writer.path) == 101

    w = BatchWriter(db_url, flush_interval=0.01, spill_dir=spill)
    w.start()
    wait_until_sync(lambda: w.stats().stored_total == 100, what="replay")
    wait_until_sync(lambda: not writer.path.exists(), what="spill file removed")
    assert len(gaps_between(w.engine, None, T0, FAR)) == 1
    assert w.stop(10)


def test_foreign_file_in_spill_dir_is_left_alone(sqlite_url, tmp_path):
    spill = tmp_path / "spill"
    spill.mkdir()
    stranger = new_spill_path(spill)
    stranger.write_bytes(b"NOTASPILLFILE" * 10)
    w = BatchWriter(sqlite_url, flush_interval=0.01, spill_dir=spill)
    w.start()
    w.put_ticks(ticks(0, 3))
    wait_until_sync(lambda: w.stats().stored_total == 3)
    assert w.stop(10) and stranger.exists()


def test_unreachable_server_hides_password_and_spill_moves_to_another_database(sqlite_url, tmp_path):
    spill = tmp_path / "spill"
    url = "postgresql+psycopg://postgres:s3cret-pw@127.0.0.1:1/test"  # nothing listens on port 1
    w = BatchWriter(url, flush_interval=0.01, spill_dir=spill, **FAST_RETRY)
    w.start()
    w.put_ticks(ticks(0, 40))
    wait_until_sync(lambda: not w.stats().db_ok, what="failure noticed")
    s = w.stats()
    assert s.last_error and "s3cret" not in s.last_error
    assert w.stop(10)
    assert w.stats().spilled == 40
    # Spill files are database-neutral: another writer replays them (inline, never started).
    other = BatchWriter(sqlite_url, spill_dir=spill)
    assert other.stop(10)
    assert count_ticks(other.engine) == 40 and not _spill_files(spill)


def test_terminated_backend_is_retried_on_a_new_connection(pg_url, tmp_path):
    app = f"hkdesk_test_{uuid.uuid4().hex[:8]}"
    w = BatchWriter(
        f"{pg_url}&application_name={app}",
        flush_rows=10,
        flush_interval=0.01,
        spill_dir=tmp_path,
        **FAST_RETRY,
    )
    w.start()
    try:
        w.put_ticks(ticks(0, 100))
        wait_until_sync(lambda: w.stats().stored_total == 100)
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as admin:
            killed = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s",
                (app,),
            ).fetchone()[0]
        assert killed >= 1
        w.put_ticks(ticks(100, 200))
        wait_until_sync(lambda: w.stats().stored_total == 200, what="write after reconnect")
        s = w.stats()
        assert s.db_ok and s.last_error is not None
        assert count_ticks(w.engine) == 200
    finally:
        assert w.stop(10)


CHILD = textwrap.dedent(
    """
    import sys, time
    from decimal import Decimal
    from hkdesk.domain.types import Tick
    from hkdesk.store import BatchWriter
    url, spill, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
    w = BatchWriter(url, flush_rows=batch, flush_interval=60.0, spill_dir=spill)
    w.start()
    k = 0
    while True:
        w.put_ticks([
            Tick(symbol="700.HK", seq=i, ts=1_700_000_000_000 + i * 7, price=Decimal("300.2"),
                 volume=Decimal(100))
            for i in range(k * batch, (k + 1) * batch)
        ])
        k += 1
        while w.stats().stored_total < k * batch:
            time.sleep(0.0005)
        print(k, flush=True)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkilled_writer_leaves_whole_batches_only(sqlite_url, tmp_path):
    batch = 2000
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, sqlite_url, str(tmp_path / "spill"), str(batch)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        committed = 0
        while committed < 3:
            line = proc.stdout.readline()
            assert line, "child writer exited early"
            committed = int(line)
        time.sleep(random.uniform(0.0, 0.03))
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    conn = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = conn.execute("SELECT count(*) FROM ticks").fetchone()[0]
        trades = conn.execute("SELECT coalesce(sum(trades), 0) FROM bars").fetchone()[0]
    finally:
        conn.close()
    assert count >= 3 * batch and count % batch == 0
    assert trades == count  # bars were committed in the same transactions as their ticks


def test_a_failed_spill_append_is_cut_back_so_later_records_stay_readable(tmp_path, monkeypatch):
    """Disk full half-way through an append: the file must not end in a torn record, or every
    record appended after it would be unreadable (and deleted with the file after replay)."""
    import errno

    from hkdesk.store import spill as spill_module
    from hkdesk.store.spill import read_spill

    writer = SpillWriter(new_spill_path(tmp_path / "spill"))
    writer.append([TickRecord(ticks(0, 10))])
    real_write = spill_module.os.write

    def disk_full_after_a_few_bytes(fd, data):
        real_write(fd, bytes(data[:7]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(spill_module.os, "write", disk_full_after_a_few_bytes)
    with pytest.raises(OSError):
        writer.append([TickRecord(ticks(10, 20))])
    monkeypatch.setattr(spill_module.os, "write", real_write)
    writer.append([TickRecord(ticks(20, 30))])
    writer.close()
    seqs = [t.seq for record in read_spill(writer.path) for t in record.ticks]
    assert seqs == [t.seq for t in ticks(0, 10) + ticks(20, 30)]
