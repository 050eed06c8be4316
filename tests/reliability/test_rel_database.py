"""Row 5: database faults while ticks stream in. Nothing is lost, nothing is stored twice, the
backlog (queued in memory, spilled to disk) is visible in the writer's stats all along."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from relkit import Rig, assert_exactly_once, ledger, start_sim, stored
from sqlalchemy import event
from sqlalchemy.engine import make_url
from support.store_checks import bar_mismatches
from support.tcp_proxy import TcpProxy
from support.waits import wait_until

from hkdesk.sim.server import SimServer
from hkdesk.store import make_engine

MEMORY_LIMIT = 300


@dataclass
class Outage:
    max_queued: int = 0
    max_spilled: int = 0
    spill_files: int = 0
    saw_failure: bool = False
    error: str = ""
    recovery: float = 0.0
    ticks: int = 0


async def ride_out(
    sim: SimServer,
    rig: Rig,
    spill: Path,
    start: Callable[[], None],
    end: Callable[[], None],
    seconds: float,
) -> Outage:
    """Stream, break the database for ``seconds`` while watching the writer, mend it, drain."""
    out = Outage()
    await rig.live()
    await asyncio.sleep(0.2)
    start()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        s = rig.writer.stats()
        out.max_queued = max(out.max_queued, s.queued)
        out.max_spilled = max(out.max_spilled, s.spilled)
        out.spill_files = max(out.spill_files, len(list(spill.glob("spill-*.hks"))))
        if not s.db_ok:
            out.saw_failure = True
            out.error = s.last_error or ""
        await asyncio.sleep(0.02)
    end()
    out.recovery = await wait_until(lambda: caught_up(rig), timeout=20, what="writer caught up")
    await asyncio.sleep(0.1)
    await rig.quiesce(sim)
    await rig.drained()
    return out


def caught_up(rig: Rig) -> bool:
    """Database back, spill replayed, memory down to the normal working set of a stream."""
    s = rig.writer.stats()
    return s.db_ok and s.spilled == 0 and s.queued <= 2 * rig.writer.flush_rows


def check_backlog(out: Outage) -> None:
    assert out.saw_failure, "the writer never noticed the fault"
    assert out.max_spilled > 0 and out.spill_files > 0, "nothing spilled beyond the memory bound"
    assert out.max_queued <= 2 * MEMORY_LIMIT, f"memory held {out.max_queued} units"


async def test_sqlite_locked_ticks_spill_and_all_arrive_once(sqlite_url, tmp_path):
    spill = tmp_path / "spill"
    engine = make_engine(sqlite_url, busy_timeout_ms=50)
    path = make_url(sqlite_url).database
    lock: list[sqlite3.Connection] = []

    def take() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        lock.append(conn)

    def release() -> None:
        conn = lock.pop()
        conn.execute("ROLLBACK")
        conn.close()

    sim = await start_sim(rate=500)
    try:
        async with Rig(sim.ws_url, engine, spill, memory_limit=MEMORY_LIMIT) as rig:
            out = await ride_out(sim, rig, spill, take, release, 1.5)
        out.ticks = assert_exactly_once(ledger(sim), stored(engine))
    finally:
        await sim.stop()
    check_backlog(out)
    assert "locked" in out.error
    assert not list(spill.glob("spill-*.hks")) and not bar_mismatches(engine)
    engine.dispose()
    print(
        f"\nrow 5/locked: {out.ticks} ticks, spilled up to {out.max_spilled}, queued up to "
        f"{out.max_queued}, drained {out.recovery:.2f} s after the lock ended"
    )


async def test_sqlite_disk_full_is_transient_and_nothing_is_lost(sqlite_url, tmp_path):
    spill = tmp_path / "spill"
    engine = make_engine(sqlite_url, busy_timeout_ms=50)
    limit = {"pages": 2**30}

    @event.listens_for(engine, "checkout")
    def _apply_limit(dbapi_connection, _record, _proxy) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {limit['pages']}")

    def fill() -> None:  # the disk is full: the file may not grow by a single page
        with engine.connect() as conn:
            limit["pages"] = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

    def free() -> None:
        limit["pages"] = 2**30

    sim = await start_sim(rate=500)
    try:
        async with Rig(sim.ws_url, engine, spill, memory_limit=MEMORY_LIMIT) as rig:
            out = await ride_out(sim, rig, spill, fill, free, 1.5)
        out.ticks = assert_exactly_once(ledger(sim), stored(engine))
    finally:
        await sim.stop()
    check_backlog(out)
    assert "full" in out.error
    assert not bar_mismatches(engine)
    engine.dispose()
    print(
        f"\nrow 5/disk full: {out.ticks} ticks, spilled up to {out.max_spilled}, "
        f"drained {out.recovery:.2f} s after space came back"
    )


async def test_sqlite_file_deleted_mid_run_is_recreated_and_later_ticks_all_stored(sqlite_url, tmp_path):
    spill = tmp_path / "spill"
    path = Path(make_url(sqlite_url).database)
    sim = await start_sim(rate=500)
    try:
        async with Rig(sim.ws_url, sqlite_url, spill, memory_limit=MEMORY_LIMIT) as rig:
            await rig.live()
            await asyncio.sleep(0.3)
            before = {s: set(v) for s, v in ledger(sim).items()}
            for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                name.unlink(missing_ok=True)
            deleted_at = time.monotonic()
            await asyncio.sleep(0.5)
            recreated = path.exists()
            await rig.quiesce(sim)
            await rig.drained()
            recovery = time.monotonic() - deleted_at
            stats = rig.writer.stats()
        sent = ledger(sim)
        got = stored(sqlite_url)
    finally:
        await sim.stop()
    assert recreated, "the writer recreated the database file"
    after = {s: sorted(set(v) - before.get(s, set())) for s, v in sent.items()}
    for symbol, seqs in after.items():
        have = got.get(symbol, [])
        assert len(have) == len(set(have)), f"{symbol}: duplicates"
        assert set(seqs) <= set(have), f"{symbol}: ticks sent after the deletion are missing"
        assert set(have) <= set(sent[symbol])
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    assert not bar_mismatches(sqlite_url)
    assert stats.last_error and "replaced" in stats.last_error
    print(
        f"\nrow 5/deleted: {sum(map(len, after.values()))} ticks after the deletion all stored; "
        f"back to normal within {recovery:.2f} s"
    )


async def test_postgres_restart_mid_run_loses_nothing(pg_url, tmp_path):
    spill = tmp_path / "spill"
    url = make_url(pg_url)
    proxy = TcpProxy((url.host, url.port or 5432))
    proxy.start()
    engine = make_engine(url.set(port=proxy.port), connect_timeout_s=2)
    sim = await start_sim(rate=500)
    try:
        async with Rig(sim.ws_url, engine, spill, memory_limit=MEMORY_LIMIT) as rig:
            out = await ride_out(sim, rig, spill, proxy.stop, proxy.start, 1.5)
        out.ticks = assert_exactly_once(ledger(sim), stored(engine))
        assert not bar_mismatches(engine)
    finally:
        await sim.stop()
        engine.dispose()
        proxy.stop()
    check_backlog(out)
    assert proxy.accepted >= 2, "the writer reconnected after the restart"
    print(
        f"\nrow 5/postgres restart: {out.ticks} ticks, spilled up to {out.max_spilled}, "
        f"drained {out.recovery:.2f} s after the server came back"
    )


@pytest.mark.slow
async def test_sqlite_locked_for_thirty_seconds_with_default_writer_settings(sqlite_url, tmp_path):
    """The real figure: a 30 s lock, the default busy timeout (5 s) and retry schedule."""
    spill = tmp_path / "spill"
    path = make_url(sqlite_url).database
    lock: list[sqlite3.Connection] = []

    def take() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        lock.append(conn)

    def release() -> None:
        conn = lock.pop()
        conn.execute("ROLLBACK")
        conn.close()

    sim = await start_sim(rate=300)
    try:
        async with Rig(
            sim.ws_url,
            sqlite_url,
            spill,
            memory_limit=2000,
            flush_rows=100,
            flush_interval=0.2,
            retry_initial=0.05,
            retry_max=5.0,
        ) as rig:
            out = await ride_out(sim, rig, spill, take, release, 30.0)
        out.ticks = assert_exactly_once(ledger(sim), stored(sqlite_url))
    finally:
        await sim.stop()
    assert out.saw_failure and out.max_spilled > 0 and out.max_queued <= 2 * 2000
    assert out.recovery <= 5.0 + 5.0 + 2.0, "retry cap + busy timeout + one replay"
    print(
        f"\nrow 5/30 s lock: {out.ticks} ticks, spilled up to {out.max_spilled}, drained "
        f"{out.recovery:.2f} s after the lock ended"
    )
