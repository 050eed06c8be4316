"""``hkdesk record``: record ticks to a database on a machine with no screen.

Runs on a plain asyncio loop (no Qt). With no ``--url`` it starts the built-in simulator in
its own process and records from it. The day's minute bars from before it started, and from
inside any gap, come from the provider's K-lines (``backfill``), so the database holds whole
days. Exits 0 after ``--duration`` or on Ctrl-C/SIGTERM with everything flushed; 2 for bad
options, a bad database URL or unknown symbols; 3 when the feed refuses the token.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import time
from dataclasses import replace
from functools import partial
from typing import TextIO

from hkdesk.backfill import Backfill
from hkdesk.domain.sessions import hk_now
from hkdesk.domain.symbols import parse_symbol_list
from hkdesk.feed.alltick.protocol import redact
from hkdesk.feed.server_probe import reaches_simulator
from hkdesk.feed.status import FeedState, FeedStatus
from hkdesk.feed.task_stop import stop_task
from hkdesk.pipeline import Pipeline
from hkdesk.record_publish import publish_desk
from hkdesk.sources.demo_day import resume_args
from hkdesk.sources.runner import SourceRunner
from hkdesk.sources.spec import SourceError, SourceKind, SourceSpec
from hkdesk.sources.token_store import TokenStore
from hkdesk.sources.upstream import Upstream
from hkdesk.store.engine import default_db_url, ping
from hkdesk.store.errors import StoreError
from hkdesk.store.history import newest_trade_ts
from hkdesk.store.meta import claim_source
from hkdesk.store.writer import BatchWriter

log = logging.getLogger("hkdesk.record")

EXIT_USAGE = 2
EXIT_TOKEN = 3


class RecordError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def parse_symbols(text: str) -> list[str]:
    symbols, bad = parse_symbol_list(text)
    if bad:
        raise RecordError(f"not a Hong Kong code: {bad[0]!r}")
    if not symbols:
        raise RecordError("--symbols names no symbol")
    return symbols


def run_record(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(_record(args, out))
    except RecordError as exc:
        print(f"hkdesk record: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 0


def _source(args: argparse.Namespace) -> SourceRunner:
    """The source to record from; a real feed must have a token before anything starts."""
    tokens = TokenStore(args.token)
    desk = {"desk": args.desk or "main", "desktop_id": args.desktop_id or "", "nats_creds": args.nats_creds}
    try:
        spec = SourceSpec.from_url(args.url, plan=args.plan, **desk)
        spec.limits()
    except SourceError as exc:
        raise RecordError(str(exc)) from None
    if spec.kind is SourceKind.ALLTICK and not tokens.get():
        raise RecordError("a real feed needs a token: --token, HKDESK_TOKEN or the OS keyring")
    if args.publish and spec.kind is SourceKind.DESK:
        raise RecordError("--publish needs an upstream (AllTick or the simulator), not another desk")
    return SourceRunner(spec, tokens)


def _resume(writer: BatchWriter) -> list[str]:
    """The built-in simulator goes on with the day the database holds (see sources.demo_day)."""
    return resume_args(newest_trade_ts(writer.engine), hk_now().date())


async def _record(args: argparse.Namespace, out: TextIO) -> int:
    symbols = parse_symbols(args.symbols)
    if args.depth and not 1 <= args.depth <= 10:
        raise RecordError(f"--depth must be 1..10, not {args.depth}")
    if args.duration is not None and args.duration <= 0:
        raise RecordError("--duration must be positive")
    source = _source(args)
    if source.spec.kind is SourceKind.ALLTICK and await reaches_simulator(source.spec.url):
        source.spec = replace(source.spec, reached_simulator=True)
        print(f"{source.spec.url} is hkdesk's simulator: its trades are simulated", file=out, flush=True)
    db_url = args.db or default_db_url(source.spec.store_name)
    try:
        writer = BatchWriter(db_url, record_depth=bool(args.depth))
        await asyncio.to_thread(ping, writer.engine)
        await asyncio.to_thread(claim_source, writer.engine, source.spec.store_source)
    except StoreError as exc:
        raise RecordError(f"database: {exc}") from None
    source.sim_args = partial(_resume, writer)
    try:
        upstream = await source.start()
    except SourceError as exc:
        raise RecordError(str(exc), code=1) from None
    if source.spec.simulated:
        print(f"recording from the built-in simulator at {upstream.url}", file=out, flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

    failure: list[FeedStatus] = []

    def on_status(status: FeedStatus) -> None:
        if status.state is FeedState.FAILED:
            failure.append(status)
            stop.set()

    if args.publish:
        try:
            return await publish_desk(args, upstream, writer, symbols, stop, out)
        finally:
            await source.stop()
    http = upstream.http()  # None on a shared desk: the desk's own database has whole days
    backfill = (
        Backfill(http, writer, lambda: pipeline.exchange_now(), live_since=lambda: pipeline.first_ts)
        if http is not None
        else None
    )
    on_gap = backfill.gap_reported if backfill is not None else None
    pipeline = Pipeline(upstream, writer=writer, on_status=on_status, on_gap=on_gap, on_simulator=stop.set)

    def moved(to: Upstream) -> None:
        pipeline.feed.retarget(to.url, to.token)  # type: ignore[union-attr]
        if backfill is not None and (moved_http := to.http()) is not None:
            backfill.retarget(moved_http)

    source.on_moved = moved
    pipeline.feed.set_symbols(symbols)
    if args.depth:
        pipeline.feed.set_depth_symbols(symbols, depth_level=args.depth)
    writer.start()
    started = time.monotonic()
    tasks = [asyncio.create_task(pipeline.run(), name="hkdesk-feed")]
    if backfill is not None:
        backfill.watch(symbols)
        tasks.append(asyncio.create_task(backfill.run(), name="hkdesk-backfill"))
    try:
        await _progress_loop(pipeline, writer, stop, args, started, out)
    finally:
        if backfill is not None:
            await stop_task(tasks[-1])
        await pipeline.close()
        await stop_task(tasks[0])
        flushed = await asyncio.to_thread(writer.stop, 60.0)
        await source.stop()
    stats = writer.stats()
    elapsed = time.monotonic() - started
    print(
        f"done: {pipeline.ticks_received} ticks received in {elapsed:.1f} s, "
        f"{stats.stored_total} stored, {stats.duplicates} duplicates, {stats.queued} still queued, "
        f"{stats.spilled} spilled to disk, database {redact(str(db_url))}",
        file=out,
        flush=True,
    )
    if backfill is not None:
        filled = backfill.stats
        print(
            f"backfill: {filled.bars_stored} minute bars from the provider in {filled.days_filled} fills, "
            f"{filled.gaps_filled} gaps filled, {filled.missed_spans} missed spans",
            file=out,
            flush=True,
        )
    if not flushed:
        print("warning: the writer did not finish in time; the spill file keeps the rest", file=out)
    if pipeline.writer is None:
        print(
            f"hkdesk record: {upstream.url} turned out to be hkdesk's simulator (it did not answer "
            "when the database was chosen): nothing of it was stored; start again",
            file=sys.stderr,
        )
        return 1
    if failure:
        reason = failure[-1].reason or "the feed failed"
        print(f"hkdesk record: {reason}", file=sys.stderr)
        return EXIT_TOKEN if "token" in reason.lower() else 1
    return 0


async def _progress_loop(
    pipeline: Pipeline,
    writer: BatchWriter,
    stop: asyncio.Event,
    args: argparse.Namespace,
    started: float,
    out: TextIO,
) -> None:
    every = max(0.05, args.progress_every)
    deadline = None if args.duration is None else started + args.duration
    last_count, last_at = 0, started
    while not stop.is_set():
        timeout = every if deadline is None else min(every, max(0.0, deadline - time.monotonic()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout)
        now = time.monotonic()
        stats = writer.stats()
        rate = (pipeline.ticks_received - last_count) / max(1e-9, now - last_at)
        last_count, last_at = pipeline.ticks_received, now
        print(
            f"{now - started:7.1f}s  {rate:8.0f} ticks/s  stored {stats.stored_total}  "
            f"queue {stats.queued}  spilled {stats.spilled}  link {pipeline.feed.status.text()}",
            file=out,
            flush=True,
        )
        if deadline is not None and now >= deadline:
            break
