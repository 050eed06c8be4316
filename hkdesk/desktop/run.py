"""``hkdesk`` with no sub-command: the desktop app on one Qt + asyncio (qasync) loop."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

import qasync
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from hkdesk.app.diagnostics import remove_handlers, setup_logging
from hkdesk.desktop.desk import Desk
from hkdesk.desktop.platform_libs import window_problem
from hkdesk.domain.symbols import default_universe
from hkdesk.ui.fonts import setup_chinese_font, shown_text

log = logging.getLogger(__name__)


def run(options: argparse.Namespace) -> int:
    """Open the window and run until it is closed (or ``--quit-after``); the process exit code."""
    QCoreApplication.setOrganizationName("hkdesk")
    QCoreApplication.setApplicationName("hkdesk")
    if QApplication.instance() is None and (problem := window_problem()):
        print(problem, file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    setup_chinese_font(app, shown_text(default_universe().values()))
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    desk = Desk(options)
    stderr = _stderr_handler()
    setup_logging(desk.redact, stderr)
    try:
        with loop:
            code = loop.run_until_complete(desk.run())
    except Exception:
        log.exception("hkdesk stopped with an error")
        code = 1
    finally:
        remove_handlers(stderr)
        asyncio.set_event_loop(None)
    app.processEvents()
    return code


def _stderr_handler() -> logging.Handler:
    h = logging.StreamHandler(sys.stderr)
    h.setLevel(logging.WARNING if not os.environ.get("HKDESK_DEBUG") else logging.DEBUG)
    h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return h
