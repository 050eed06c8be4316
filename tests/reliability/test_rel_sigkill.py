"""Row 6: the recorder is killed with SIGKILL while writing. On restart the database is
consistent, spill files are replayed, and only the last unflushed batch window is lost."""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from relkit import TOKEN, process_ledger, stored
from support.store_checks import bar_mismatches
from support.waits import wait_until_sync

from hkdesk.sim.process import start_simulator_process
from hkdesk.store import BatchWriter, make_engine, migrate
from hkdesk.store.spill import read_spill
from hkdesk.store.writer import default_spill_dir

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

SYMBOLS = ["700.HK", "5.HK", "939.HK", "9988.HK"]
#: The recorder takes the simulator behind ``--url`` for a real feed, whose exchange clock is our
#: wall clock until its first trade: on a day already begun by the wall clock it would take the
#: simulator's running minute for a finished one. A day still ahead keeps that minute running.
A_DAY_AHEAD = ["--date", "2099-01-06"]
#: The recorder's writer settings (BatchWriter defaults): flush every 100 rows or 200 ms.
FLUSH_INTERVAL = 0.2


def isolated_env(tmp_path: Path) -> dict[str, str]:
    """The child writes its per-user files (spill folder...) under tmp_path only."""
    env = dict(os.environ, HKDESK_TOKEN=TOKEN, PYTHONUNBUFFERED="1")
    for name in ("DATA", "CONFIG", "CACHE", "STATE"):
        env[f"XDG_{name}_HOME"] = str(tmp_path / "xdg" / name.lower())
    return env


def check_consistent(db: Path, sent: dict[str, list[int]]) -> dict[str, list[int]]:
    """Integrity ok, bars agree with ticks, and per symbol the stored ticks are exactly the
    first N the server sent (whole batches only: no hole, no tick from a torn batch)."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    url = f"sqlite:///{db}"
    assert not bar_mismatches(url)
    got = stored(url)
    for symbol, seqs in got.items():
        assert seqs == sent[symbol][: len(seqs)], f"{symbol}: stored ticks are not a prefix of the stream"
    return got


def newest_received_at(db: Path) -> float:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT max(received_at) FROM ticks").fetchone()[0]
    finally:
        con.close()


def test_sigkilled_recorder_loses_at_most_the_last_batch_window(tmp_path, monkeypatch):
    db = tmp_path / "record.db"
    url = f"sqlite:///{db}"
    env = isolated_env(tmp_path)
    rng = random.Random(6)
    with start_simulator_process(["--token", TOKEN, "--rate", "1500", "--seed", "6", *A_DAY_AHEAD]) as sim:
        args = ["record", "--url", sim.ws_url, "--plan", "professional", "--symbols", ",".join(SYMBOLS)]
        log = open(tmp_path / "stderr.txt", "w")  # noqa: SIM115 - closed below
        proc = subprocess.Popen(
            [sys.executable, "-m", "hkdesk", *args, "--db", url, "--progress-every", "0.1"],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=env,
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                line = proc.stdout.readline()
                assert line, f"recorder exited early: {(tmp_path / 'stderr.txt').read_text()}"
                m = re.search(r"stored (\d+)", line)
                if m and int(m.group(1)) >= 2000 and "link live" in line:
                    break
            time.sleep(rng.uniform(0.0, 0.3))  # a random moment in the middle of the stream
            killed_at = time.time()
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stdout.close()
            log.close()
        time.sleep(0.2)
        sent = process_ledger(sim.control_url)
    got = check_consistent(db, sent)
    behind = killed_at - newest_received_at(db)
    lost = sum(map(len, sent.values())) - sum(map(len, got.values()))
    # Committed every 100 rows or 200 ms: at most one flush interval plus one commit is lost.
    assert behind <= FLUSH_INTERVAL + 0.15, f"newest stored tick received {behind:.3f} s before the kill"

    # Restart: a new writer on the same database and the recorder's spill folder.
    monkeypatch.setenv("XDG_DATA_HOME", env["XDG_DATA_HOME"])
    writer = BatchWriter(url)
    assert writer.spill_dir == default_spill_dir(writer.engine.url)
    assert str(writer.spill_dir).startswith(env["XDG_DATA_HOME"])
    assert writer.stop(10)
    assert not list(writer.spill_dir.glob("*.hks"))
    assert check_consistent(db, sent) == got
    print(
        f"\nrow 6/recorder: newest stored tick {behind * 1000:.0f} ms before the kill, "
        f"{lost} of {sum(map(len, sent.values()))} sent ticks not stored"
    )


CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from hkdesk.feed.plans import Plan
    from hkdesk.feed.status import FeedTimings
    from hkdesk.pipeline import Pipeline
    from hkdesk.sources.upstream import Upstream
    from hkdesk.store import BatchWriter, make_engine

    url, token, db, spill = sys.argv[1:5]

    async def main():
        writer = BatchWriter(
            make_engine(db, busy_timeout_ms=20), memory_limit=200, spill_dir=spill,
            retry_initial=0.01, retry_max=0.05,
        )
        pipeline = Pipeline(
            Upstream("kill", url, token, Plan("kill", 20, 1, 0.05)), writer=writer,
            timings=FeedTimings(heartbeat_interval=1.0),
        )
        pipeline.feed.set_symbols(sys.argv[5].split(","))
        writer.start()
        asyncio.get_running_loop().create_task(pipeline.run())
        while True:
            await asyncio.sleep(0.05)
            s = writer.stats()
            print(pipeline.ticks_received, s.stored_total, s.queued, s.spilled, s.db_ok, flush=True)

    asyncio.run(main())
    """
)


def test_sigkill_while_the_database_is_down_replays_the_spill_on_restart(tmp_path):
    db = tmp_path / "spill-kill.db"
    url = f"sqlite:///{db}"
    spill = tmp_path / "spill"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    lock = sqlite3.connect(db, isolation_level=None)
    with start_simulator_process(["--token", TOKEN, "--rate", "2000", "--seed", "7", *A_DAY_AHEAD]) as sim:
        lock.execute("BEGIN EXCLUSIVE")  # the database is unavailable from the start
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, sim.ws_url, TOKEN, url, str(spill), ",".join(SYMBOLS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            while True:
                line = proc.stdout.readline()
                assert line, "child exited early"
                _received, stored_total, _queued, spilled, _db_ok = line.split()
                assert int(stored_total) == 0, "nothing can be committed while the lock is held"
                if int(spilled) >= 1500:
                    break
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stdout.close()
        time.sleep(0.2)
        sent = process_ledger(sim.control_url)
    lock.execute("ROLLBACK")
    lock.close()
    files = sorted(spill.glob("spill-*.hks"))
    spilled_keys = {(t.symbol, t.seq) for f in files for r in read_spill(f) for t in getattr(r, "ticks", [])}
    assert files and len(spilled_keys) >= 1500

    writer = BatchWriter(url, spill_dir=spill, flush_interval=0.01)
    writer.start()
    wait_until_sync(lambda: writer.stats().spilled == 0, what="spill replayed")
    assert writer.stop(10)
    got = check_consistent(db, sent)
    stored_keys = {(s, q) for s, seqs in got.items() for q in seqs}
    assert stored_keys == spilled_keys, "exactly what was spilled is stored"
    assert not list(spill.glob("spill-*.hks")), "replayed spill files are deleted"
    lost = sum(map(len, sent.values())) - len(stored_keys)
    print(
        f"\nrow 6/spill: {len(spilled_keys)} spilled ticks replayed after the kill; {lost} held in "
        f"memory (bound 200 + one read) or in flight were lost"
    )
