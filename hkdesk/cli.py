"""Command line: ``hkdesk`` opens the desktop app; ``hkdesk record`` and ``hkdesk sim`` run headless."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hkdesk.alerts import cli as alerts_cli
from hkdesk.export import cli as export_cli
from hkdesk.sources.spec import PLAN_NAMES as PLANS


def _app_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        help="AllTick WebSocket endpoint without the token, or a shared desk's nats://HOST:4222 "
        "(default: settings)",
    )
    parser.add_argument("--desk", help="the shared desk's name, with --url nats://… (default: main)")
    parser.add_argument(
        "--desktop-id", dest="desktop_id", help="this desktop's id on the desk: its NATS user"
    )
    parser.add_argument("--nats-creds", dest="nats_creds", metavar="FILE", help="NATS credentials file")
    parser.add_argument(
        "--desk-db",
        dest="desk_db",
        metavar="URL",
        help="the desk's database (read-only), for the part of the day its stream lacks",
    )
    parser.add_argument("--token", help="AllTick token (else HKDESK_TOKEN, then the OS keyring)")
    parser.add_argument("--plan", choices=PLANS, help="AllTick plan: symbol and connection limits")
    parser.add_argument("--db", help="SQLAlchemy database URL (default: SQLite in the user data folder)")
    parser.add_argument("--symbols", help="comma-separated watchlist to open with, e.g. 700,5,9988")
    parser.add_argument("--config-dir", dest="config_dir", help="folder for settings and watchlists")
    parser.add_argument(
        "--quit-after",
        dest="quit_after",
        type=float,
        metavar="SECONDS",
        help="quit by itself after this many seconds (automation)",
    )
    parser.add_argument("--screenshot", metavar="PATH", help="save a PNG of the main window before quitting")
    parser.add_argument(
        "--diagnostics",
        metavar="PATH",
        help="write a JSON file of what the window shows when the app quits (for support)",
    )
    # timing hook (hkdesk.desktop.startup_probe): print first paint / first quote times, then quit
    parser.add_argument("--startup-probe", dest="startup_probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--probe-chart-ticks", dest="probe_chart_ticks", type=int, default=0, help=argparse.SUPPRESS
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hkdesk",
        description="Real-time Hong Kong stock quotes. With no command, opens the desktop app.",
    )
    from hkdesk import __version__

    parser.add_argument("--version", action="version", version=f"hkdesk {__version__}")
    _app_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    rec = sub.add_parser(
        "record",
        help="record ticks to a database with no window",
        description="Record ticks headless. With no --url, records from the built-in simulator.",
    )
    rec.add_argument("--symbols", required=True, help="comma-separated codes, e.g. 700.HK,9988.HK")
    rec.add_argument(
        "--url",
        help="WebSocket endpoint without the token, e.g. "
        "wss://quote.alltick.co/quote-stock-b-ws-api, or a shared desk's nats://HOST:4222 "
        "(default: built-in simulator)",
    )
    rec.add_argument(
        "--publish",
        metavar="NATS_URL",
        help="be a desk server: publish every trade and book to NATS JetStream at nats://HOST:4222",
    )
    rec.add_argument("--desk", default=None, help="the shared desk's name (default: main)")
    rec.add_argument("--nats-creds", dest="nats_creds", metavar="FILE", help="NATS credentials file")
    rec.add_argument("--desktop-id", dest="desktop_id", help=argparse.SUPPRESS)
    rec.add_argument("--token", help="AllTick token (else HKDESK_TOKEN, then the OS keyring)")
    rec.add_argument(
        "--plan",
        choices=PLANS,
        default=None,
        help="AllTick plan (default: free with a real feed, professional with the simulator)",
    )
    rec.add_argument("--db", help="SQLAlchemy database URL (default: SQLite in the user data folder)")
    rec.add_argument(
        "--depth", type=int, default=0, metavar="N", help="also record N-level order books (1-10)"
    )
    rec.add_argument("--duration", type=float, metavar="SECONDS", help="stop after this many seconds")
    rec.add_argument(
        "--progress-every",
        dest="progress_every",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help=argparse.SUPPRESS,
    )
    sub.add_parser("sim", help="run the built-in HKEX market simulator", add_help=False)
    for verbs in (alerts_cli, export_cli):
        verbs.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sim"]:
        from hkdesk.sim.cli import main as sim_main

        return sim_main(argv[1:])
    if argv[:1] == ["alerts-judge"]:  # the alert judge process of a frozen app (alerts/process_judge.py)
        from hkdesk.alerts.judge_child import main as judge_main

        return judge_main()
    args = build_parser().parse_args(argv)
    if hasattr(args, "run"):  # alerts, export
        return args.run(args)
    if args.command == "record":
        from hkdesk.record import run_record

        return run_record(args)
    from hkdesk.desktop.run import run

    return run(args)


def gui_main() -> None:
    raise SystemExit(main())


if __name__ == "__main__":
    raise SystemExit(main())
