"""Shared rig for the fault matrix: simulator, feed → hub → writer pipeline, database checks.

Everything is real: the simulator (or a scripted AllTick server) listens on 127.0.0.1 port 0,
the pipeline is the one the app and the recorder use, the store is a real SQLite file or the
real PostgreSQL. Timings are scaled down to milliseconds through constructor parameters.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections import defaultdict
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from support.scripted_alltick import TOKEN
from support.timings import RELIABILITY, RELIABILITY_PLAN
from support.waits import wait_until

from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.symbols import default_universe
from hkdesk.domain.types import Gap
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState, FeedStatus, FeedTimings
from hkdesk.pipeline import Pipeline
from hkdesk.sim.clock import ManualClock
from hkdesk.sim.model import MarketModel
from hkdesk.sim.server import SimServer
from hkdesk.sources.upstream import Upstream
from hkdesk.store import BatchWriter, make_engine

SYMBOLS = ["700.HK", "5.HK", "9988.HK", "939.HK"]
MONDAY = date(2026, 3, 2)


def backoff_bounds(failures: int, initial: float, cap: float, jitter: float = 0.15) -> tuple[float, float]:
    """The documented schedule: initial·2^n capped, ±jitter, never below initial nor above cap."""
    base = min(cap, initial * 2**failures)
    return max(initial, base * (1 - jitter)), min(cap, base * (1 + jitter))


# ---------------------------------------------------------------- simulator


async def start_sim(*, rate: float = 400.0, seed: int = 1, **kw: Any) -> SimServer:
    """An in-process simulator on 127.0.0.1:0 with a frozen exchange clock: only ``rate`` burst
    trades per second flow, spread over the subscribed symbols, so tests control the volume."""
    full = default_universe()
    model = MarketModel({c: full[c] for c in SYMBOLS}, seed=seed, seq_base=0)
    kw.setdefault("clock", ManualClock(datetime.combine(MONDAY, dtime(10, 0), HK_TZ)))
    kw.setdefault("request_spacing", 0.01)
    kw.setdefault("cycle_interval", 0.01)
    server = SimServer(model, token=TOKEN, seed=seed, **kw)
    await server.start()
    server.set_rate(rate)
    return server


def ledger(server: SimServer) -> dict[str, list[int]]:
    """Every trade tick the simulator handed to a socket, per symbol."""
    return {s: sorted(server.sent_ticks.seqs(s)) for s in server.sent_ticks.symbols()}


def http_json(url: str, timeout: float = 5.0) -> Any:
    """GET a loopback control URL (no proxy) and decode its JSON body."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=timeout) as response:
        return json.loads(response.read())


def process_ledger(control_url: str) -> dict[str, list[int]]:
    """The ledger of a simulator running in a child process, through its control API."""
    body = http_json(f"{control_url}/sent?seqs=1")
    return {s: sorted(v["seqs"]) for s, v in body["symbols"].items()}


# ---------------------------------------------------------------- database


def stored(db: str | Engine) -> dict[str, list[int]]:
    """Stored tick seqs per symbol, sorted, duplicates kept (so a duplicate would show)."""
    engine = db if isinstance(db, Engine) else make_engine(db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT symbol, seq FROM ticks")).all()
    finally:
        if not isinstance(db, Engine):
            engine.dispose()
    out: dict[str, list[int]] = defaultdict(list)
    for symbol, seq in rows:
        out[symbol].append(int(seq))
    return {s: sorted(v) for s, v in out.items()}


def assert_exactly_once(sent: dict[str, list[int]], got: dict[str, list[int]]) -> int:
    """Every sent tick is stored once, nothing else is stored; returns the number of ticks."""
    assert sent, "the simulator sent nothing"
    for symbol, seqs in sent.items():
        assert len(seqs) == len(set(seqs)), f"{symbol}: the server sent a seq twice"
    assert set(got) <= set(sent), f"stored symbols never sent: {set(got) - set(sent)}"
    for symbol, seqs in sent.items():
        have = got.get(symbol, [])
        missing = sorted(set(seqs) - set(have))
        extra = sorted(set(have) - set(seqs))
        assert not missing, f"{symbol}: {len(missing)} sent ticks not stored, e.g. {missing[:5]}"
        assert not extra, f"{symbol}: stored ticks that were never sent: {extra[:5]}"
        assert len(have) == len(seqs), f"{symbol}: {len(have) - len(seqs)} duplicates stored"
    return sum(len(s) for s in sent.values())


class Rig:
    """Feed → quote hub → batch writer against ``url``, with every callback recorded."""

    def __init__(
        self,
        url: str,
        db: str | Engine,
        spill_dir: Path,
        *,
        token: str = TOKEN,
        plan: Plan = RELIABILITY_PLAN,
        timings: FeedTimings = RELIABILITY,
        symbols: list[str] = SYMBOLS,
        **writer_kw: Any,
    ) -> None:
        writer_kw.setdefault("flush_rows", 200)
        writer_kw.setdefault("flush_interval", 0.05)
        writer_kw.setdefault("retry_initial", 0.01)
        writer_kw.setdefault("retry_max", 0.1)
        self.writer = BatchWriter(db, spill_dir=spill_dir, **writer_kw)
        self.statuses: list[tuple[float, FeedStatus]] = []
        self.symbol_errors: list[tuple[str, int, str]] = []
        self.gaps: list[Gap] = []
        self.pipeline = Pipeline(
            Upstream("reliability", url, token, plan),
            writer=self.writer,
            timings=timings,
            on_status=lambda s: self.statuses.append((time.monotonic(), s)),
            on_symbol_error=lambda *e: self.symbol_errors.append(e),
            on_gap=self.gaps.append,
        )
        self.pipeline.feed.set_symbols(symbols)
        self.task: asyncio.Task[None] | None = None

    @property
    def feed(self):
        return self.pipeline.feed

    @property
    def state(self) -> FeedState:
        return self.feed.status.state

    def states(self) -> list[FeedState]:
        return [s.state for _, s in self.statuses]

    async def __aenter__(self) -> Rig:
        self.writer.start()
        self.task = asyncio.get_running_loop().create_task(self.pipeline.run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.pipeline.close()
        assert self.task is not None
        await asyncio.wait_for(self.task, 5)
        assert self.writer.stop(30), "the writer did not finish"

    async def quiesce(self, sim: SimServer, timeout: float = 5.0) -> None:
        """Stop the simulator's flow and wait until the pipeline received all it sent, so
        closing the feed cannot cut ticks that are still in flight."""
        sim.set_rate(0)
        await asyncio.sleep(3 * sim.cycle_interval)
        await wait_until(
            lambda: self.pipeline.ticks_received >= sim.sent_ticks.count(), timeout, "in-flight ticks"
        )

    async def live(self, timeout: float = 5.0) -> float:
        return await wait_until(lambda: self.state is FeedState.LIVE, timeout, "feed live")

    async def drained(self, timeout: float = 10.0) -> float:
        """Wait until the writer holds nothing (memory and spill) and the database is ok."""

        def empty() -> bool:
            s = self.writer.stats()
            return s.db_ok and s.queued == 0 and s.spilled == 0

        return await wait_until(empty, timeout, "writer backlog drained")
