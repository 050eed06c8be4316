"""``python -m bench [--quick] [--json PATH] [--only NAME]``: run every scenario, print a Markdown table."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
import time
import traceback

from bench.machine import describe
from bench.report import Result, markdown

SCENARIOS = (
    "ingest", "persistence", "outage", "window", "alerts", "day", "startup", "chart", "backfill", "desk"
)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke mode: small sizes, under 45 s")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--only", action="append", choices=SCENARIOS, help="run only this scenario")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    machine = describe()
    results: list[Result] = []
    failed = []
    for name in args.only or SCENARIOS:
        started = time.perf_counter()
        print(f"running {name}...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"bench.scenarios.{name}")
            results.extend(module.run(args.quick))
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    print(markdown(machine, results))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "machine": machine,
                    "quick": args.quick,
                    "scenarios": [r.to_json() for r in results],
                    "failed": failed,
                },
                fh,
                indent=2,
            )
    _release_qt()
    return 1 if failed else 0


def _release_qt() -> None:
    """Destroy the window scenarios' Qt objects before the interpreter tears itself down:
    left to interpreter exit, pyqtgraph widgets and the QApplication crash it (SIGSEGV)."""
    if "PySide6.QtWidgets" not in sys.modules:
        return
    import contextlib
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in QApplication.topLevelWidgets():
        with contextlib.suppress(RuntimeError):  # already deleted on the C++ side
            widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    gc.collect()
    app.shutdown()


if __name__ == "__main__":
    raise SystemExit(main())
