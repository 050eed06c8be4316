"""``hkdesk alerts import|export|list|log``: the alerts of a config folder, from the command line.

A desk that sets up many workstations imports one CSV everywhere. The verbs work on the same
``alerts.db`` as the app (``--config-dir`` as for the app), and can run while the app is open.
Exit codes: 0 done, 2 bad input (a bad CSV line, an unreadable file or alerts file, a bad
``--since``), with the reason on stderr. Heavy imports wait until a verb runs, so building the
``hkdesk`` parser stays cheap.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TextIO

from hkdesk.domain.sessions import HK_TZ, from_epoch_ms, hk_now

EXIT_BAD_INPUT = 2
LOG_COLUMNS = ("logged_at", "source", "symbol", "kind", "condition", "price", "exchange_time", "alert_id")


def add_parser(subparsers) -> None:
    """Add ``alerts`` and its verbs to the ``hkdesk`` command's subparsers."""
    parser = subparsers.add_parser(
        "alerts",
        help="import, export and list alerts; show the alert log",
        description="Alerts of the app's config folder (the same data the app uses).",
    )
    verbs = parser.add_subparsers(dest="alerts_verb", metavar="VERB", required=True)
    imp = verbs.add_parser("import", help="add the alerts of a CSV file (symbol,kind,value,minutes,repeat)")
    imp.add_argument("file", metavar="FILE.csv")
    exp = verbs.add_parser("export", help="write every alert to a CSV file")
    exp.add_argument("file", metavar="FILE.csv")
    verbs.add_parser("list", help="show the alerts and their state")
    log = verbs.add_parser("log", help="show the alerts that fired")
    log.add_argument("--since", metavar="HH:MM", help="only those logged since this Hong Kong time today")
    log.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    for verb in verbs.choices.values():
        verb.add_argument(
            "--config-dir",
            dest="config_dir",
            default=argparse.SUPPRESS,  # keeps a --config-dir given before the verb
            help="folder for settings, watchlists and alerts (default: the app's)",
        )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from hkdesk.alerts.store import AlertStore
    from hkdesk.folders import config_dir
    from hkdesk.store.errors import StoreError

    out = out or sys.stdout
    try:
        store = AlertStore.in_folder(config_dir(getattr(args, "config_dir", None)))
    except StoreError as exc:
        return _fail(f"cannot open the alerts file: {exc}")
    try:
        verb = {"import": _import, "export": _export, "list": _list, "log": _log}[args.alerts_verb]
        return verb(store, args, out)
    except StoreError as exc:
        return _fail(str(exc))
    finally:
        store.close()


def _fail(message: str) -> int:
    print(f"hkdesk alerts: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _import(store, args: argparse.Namespace, out: TextIO) -> int:
    from hkdesk.alerts.csv_format import AlertFileError, read_alerts

    try:
        with open(args.file, newline="", encoding="utf-8-sig") as fh:
            alerts = read_alerts(fh)
    except OSError as exc:
        return _fail(f"cannot read {args.file}: {exc.strerror or exc}")
    except AlertFileError as exc:
        for line, reason in exc.problems:
            print(f"hkdesk alerts: {args.file}, line {line}: {reason}", file=sys.stderr)
        return _fail(f"nothing imported from {args.file}")
    added, known = store.import_alerts(alerts)
    print(f"imported {len(added)} alert(s) from {args.file}; {known} already present", file=out)
    return 0


def _export(store, args: argparse.Namespace, out: TextIO) -> int:
    from hkdesk.alerts.csv_format import write_alerts

    try:
        with open(args.file, "w", newline="", encoding="utf-8") as fh:
            n = write_alerts(store.alerts(), fh)
    except OSError as exc:
        return _fail(f"cannot write {args.file}: {exc.strerror or exc}")
    print(f"exported {n} alert(s) to {args.file}", file=out)
    return 0


def _list(store, args: argparse.Namespace, out: TextIO) -> int:
    alerts = store.alerts()
    if not alerts:
        print("no alerts", file=out)
        return 0
    rows = [("id", "symbol", "kind", "rule", "repeat", "state")]
    rows += [(str(a.id), a.symbol, a.kind.value, a.describe(), a.repeat_text(), _state(a)) for a in alerts]
    _table(rows, out)
    return 0


def _state(alert) -> str:
    if alert.paused:
        return "paused"
    if alert.last_fired_ts is None:
        return "armed"
    fired = f"fired {_exchange_time(alert.last_fired_ts)}"
    rearm = alert.rearms_at()
    return f"{fired}, spent" if rearm is None else f"{fired}, re-arms from {_exchange_time(rearm)}"


def _log(store, args: argparse.Namespace, out: TextIO) -> int:
    since = None
    if args.since is not None:
        try:
            since = _today_at(args.since)
        except ValueError:
            return _fail(f"--since takes a Hong Kong time today as HH:MM, not {args.since!r}")
    from hkdesk.store.schema import decimal_text

    entries = store.log(since)
    if args.csv:
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            ("logged_at", "source", "symbol", "kind", "condition", "price", "exchange_time", "alert_id")
        )
        for e in entries:
            writer.writerow(
                (
                    _iso(datetime.fromtimestamp(e.logged_at, HK_TZ)),
                    e.source,
                    e.symbol,
                    e.kind.value,
                    e.condition,
                    decimal_text(e.price),
                    _iso(from_epoch_ms(e.ts)),
                    "" if e.alert_id is None else e.alert_id,
                )
            )
        return 0
    if not entries:
        print("no alerts fired" + (f" since {args.since}" if since is not None else ""), file=out)
        return 0
    rows = [("logged (HK)", "symbol", "price", "condition", "trade time (HK)", "source")]
    for e in entries:
        logged = datetime.fromtimestamp(e.logged_at, HK_TZ).strftime("%Y-%m-%d %H:%M:%S")
        rows.append((logged, e.symbol, decimal_text(e.price), e.condition, _exchange_time(e.ts), e.source))
    _table(rows, out)
    return 0


def _today_at(text: str) -> float:
    """Epoch seconds of ``HH:MM`` Hong Kong time today."""
    hh, sep, mm = text.strip().partition(":")
    if not sep or len(mm) != 2 or not (hh.isdigit() and mm.isdigit()):
        raise ValueError(text)
    moment = hk_now().replace(
        hour=int(hh), minute=int(mm), second=0, microsecond=0
    )  # ValueError if out of range
    return moment.timestamp()


def _exchange_time(ts: int) -> str:
    return from_epoch_ms(ts).strftime("%Y-%m-%d %H:%M:%S")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _table(rows: list[tuple[str, ...]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip(), file=out)
