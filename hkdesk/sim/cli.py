"""``hkdesk sim``: run the simulator until Ctrl-C or SIGTERM (or until its parent dies).

The first line on stdout is exactly ``hkdesk-sim ws://HOST:PORT/quote-stock-b-ws-api`` (flushed),
so a parent process can read the URL; with ``--port 0`` the system picks a free port.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from datetime import date, datetime, time
from pathlib import Path

from hkdesk.domain.sessions import OPEN, is_trading_day
from hkdesk.domain.symbols import load_universe
from hkdesk.sim.clock import DemoClock, RealtimeClock, SimClock
from hkdesk.sim.faults import FaultError, Faults
from hkdesk.sim.indices import load_membership
from hkdesk.sim.model import MarketModel
from hkdesk.sim.parent import watch_parent
from hkdesk.sim.series import SERIES_START
from hkdesk.sim.server import PLANS, SimServer

URL_PREFIX = "hkdesk-sim"
DEFAULT_PORT = 8765

log = logging.getLogger("hkdesk.sim")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="hkdesk sim",
        description="Simulated HKEX market speaking the AllTick quote protocol (WebSocket + HTTP).",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port, 0 for any free port (default 8765)")
    p.add_argument("--symbols-file", type=Path, help="symbols CSV (default: the bundled HK list)")
    p.add_argument(
        "--clock", choices=("demo", "realtime"), default="demo", help="demo always trades (default)"
    )
    p.add_argument("--speed", type=float, default=1.0, help="demo clock speed factor (default 1)")
    p.add_argument(
        "--date",
        type=_date,
        help="trading day the demo clock simulates, YYYY-MM-DD (default: the latest, today if it trades)",
    )
    p.add_argument(
        "--start",
        type=_hhmm,
        default=OPEN,
        help="Hong Kong time the demo clock starts at, HH:MM (default 09:30); the day's earlier "
        "trades are made at once, for K-lines and the latest trade",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--token", help="require this token (else any token is accepted)")
    p.add_argument("--plan", choices=PLANS, default="professional", help="AllTick plan limits to enforce")
    p.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="inject a fault, repeatable: drop-every=S, stall[=S], slow=S, garbage=R, "
        "reject-symbol=CODE, reject-next[=N], burst=N",
    )
    p.add_argument("--rate", type=float, default=0.0, help="burst mode: extra trades per second in total")
    p.add_argument("--request-spacing", type=float, default=1.0, help="minimum seconds between requests")
    p.add_argument(
        "--heartbeat-timeout", type=float, default=30.0, help="close after this long without 22000"
    )
    p.add_argument("--log-level", default="WARNING", help="logging level on stderr (default WARNING)")
    p.add_argument("--parent-pid", type=int, help=argparse.SUPPRESS)
    return p


def _date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    if day < SERIES_START:
        raise argparse.ArgumentTypeError(f"the simulated history starts {SERIES_START}")
    if not is_trading_day(day):
        raise argparse.ArgumentTypeError(f"{day} is not an HKEX trading day")
    return day


def _hhmm(text: str) -> time:
    for pattern in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"not a time of day (HH:MM): {text!r}")


def _make_server(args: argparse.Namespace) -> SimServer:
    universe = load_universe(args.symbols_file) if args.symbols_file else None
    members = load_membership(args.symbols_file) if args.symbols_file else None
    model = MarketModel(universe, seed=args.seed, members=members)
    if args.clock == "demo":
        clock: SimClock = DemoClock(speed=args.speed, start_day=args.date, start_time=args.start)
    else:
        clock = RealtimeClock()
    faults = Faults()
    for spec in args.fault:
        faults.apply(spec, 0.0)
    if args.rate:
        faults.burst_rate = args.rate
    return SimServer(
        model,
        clock=clock,
        host=args.host,
        port=args.port,
        token=args.token,
        plan=args.plan,
        request_spacing=args.request_spacing,
        heartbeat_timeout=args.heartbeat_timeout,
        faults=faults,
        seed=args.seed,
    )


async def _run(server: SimServer, parent_pid: int | None = None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    if parent_pid is not None:
        watch_parent(parent_pid, stop.set)
    async with server:
        print(f"{URL_PREFIX} {server.ws_url}", flush=True)
        print(f"http {server.http_url}", flush=True)
        print(f"control {server.control_url}/status", flush=True)
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    """Entry point for ``hkdesk sim``; returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.speed <= 0:
        print("hkdesk sim: --speed must be positive", file=sys.stderr)
        return 2
    if args.clock == "realtime" and (args.date is not None or args.start != OPEN):
        print("hkdesk sim: --date and --start are for the demo clock, not --clock realtime", file=sys.stderr)
        return 2
    try:
        server = _make_server(args)
    except FaultError as exc:
        print(f"hkdesk sim: bad --fault: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"hkdesk sim: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(_run(server, args.parent_pid))
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        print(f"hkdesk sim: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0
