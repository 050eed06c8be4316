"""``python -m hkdesk.desk serve|config``: run a desk server, or write its NATS configuration.

``serve`` is the desk server on a plain asyncio loop, until SIGTERM/Ctrl-C (it then steps
down, so a standby takes over at once, and flushes the writer). Its stdout says ``leading``
or ``standing by`` whenever that changes (one line each, flushed). The options keep the names
``hkdesk record --publish`` will have (see README, Shared desk).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path

from hkdesk.desk.connection import NatsOptions
from hkdesk.desk.demand import Demand
from hkdesk.desk.leadership import LeaseTimings
from hkdesk.desk.security import TlsFiles, User, server_config
from hkdesk.desk.server import DeskServer, DeskTimings, UpstreamCallbacks
from hkdesk.desk.simulator_guard import SimulatorGuard
from hkdesk.domain.simulator_mark import REACHED_SIMULATOR, REAL_FEED
from hkdesk.domain.symbols import normalise
from hkdesk.feed.client import FeedClient
from hkdesk.feed.plans import Plan
from hkdesk.feed.server_probe import reaches_simulator
from hkdesk.store.errors import StoreError
from hkdesk.store.meta import claim_source
from hkdesk.store.writer import BatchWriter

log = logging.getLogger("hkdesk.desk")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m hkdesk.desk", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="run a desk server (leads or stands by)")
    s.add_argument("--url", required=True, help="upstream WebSocket URL (AllTick or the simulator)")
    s.add_argument("--token", help="AllTick token (default: $HKDESK_TOKEN)")
    s.add_argument("--plan", default="professional", help="AllTick plan (default professional)")
    s.add_argument("--db", help="database URL (default: store nothing)")
    s.add_argument(
        "--publish", required=True, metavar="NATS_URL", help="nats://HOST:4222 (comma list: cluster)"
    )
    s.add_argument("--desk", default="main", help="desk name shared by its servers (default main)")
    s.add_argument("--nats-creds", help="NATS credentials file")
    s.add_argument("--tls-ca", help="CA file that signs the NATS server's certificate")
    s.add_argument("--symbols", default="", help="symbols streamed whatever the desktops watch")
    s.add_argument("--depth", type=int, default=0, help="also stream books of --symbols (levels 1-10)")
    s.add_argument("--server-id", help="this server's name in the election (default host-pid)")
    s.add_argument("--lease-ttl", type=float, default=2.0, help="leader lease, seconds (default 2)")
    s.add_argument("--lease-refresh", type=float, default=0.5, help="lease renewal, seconds (default 0.5)")
    s.add_argument("--lease-poll", type=float, default=0.25, help="standby retry, seconds (default 0.25)")
    s.add_argument("--demand-lease", type=float, default=30.0, help="desktop demand lease (default 30)")
    s.add_argument("--log-level", default="INFO")
    c = sub.add_parser("config", help="write a nats-server configuration with least-privilege users")
    c.add_argument("--desk", default="main")
    c.add_argument("--desk-password", required=True)
    c.add_argument("--desktop", action="append", default=[], metavar="ID:PASSWORD", help="repeatable")
    c.add_argument("--listen", default="127.0.0.1:4222")
    c.add_argument("--store-dir", default="/var/lib/nats")
    c.add_argument("--tls-cert")
    c.add_argument("--tls-key")
    c.add_argument("--tls-ca")
    c.add_argument("--out", type=Path, help="file to write (mode 0600; default stdout)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "config":
        return _config(args)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(_serve(args))
    except KeyboardInterrupt:
        return 0


def _config(args: argparse.Namespace) -> int:
    desktops = []
    for item in args.desktop:
        name, sep, password = item.partition(":")
        if not sep or not password:
            print(f"--desktop takes ID:PASSWORD, not {name!r}", file=sys.stderr)
            return 2
        desktops.append(User(name, password))
    tls = TlsFiles(args.tls_cert, args.tls_key, args.tls_ca) if args.tls_cert and args.tls_key else None
    text = server_config(
        args.desk,
        desk_password=args.desk_password,
        desktops=desktops,
        listen=args.listen,
        store_dir=args.store_dir,
        tls=tls,
    )
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.touch(mode=0o600)
        args.out.write_text(text, encoding="utf-8")
    return 0


async def _serve(args: argparse.Namespace) -> int:
    token = args.token or os.environ.get("HKDESK_TOKEN", "")
    if not token:
        print("a desk server needs the AllTick token: --token or HKDESK_TOKEN", file=sys.stderr)
        return 2
    plan = Plan.named(args.plan)
    symbols = tuple(normalise(s) for s in args.symbols.split(",") if s.strip())
    base = Demand(symbols, symbols if args.depth else (), args.depth or 10)
    simulated = await reaches_simulator(args.url)
    if simulated:
        print(f"{args.url} is hkdesk's simulator: its trades are simulated", flush=True)
    writer = BatchWriter(args.db, record_depth=bool(args.depth)) if args.db else None
    if writer is not None:
        try:
            await asyncio.to_thread(
                claim_source, writer.engine, REACHED_SIMULATOR if simulated else REAL_FEED
            )
        except StoreError as exc:
            print(f"database: {exc}", file=sys.stderr)
            return 2
    stop = asyncio.Event()
    guard = SimulatorGuard(not simulated, stop.set)

    def upstream(callbacks: UpstreamCallbacks) -> FeedClient:
        callbacks = guard.wrap(callbacks)
        return FeedClient(
            args.url,
            token,
            plan=plan,
            on_ticks=callbacks.on_ticks,
            on_books=callbacks.on_books,
            on_status=callbacks.on_status,
            on_gap=callbacks.on_gap,
            on_symbol_error=callbacks.on_symbol_error,
        )

    lease = LeaseTimings(ttl=args.lease_ttl, refresh=args.lease_refresh, poll=args.lease_poll)
    server = DeskServer(
        desk=args.desk,
        nats_options=NatsOptions(
            args.publish, creds_file=args.nats_creds, tls_ca=args.tls_ca, name="hkdesk-desk"
        ),
        plan=plan,
        upstream_factory=upstream,
        writer=writer,
        base=base,
        server_id=args.server_id,
        timings=DeskTimings(lease=lease, demand_lease=args.demand_lease),
        simulated=simulated,
    )
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    if writer is not None:
        writer.start()
    task = loop.create_task(server.run())
    reporter = loop.create_task(_report_role(server))
    try:
        await asyncio.wait([task, loop.create_task(stop.wait())], return_when=asyncio.FIRST_COMPLETED)
    finally:
        reporter.cancel()
        await server.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        if writer is not None:
            await asyncio.to_thread(writer.stop, 60.0)
    if task.done() and not task.cancelled() and task.exception() is not None:
        print(f"the desk server stopped: {task.exception()}", file=sys.stderr)
        return 1
    if guard.found:
        print(f"{args.url} turned out to be hkdesk's simulator: nothing of it was stored or published")
        return 1
    return 0


async def _report_role(server: DeskServer) -> None:
    """One stdout line per change of role (what a supervisor or a test reads)."""
    leading: bool | None = None
    while True:
        if server.is_leader != leading:
            leading = server.is_leader
            print("leading" if leading else "standing by", flush=True)
        await asyncio.sleep(0.05)
