"""Clients that read the simulator's stream for a fixed window, for the ingest scenarios.

* ``ceiling``: a raw ``websockets`` client that only counts frames: the most a Python client
  on this machine can receive.
* ``naive``: the design hkdesk replaces: parse each frame with ``json`` and commit one SQLite
  row per tick, in the receive loop.
* ``hkdesk``: the full headless pipeline: decode → quote hub → batched writer → SQLite; its
  rate counts the ticks committed to the database during the window.

The ceiling and the pipeline are measured in steady state: the window opens after ``warmup``
seconds of the same burst. A writer starting cold writes small batches for its first second
or two, and its queue then holds about one batch; measured from a standing start, the ticks
still queued at the end (some 0.8 s of a burst, in batches of 100,000) were counted against it.

Under a burst the writer commits about once a second, so the ticks committed inside a fixed
window vary by a whole batch (some 7 %) with where the window's edges fall. The committed rate
is therefore taken between the first and the last commit inside the window, from the writer's
counter sampled every 10 ms, and the pipeline's figure is the lower of that and the rate read.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from hkdesk.domain.symbols import default_universe
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState, FeedTimings
from hkdesk.pipeline import Pipeline
from hkdesk.sources.upstream import Upstream
from hkdesk.store.history import count_ticks
from hkdesk.store.writer import BatchWriter


@dataclass
class Run:
    received: int
    seconds: float
    stored: int | None = None
    disconnected: bool = False
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.received / self.seconds if self.seconds else 0.0


def stock_symbols() -> list[str]:
    return [s for s, info in default_universe().items() if not info.is_index]


def _subscribe_frame(symbols: list[str]) -> str:
    return json.dumps(
        {
            "cmd_id": 22004,
            "seq_id": 1,
            "trace": "bench-sub",
            "data": {"symbol_list": [{"code": s} for s in symbols]},
        }
    )


async def _first_frame(ws) -> None:
    while True:
        frame = await ws.recv(decode=False)
        if b'"cmd_id":22998' in frame:
            return


async def ceiling(ws_url: str, window: float, warmup: float = 0.0) -> Run:
    async with connect(f"{ws_url}?token=bench", max_queue=None, ping_interval=None) as ws:
        await ws.send(_subscribe_frame(stock_symbols()))
        await _first_frame(ws)
        recv = ws.recv
        warm_until = time.perf_counter() + warmup
        while time.perf_counter() < warm_until:
            await recv(decode=False)
        received = 0
        started = time.perf_counter()
        end = started + window
        while time.perf_counter() < end:
            await recv(decode=False)
            received += 1
        return Run(received, time.perf_counter() - started)


def _server_backlog(control_url: str) -> tuple[int, int]:
    """Frames the simulator holds for its clients and ticks it dropped for a full backlog."""
    with urllib.request.urlopen(f"{control_url}/status", timeout=5) as resp:
        status = json.load(resp)
    connections = status.get("connections", [])
    return (
        sum(int(c.get("queued", 0)) for c in connections),
        sum(int(c.get("backlog_dropped", 0)) for c in connections),
    )


async def naive(ws_url: str, control_url: str, db_path: Path, window: float) -> Run:
    db = sqlite3.connect(db_path)
    db.execute(
        "CREATE TABLE ticks (code TEXT, seq INTEGER, ts INTEGER, price REAL, volume REAL, "
        "turnover REAL, direction INTEGER)"
    )
    received = 0
    disconnected = False
    # close_timeout: the server's close frame waits behind the backlog the naive client left
    async with connect(f"{ws_url}?token=bench", ping_interval=None, close_timeout=1) as ws:
        await ws.send(_subscribe_frame(stock_symbols()))
        await _first_frame(ws)
        started = time.perf_counter()
        end = started + window
        last_heartbeat = started
        try:
            while time.perf_counter() < end:
                msg = json.loads(await ws.recv())
                if msg.get("cmd_id") == 22998:
                    d = msg["data"]
                    db.execute(
                        "INSERT INTO ticks VALUES (?,?,?,?,?,?,?)",
                        (
                            d["code"],
                            int(d["seq"]),
                            int(d["tick_time"]),
                            float(d["price"]),
                            float(d["volume"]),
                            float(d.get("turnover", 0)),
                            d["trade_direction"],
                        ),
                    )
                    db.commit()
                    received += 1
                if time.perf_counter() - last_heartbeat >= 10:
                    await ws.send(json.dumps({"cmd_id": 22000, "seq_id": 2, "trace": "hb", "data": {}}))
                    last_heartbeat = time.perf_counter()
        except ConnectionClosed:
            disconnected = True
        elapsed = time.perf_counter() - started
        queued, dropped = await asyncio.to_thread(_server_backlog, control_url)
    stored = db.execute("SELECT count(*) FROM ticks").fetchone()[0]
    db.close()
    run = Run(received, elapsed, stored, disconnected)
    run.extra["server_dropped"] = float(dropped)
    run.extra["server_backlog"] = float(queued)
    return run


async def _commits(writer: BatchWriter, until: float) -> list[tuple[float, int]]:
    """``(time, stored_total)`` at each commit seen before ``until`` (sampled every 10 ms)."""
    seen: list[tuple[float, int]] = []
    last = writer.stats().stored_total
    while (now := time.perf_counter()) < until:
        stored = writer.stats().stored_total
        if stored != last:
            seen.append((now, stored))
            last = stored
        await asyncio.sleep(0.01)
    return seen or [(until, last)]


def start_pipeline(ws_url: str, writer: BatchWriter) -> tuple[Pipeline, asyncio.Task[None]]:
    """Start ``writer`` and hkdesk's headless pipeline into it, on every stock of the universe."""
    writer.start()
    pipeline = Pipeline(
        Upstream("bench", ws_url, "bench", Plan.named("professional")),
        writer=writer,
        timings=FeedTimings(debounce=0.0),
    )
    pipeline.feed.set_symbols(stock_symbols())
    return pipeline, asyncio.create_task(pipeline.run())


async def hkdesk_pipeline(ws_url: str, db_path: Path, window: float, warmup: float = 0.0) -> Run:
    writer = BatchWriter(f"sqlite:///{db_path}", spill_dir=db_path.parent / "spill")
    pipeline, task = start_pipeline(ws_url, writer)
    while pipeline.ticks_received == 0:
        await asyncio.sleep(0.01)
    await asyncio.sleep(warmup)
    base = pipeline.ticks_received
    started = time.perf_counter()
    commits = await _commits(writer, started + window)
    received = pipeline.ticks_received - base
    elapsed = time.perf_counter() - started
    at_end = writer.stats()
    disconnected = pipeline.feed.stats.reconnects > 0 or pipeline.feed.status.state is FeedState.FAILED
    await pipeline.close()
    await task
    total = pipeline.ticks_received  # frames read during the closing handshake are stored too
    await asyncio.to_thread(writer.stop, 120)
    stored = count_ticks(writer.engine)
    writer.engine.dispose()
    # The pipeline's rate is what reached the database during the window, not what was read:
    # a writer that falls behind holds the rest in memory or spills it, which no day survives.
    (t0, s0), (t1, s1) = commits[0], commits[-1]
    committed_rate = (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0
    run = Run(min(received, round(committed_rate * elapsed)), elapsed, stored, disconnected)
    run.extra["commits_in_window"] = float(len(commits))
    run.extra["lost"] = float(total - stored)
    run.extra["batches"] = float(writer.stats().batches)
    run.extra["received_rate"] = received / elapsed
    run.extra["spilled_at_window_end"] = float(at_end.spilled)
    return run
