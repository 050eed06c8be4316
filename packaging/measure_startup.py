"""Start-up time of a built app: process start to the first painted quote, cold and warm.

    python packaging/measure_startup.py dist/hkdesk/hkdesk [--runs 5]
    python packaging/measure_startup.py --runs 3 -- python -m hkdesk      # the same, from source

Each run starts the app offscreen with a fresh config folder and database and the hidden
``--startup-probe`` option (hkdesk/desktop/startup_probe.py), which prints ``time.monotonic()`` at
the watchlist's first paint and at its first paint showing a last price, then quits. The parent
reads the same clock just before starting the process. Feeds: a simulator already running (as
AllTick would be; the app connects to it as a real feed) and the app's built-in simulator (what
a first start looks like: the app also starts its ``hkdesk sim`` child).

Cold: the app's folder is dropped from the page cache first (``posix_fadvise(DONTNEED)`` on
every file, no root needed), so its libraries come from disk; system libraries and fonts stay
cached. Warm: the runs after that, with every file cached.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hkdesk.desktop.startup_probe import FIRST_PAINT, FIRST_QUOTE
from hkdesk.sim.process import start_simulator_process


def evict(folder: Path) -> int:
    """Drop ``folder``'s files from the page cache; the number of bytes asked to go."""
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
            total += path.stat().st_size
    return total


def launch(command: list[str], work: Path, feed_url: str | None, timeout: float = 90.0) -> dict[str, float]:
    """One start: seconds from just before ``Popen`` to each probe line and to the process's exit."""
    args = [*command, "--config-dir", str(work / "cfg"), "--db", f"sqlite:///{work / 'ticks.db'}"]
    if feed_url:
        args += ["--url", feed_url, "--token", "measure-token"]
    args += ["--startup-probe", "--quit-after", str(timeout - 10)]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.monotonic()
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
    marks = {"exit": time.monotonic() - started}
    for line in proc.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in (FIRST_PAINT, FIRST_QUOTE):
            marks[name] = float(value) - started
    if proc.returncode != 0 or FIRST_QUOTE not in marks:
        raise RuntimeError(f"exit {proc.returncode} without a painted quote: {proc.stderr[-1500:]}")
    return marks


def summary(label: str, runs: list[dict[str, float]]) -> str:
    def cell(key: str) -> str:
        values = [r[key] for r in runs]
        spread = f" ({min(values):.2f}–{max(values):.2f})" if len(values) > 1 else ""
        return f"{statistics.median(values):.2f} s{spread}"

    return f"| {label} | {len(runs)} | {cell(FIRST_PAINT)} | {cell(FIRST_QUOTE)} | {cell('exit')} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="+", help="the app: a built binary, or e.g. -- python -m hkdesk")
    parser.add_argument("--runs", type=int, default=5, help="runs of each kind (default 5)")
    parser.add_argument("--bundle", type=Path, help="folder to evict for cold runs (default: the binary's)")
    args = parser.parse_args(argv)
    command = args.command
    bundle = args.bundle or (Path(command[0]).resolve().parent if len(command) == 1 else None)
    rows: dict[str, list[dict[str, float]]] = {"cold": [], "warm": [], "warm, built-in simulator": []}
    with (
        tempfile.TemporaryDirectory(prefix="hkdesk-startup-") as tmp_name,
        start_simulator_process(["--seed", "7", "--request-spacing", "0.02"]) as sim,
    ):
        tmp = Path(tmp_name)
        for i in range(args.runs):
            if bundle is not None:
                evict(bundle)
            rows["cold"].append(launch(command, tmp / f"cold{i}", sim.ws_url))
        for i in range(args.runs):
            rows["warm"].append(launch(command, tmp / f"warm{i}", sim.ws_url))
        for i in range(args.runs):
            rows["warm, built-in simulator"].append(launch(command, tmp / f"builtin{i}", None))
    print(f"app: {' '.join(command)}; cold runs evict {bundle or 'nothing'}")
    print("| start | runs | first paint, median (range) | first painted quote | process exit |")
    print("|---|---|---|---|---|")
    for label, runs in rows.items():
        if bundle is None and label == "cold":
            continue
        print(summary(label, runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
