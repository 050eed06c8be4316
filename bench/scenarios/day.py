"""A trading day, compressed: does the headless pipeline's memory stay flat while data piles up?

The shipped recorder (``python -m hkdesk record``: feed → quote hub → batched writer → SQLite)
runs as a child process on every symbol of the simulator, whose demo clock runs ``--speed``
times faster than real time. The parent samples the child's RSS and the simulator's clock; the
figures are the RSS after the first simulated hour (the baseline), at the end, and the peak,
plus database bytes per million stored ticks. A ratio end / first hour near 1 means nothing
grows with the data in memory: the ticks live in the database, not in the process.

Full mode: 500 symbols through the morning session (09:30–12:00, 2.5 simulated hours) at
``--speed 40``; a whole day at that speed is about 8 million trades and would take nine
minutes. Quick mode: the shipped 90 stocks for a few seconds at ``--speed 120``, with the first
third of the run standing in for the first hour.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import psutil

from bench.report import Result
from bench.scenarios.window import watchlist_symbols, write_universe
from hkdesk.sim.process import SimProcess, start_simulator_process


def sim_time(sim: SimProcess) -> datetime:
    with urllib.request.urlopen(f"{sim.control_url}/status", timeout=10) as resp:
        return datetime.fromisoformat(json.load(resp)["now"])


def peak_rss_mb(proc: psutil.Process) -> float:
    """The kernel's high-water mark of the process's resident set (Linux), else its current RSS."""
    try:
        with open(f"/proc/{proc.pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return proc.memory_info().rss / 2**20


def db_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def record_day(quick: bool, tmp: Path) -> dict[str, float | str]:
    speed = 120 if quick else 40
    if quick:
        symbols = watchlist_symbols(write_universe(tmp / "universe.csv", 90), 90)
        sim_args = []
    else:
        symbols = watchlist_symbols(write_universe(tmp / "universe.csv", 510), 500)
        sim_args = ["--symbols-file", str(tmp / "universe.csv")]
    db = tmp / "day.db"
    with start_simulator_process(
        ["--seed", "7", "--speed", str(speed), "--request-spacing", "0.02", *sim_args]
    ) as sim:
        args = [
            sys.executable, "-m", "hkdesk", "record", "--url", sim.ws_url, "--token", "bench-token",
            "--plan", "professional", "--symbols", ",".join(symbols), "--db", f"sqlite:///{db}",
            "--progress-every", "1",
        ]  # fmt: skip
        child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            proc = psutil.Process(child.pid)
            began = time.monotonic()
            t0 = sim_time(sim)
            first_hour_rss = end_rss = 0.0
            while True:
                time.sleep(0.25)
                if child.poll() is not None:
                    raise RuntimeError(f"the recorder exited early: {child.stdout.read()[-1500:]}")
                elapsed = time.monotonic() - began
                now = sim_time(sim)
                sim_hours = (now - t0).total_seconds() / 3600
                rss = proc.memory_info().rss / 2**20
                if quick:
                    if not first_hour_rss and elapsed >= 0.8:
                        first_hour_rss = rss
                    if elapsed >= 2.5:
                        break
                else:
                    if not first_hour_rss and sim_hours >= 1.0:
                        first_hour_rss = rss
                    if now.hour >= 12 or (now.hour == 11 and now.minute >= 59):
                        break
            end_rss = rss
            peak = peak_rss_mb(proc)
            wall = time.monotonic() - began
            child.send_signal(signal.SIGTERM)
            out, _ = child.communicate(timeout=120)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    progress = [line for line in out.splitlines() if "ticks/s" in line]
    done = next((line for line in out.splitlines() if line.startswith("done:")), "")
    stored = int(done.split(",")[1].split()[0]) if done else 0
    size = db_bytes(db)
    return {
        "first_hour_rss": first_hour_rss,
        "end_rss": end_rss,
        "peak_rss": peak,
        "stored": stored,
        "mb_per_million": size / 2**20 / stored * 1e6 if stored else float("nan"),
        "db_mb": size / 2**20,
        "wall_s": wall,
        "sim_hours": sim_hours,
        "symbols": len(symbols),
        "speed": speed,
        "last_progress": progress[-1].strip() if progress else "",
    }


def run(quick: bool) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="hkdesk-bench-day-") as tmp:
        d = record_day(quick, Path(tmp))
    baseline = "first third of the run" if quick else "after the first hour"
    return [
        Result(
            name=f"trading day, headless recorder: {d['symbols']} symbols, RSS at the end",
            unit="MB",
            baseline=float(d["first_hour_rss"]),
            hkdesk=float(d["end_rss"]),
            baseline_label=baseline,
            lower_is_better=True,
            target="ratio ≈ 1 (no growth with the data)",
            extra={
                "peak_rss_mb": d["peak_rss"],
                "ticks_stored": d["stored"],
                "db_mb_per_million_ticks": d["mb_per_million"],
                "db_mb": d["db_mb"],
                "simulated_hours": round(float(d["sim_hours"]), 2),
                "speed": d["speed"],
                "wall_s": d["wall_s"],
                "ratio_meaning": "first-hour RSS / end RSS, 1.0 = flat",
                "last_progress": d["last_progress"],
            },
        )
    ]
