"""``hkdesk record`` end to end: a real child process, the real simulator, a real database."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text

from hkdesk.sim.process import start_simulator_process
from hkdesk.store.meta import claim_source, database_source


def record(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("HKDESK_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "hkdesk", "record", "--progress-every", "0.5", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def stored_ticks(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM ticks")).scalar_one()
    finally:
        engine.dispose()


def summary_counts(stdout: str) -> tuple[int, int]:
    m = re.search(r"done: (\d+) ticks received .*?, (\d+) stored", stdout)
    assert m, stdout
    return int(m.group(1)), int(m.group(2))


def test_records_from_the_built_in_simulator_and_flushes_everything(db_url: str) -> None:
    proc = record("--symbols", "700,00005,9988.HK", "--db", db_url, "--duration", "2.5")
    assert proc.returncode == 0, proc.stderr
    assert "recording from the built-in simulator" in proc.stdout
    assert re.search(r"ticks/s\s+stored \d+\s+queue \d+\s+spilled \d+\s+link ", proc.stdout)
    received, stored = summary_counts(proc.stdout)
    assert received > 0 and stored == received
    assert stored_ticks(db_url) == received


def test_sigterm_stops_cleanly_with_every_received_tick_stored(sqlite_url: str) -> None:
    env = dict(os.environ)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hkdesk",
            "record",
            "--symbols",
            "700,5,939",
            "--db",
            sqlite_url,
            "--progress-every",
            "0.3",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 30
    seen = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        seen += line
        if "stored" in line and "link live" in line:
            break
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    received, stored = summary_counts(seen + out)
    assert received == stored == stored_ticks(sqlite_url)


def test_bad_token_exits_non_zero_without_echoing_the_token(sqlite_url: str) -> None:
    with start_simulator_process(["--token", "right-token"]) as sim:
        proc = record(
            "--symbols",
            "700",
            "--url",
            sim.ws_url,
            "--token",
            "wrong-token-123",
            "--db",
            sqlite_url,
            "--duration",
            "20",
        )
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "token" in proc.stderr.lower()
    assert "wrong-token-123" not in proc.stdout + proc.stderr


def test_real_feed_without_any_token_is_refused(sqlite_url: str) -> None:
    proc = record(
        "--symbols", "700", "--url", "wss://quote.alltick.co/quote-stock-b-ws-api", "--db", sqlite_url
    )
    assert proc.returncode == 2
    assert "needs a token" in proc.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--symbols", "700", "--db", "nonsense://"], "unsupported database URL"),
        (
            ["--symbols", "700", "--db", "postgresql+psycopg://u:pw@127.0.0.1:1/x"],
            "cannot reach the database",
        ),
        (["--symbols", "700,not-a-code"], "not a Hong Kong code"),
        (["--symbols", "700", "--depth", "11"], "--depth must be 1..10"),
        (["--symbols", "700", "--frobnicate"], "unrecognized arguments"),
        (
            ["--symbols", "700", "--url", "http://example.invalid/x", "--token", "t"],
            "--url must start with ws:// or wss://",
        ),
    ],
)
def test_bad_settings_exit_2_with_a_clear_message(args: list[str], message: str) -> None:
    proc = record(*args, "--duration", "1")
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "pw@" not in proc.stderr


def test_a_simulator_reached_by_url_never_records_into_a_database_of_real_data(tmp_path) -> None:
    real, own = f"sqlite:///{tmp_path / 'real.db'}", f"sqlite:///{tmp_path / 'sim.db'}"
    engine = create_engine(real)
    claim_source(engine, "alltick")
    engine.dispose()
    with start_simulator_process(["--seed", "3"]) as sim:
        args = ("--symbols", "700", "--url", sim.ws_url, "--token", "t", "--plan", "professional")
        refused = record(*args, "--db", real, "--duration", "2")
        recorded = record(*args, "--db", own, "--duration", "2")
    assert refused.returncode == 2 and "holds alltick data" in refused.stderr, refused.stderr
    assert "is hkdesk's simulator" in refused.stdout
    assert stored_ticks(real) == 0
    assert recorded.returncode == 0, recorded.stderr
    assert stored_ticks(own) > 0
    engine = create_engine(own)
    try:
        assert database_source(engine) == "simulator-url"
    finally:
        engine.dispose()


def test_recording_a_late_start_stores_the_day_from_the_open(sqlite_url: str) -> None:
    with start_simulator_process(["--start", "11:00"]) as sim:
        proc = record(
            "--symbols",
            "700,5",
            "--url",
            sim.ws_url,
            "--token",
            "t",
            "--plan",
            "professional",
            "--db",
            sqlite_url,
            "--duration",
            "4",
        )
    assert proc.returncode == 0, proc.stderr
    m = re.search(r"backfill: (\d+) minute bars from the provider in (\d+) fills", proc.stdout)
    assert m and int(m.group(1)) > 100 and int(m.group(2)) == 2, proc.stdout
    engine = create_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT symbol, min(start), max(start), sum(provided) FROM bars GROUP BY symbol")
            ).all()
    finally:
        engine.dispose()
    assert {r[0] for r in rows} == {"700.HK", "5.HK"}
    for _, first, last, provided in rows:
        assert last - first > 90 * 60_000, "from the open to 11:00 and on"
        assert provided > 50
