"""``hkdesk record --publish nats://HOST:4222``: the recorder as a shared desk's server.

It holds the upstream (AllTick or the built-in simulator, sharded as the plan allows) while it
leads the desk, stores every trade as a recorder does, and publishes every trade and book to
NATS JetStream; a second recorder with the same ``--desk`` stands by and takes over when the
leader dies. The symbols it streams are ``--symbols`` and whatever the desk's desktops watch.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from functools import partial
from typing import TextIO

from hkdesk.backfill import Backfill
from hkdesk.desk.connection import NatsOptions
from hkdesk.desk.demand import Demand
from hkdesk.desk.server import DeskServer, UpstreamCallbacks
from hkdesk.desk.simulator_guard import SimulatorGuard
from hkdesk.domain.types import Tick
from hkdesk.feed.alltick.protocol import MAX_DEPTH_LEVEL
from hkdesk.feed.status import FeedTimings
from hkdesk.sources.upstream import FeedCallbacks, Upstream
from hkdesk.store.writer import BatchWriter


async def publish_desk(
    args: argparse.Namespace,
    upstream: Upstream,
    writer: BatchWriter,
    symbols: list[str],
    stop: asyncio.Event,
    out: TextIO,
) -> int:
    clock = ExchangeClock()
    guard = SimulatorGuard(upstream.real_only, stop.set)

    def on_ticks(cb: UpstreamCallbacks, ticks: list[Tick]) -> None:
        clock.saw(ticks[-1].ts)
        cb.on_ticks(ticks)

    def connect(cb: UpstreamCallbacks):
        cb = guard.wrap(cb)
        return upstream.feed(
            FeedCallbacks(partial(on_ticks, cb), cb.on_books, cb.on_status, cb.on_gap, cb.on_symbol_error),
            FeedTimings(),
        )

    # While it leads, the day of every symbol it streams (a desk started after the open) and the
    # seconds without a leader (a fail-over) come from the provider's K-lines as bars.
    http = upstream.http()
    backfill = Backfill(http, writer, clock.now, live_since=clock.first) if http is not None else None

    base = Demand(tuple(symbols), tuple(symbols) if args.depth else (), args.depth or MAX_DEPTH_LEVEL)
    server = DeskServer(
        desk=args.desk or "main",
        nats_options=NatsOptions(args.publish, creds_file=args.nats_creds, name="hkdesk-desk"),
        plan=upstream.plan,
        upstream_factory=connect,
        writer=writer,
        base=base,
        on_takeover=backfill.gap_reported if backfill is not None else None,
        on_streaming=backfill.watch if backfill is not None else None,
        fetch_closes=partial(http.previous_closes, minute=True) if http is not None else None,
        fetch_latest=http.fetch_latest_trades if http is not None else None,
        simulated=upstream.simulated,
    )
    writer.start()
    loop = asyncio.get_running_loop()
    filling = loop.create_task(backfill.run(), name="hkdesk-desk-backfill") if backfill else None
    task = loop.create_task(server.run(), name="hkdesk-desk-server")
    started = time.monotonic()
    deadline = None if args.duration is None else started + args.duration
    leading: bool | None = None
    try:
        while not stop.is_set() and not task.done():
            if server.is_leader != leading:
                leading = server.is_leader
                print(
                    f"desk {args.desk or 'main'}: {'leading' if leading else 'standing by'}",
                    file=out,
                    flush=True,
                )
            if deadline is not None and time.monotonic() >= deadline:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.1)
    finally:
        if filling is not None:
            filling.cancel()
        await server.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        flushed = await asyncio.to_thread(writer.stop, 60.0)
    stats = writer.stats()
    print(
        f"done: desk {args.desk or 'main'}, {stats.stored_total} stored, {stats.queued} still queued",
        file=out,
        flush=True,
    )
    if task.done() and not task.cancelled() and task.exception() is not None:
        print(f"hkdesk record: the desk server stopped: {task.exception()}", file=out)
        return 1
    if guard.found:
        print(
            f"hkdesk record: {upstream.url} turned out to be hkdesk's simulator (it did not answer "
            "when the database was chosen): nothing of it was stored or published; start again",
            file=sys.stderr,
        )
        return 1
    return 0 if flushed else 1


class ExchangeClock:
    """The exchange's time, from the newest trade seen and our clock since (None before any)."""

    def __init__(self) -> None:
        self._ts: int | None = None
        self._first: int | None = None
        self._at = 0.0

    def saw(self, ts: int) -> None:
        if self._ts is None or ts > self._ts:
            self._ts, self._at = ts, time.monotonic()
        if self._first is None:
            self._first = ts

    def first(self) -> int | None:
        """The exchange time of the first trade this run received (None before)."""
        return self._first

    def now(self) -> int | None:
        return None if self._ts is None else self._ts + int((time.monotonic() - self._at) * 1000)
