"""Ingest: the simulator bursting in its own process, read by three clients in turn.

1. ceiling: raw ``websockets`` receive, counting frames only.
2. hkdesk: decode → quote hub → bars → batched writer → SQLite (ticks committed per second).
3. naive: ``json`` + one SQLite commit per tick in the receive loop.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from bench.report import Result
from bench.scenarios import feeds
from hkdesk.sim.process import start_simulator_process


def run(quick: bool) -> list[Result]:
    """Ceiling and hkdesk alternate ``rounds`` times on the same simulator; the best of each
    counts, so a passing load spike on a shared machine does not decide the ratio."""
    window = 2.0 if quick else 8.0
    warmup = 0.5 if quick else 3.0  # steady state: see ``feeds``
    rounds = 1 if quick else 3
    # Far above what any client here reads: the simulator bursts as fast as the client takes
    # frames (it withholds what no backlog has room for), so the ceiling is the raw client's
    # and not a rate we picked. At 200,000 the ceiling was exactly that rate.
    rate = 2_000_000
    ceilings, ours_runs = [], []
    with (
        tempfile.TemporaryDirectory() as tmp,
        start_simulator_process(["--rate", str(rate), "--seed", "7"]) as sim,
    ):
        for i in range(rounds):
            ceilings.append(asyncio.run(feeds.ceiling(sim.ws_url, window, warmup)))
            ours_runs.append(
                asyncio.run(feeds.hkdesk_pipeline(sim.ws_url, Path(tmp) / f"hkdesk{i}.db", window, warmup))
            )
        naive = asyncio.run(feeds.naive(sim.ws_url, sim.control_url, Path(tmp) / "naive.db", window))
    ceiling = max(ceilings, key=lambda r: r.rate)
    ours = max(ours_runs, key=lambda r: r.rate)
    lost = sum(int(r.extra["lost"]) for r in ours_runs)
    return [
        Result(
            name="ingest ceiling: raw receive vs full pipeline",
            unit="ticks/s",
            baseline=ceiling.rate,
            hkdesk=ours.rate,
            baseline_label="raw websockets",
            target="≥ 0.7 of ceiling, 0 lost",
            extra={
                "lost": lost,
                "stored": ours.stored,
                "batches": int(ours.extra["batches"]),
                "received_per_s": round(ours.extra["received_rate"]),
                "spilled": int(ours.extra["spilled_at_window_end"]),
                "commits_in_window": int(ours.extra["commits_in_window"]),
                "rounds_ceiling": [round(r.rate) for r in ceilings],
                "rounds_hkdesk": [round(r.rate) for r in ours_runs],
                "sim_rate": rate,
                "warmup_s": warmup,
                "window_s": window,
            },
        ),
        Result(
            name="naive commit-per-tick vs hkdesk",
            unit="ticks/s",
            baseline=naive.rate,
            hkdesk=ours.rate,
            baseline_label="naive",
            target="≥ 40×",
            extra={
                "naive_disconnected": naive.disconnected,
                "hkdesk_disconnected": ours.disconnected,
                "naive_ticks_dropped_by_server": int(naive.extra["server_dropped"]),
                "naive_backlog_on_server": int(naive.extra["server_backlog"]),
            },
        ),
    ]
