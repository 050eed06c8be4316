"""``hkdesk export ticks|bars|watchlist``: recorded data to CSV or Excel from the command line.

Exit codes: 0 written (also when there is nothing to export: the file then holds the header
only, and a note says so on stderr), 2 bad options, an unknown symbol or list, or a database
that cannot be read. Heavy imports wait until the verb runs.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

EXIT_BAD_INPUT = 2
WHAT = ("ticks", "bars", "watchlist")
INTERVAL_CHOICES = ("1m", "5m", "15m", "1h", "1d")


def add_parser(subparsers) -> None:
    """Add ``export`` to the ``hkdesk`` command's subparsers."""
    parser = subparsers.add_parser(
        "export",
        help="write ticks, bars or a watchlist to .csv or .xlsx",
        description="Export recorded data from the market database, exact decimals kept.",
    )
    parser.add_argument("what", choices=WHAT, help="ticks of a day, bars of a date range, or a watchlist")
    parser.add_argument(
        "--symbol", metavar="S", help="the symbol (watchlist: a comma-separated list instead of --list)"
    )
    parser.add_argument(
        "--date", metavar="YYYY-MM-DD", help="Hong Kong trading date (watchlist: default today)"
    )
    parser.add_argument("--to", metavar="YYYY-MM-DD", help="bars: last date of the range (default: --date)")
    parser.add_argument(
        "--interval", choices=INTERVAL_CHOICES, default="1m", help="bars: interval (default 1m)"
    )
    parser.add_argument(
        "--list", dest="list_name", metavar="NAME", help="watchlist: which list (default: current)"
    )
    parser.add_argument("--out", required=True, metavar="FILE.csv|FILE.xlsx", help="the file to write")
    parser.add_argument(
        "--db", default=argparse.SUPPRESS, help="SQLAlchemy database URL (default: the app's database)"
    )
    parser.add_argument(
        "--source",
        choices=("simulator", "alltick", "simulator-url"),
        default=None,
        help="whose database to read without --db (default: the feed the app's settings name)",
    )
    parser.add_argument(
        "--config-dir",
        dest="config_dir",
        default=argparse.SUPPRESS,
        help="the app's config folder: its lists, its settings and, as for the app, its databases",
    )
    parser.set_defaults(run=run)


class _Usage(Exception):
    pass


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from hkdesk.export.writers import ExportError
    from hkdesk.store.errors import StoreError

    out = out or sys.stdout
    try:
        return _export(args, out)
    except (_Usage, ExportError, StoreError) as exc:
        print(f"hkdesk export: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _export(args: argparse.Namespace, out: TextIO) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from hkdesk.export.source import market_db_url
    from hkdesk.export.writers import write_table
    from hkdesk.store.engine import make_engine, sqlite_path
    from hkdesk.store.errors import redact_url

    table_of = _plan(args)
    explicit_dir = getattr(args, "config_dir", None)
    engine = make_engine(
        market_db_url(getattr(args, "db", None), Path(explicit_dir) if explicit_dir else None, args.source)
    )
    try:
        path = sqlite_path(engine)
        if path is not None and not path.exists():
            raise _Usage(f"no database at {path} (record first, or pass --db)")
        try:
            table = table_of(engine)
            n = write_table(table, Path(args.out))
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise _Usage(f"cannot read the database {redact_url(engine.url)!r}: {reason}") from exc
    finally:
        engine.dispose()
    if n == 0:
        print(
            f"hkdesk export: nothing recorded for {table.title}; {args.out} has the header only",
            file=sys.stderr,
        )
    print(f"wrote {n} row(s) of {table.title} to {args.out}", file=out)
    return 0


def _plan(args: argparse.Namespace):
    """Check the options for ``args.what``; returns a function of the engine giving the table."""
    from hkdesk.export import tables

    if args.what == "watchlist":
        return _watchlist_plan(args)
    if args.list_name is not None:
        raise _Usage("--list is for the watchlist export")
    if not args.symbol:
        raise _Usage(f"exporting {args.what} needs --symbol")
    if not args.date:
        raise _Usage(f"exporting {args.what} needs --date YYYY-MM-DD")
    symbol, day = _symbol(args.symbol), _date(args.date, "--date")
    if args.what == "ticks":
        if args.to is not None:
            raise _Usage("--to is for bars; ticks are exported one day at a time")
        return lambda engine: tables.tick_table(engine, symbol, day)
    last = _date(args.to, "--to") if args.to else day
    if last < day:
        raise _Usage(f"--to {last} is before --date {day}")
    return lambda engine: tables.bar_table(engine, symbol, args.interval, day, last)


def _watchlist_plan(args: argparse.Namespace):
    from hkdesk.domain.sessions import hk_now
    from hkdesk.domain.symbols import default_universe
    from hkdesk.export import tables

    if args.to is not None:
        raise _Usage("--to is for bars")
    day = _date(args.date, "--date") if args.date else hk_now().date()
    if args.symbol:
        name, symbols = "symbols", [_symbol(s) for s in args.symbol.split(",") if s.strip()]
    else:
        name, symbols = _saved_list(args)
    return lambda engine: tables.watchlist_table(engine, name, symbols, day, default_universe())


def _saved_list(args: argparse.Namespace) -> tuple[str, list[str]]:
    from hkdesk.folders import config_dir
    from hkdesk.watchlist_file import WatchlistStore

    lists = WatchlistStore(config_dir(getattr(args, "config_dir", None))).load()
    name = args.list_name or lists.current
    if name not in lists.lists:
        raise _Usage(f"no watchlist named {name!r} (lists: {', '.join(lists.names())})")
    return name, list(lists.lists[name])


def _symbol(text: str) -> str:
    from hkdesk.domain.symbols import SymbolError, normalise

    try:
        return normalise(text)
    except SymbolError as exc:
        raise _Usage(str(exc)) from None


def _date(text: str, option: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise _Usage(f"{option} takes a date as YYYY-MM-DD, not {text!r}") from None
