"""Logging with secrets redacted, and exception hooks that log instead of killing the app.

One hook each for the GUI thread (``sys.excepthook``, which PySide6 calls for exceptions
raised in slots), worker threads (``threading.excepthook``) and the asyncio loop
(``loop.set_exception_handler``). An advisor's window must survive a bug in one panel.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Callable

log = logging.getLogger("hkdesk.errors")


class RedactingFilter(logging.Filter):
    """Rewrites the record's message (args folded in) through ``redact`` before any handler sees it."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        super().__init__()
        self._redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:
            msg = str(record.msg)
        record.msg = self._redact(msg)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        return True


class ExceptionHooks:
    """Installs the three hooks; :meth:`uninstall` restores what was there (tests open many windows)."""

    def __init__(self) -> None:
        self._old_sys = sys.excepthook
        self._old_thread = threading.excepthook
        self._loop: asyncio.AbstractEventLoop | None = None
        self._old_loop_handler = None
        self.count = 0

    def install(self, loop: asyncio.AbstractEventLoop | None) -> None:
        sys.excepthook = self._on_gui_exception
        threading.excepthook = self._on_thread_exception
        if loop is not None:
            self._loop = loop
            self._old_loop_handler = loop.get_exception_handler()
            loop.set_exception_handler(self._on_loop_exception)

    def uninstall(self) -> None:
        sys.excepthook = self._old_sys
        threading.excepthook = self._old_thread
        if self._loop is not None and not self._loop.is_closed():
            self._loop.set_exception_handler(self._old_loop_handler)

    def _on_gui_exception(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._old_sys(exc_type, exc, tb)
            return
        self.count += 1
        log.error("unhandled error (the app keeps running): %s", exc, exc_info=(exc_type, exc, tb))

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        self.count += 1
        name = args.thread.name if args.thread is not None else "?"
        log.error(
            "unhandled error in thread %s: %s",
            name,
            args.exc_value,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
        )

    def _on_loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict) -> None:
        exc = context.get("exception")
        message = context.get("message", "")
        if isinstance(exc, asyncio.CancelledError):
            return
        self.count += 1
        if exc is not None:
            log.error("unhandled error in the event loop: %s (%s)", message, exc, exc_info=exc)
        else:
            log.error("event loop problem: %s", message)


def setup_logging(
    redact: Callable[[str], str], *handlers: logging.Handler, level: int = logging.INFO
) -> None:
    """Attach ``handlers`` to the root logger, each behind the redacting filter."""
    root = logging.getLogger()
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    flt = RedactingFilter(redact)
    for h in handlers:
        h.addFilter(flt)
        root.addHandler(h)


def remove_handlers(*handlers: logging.Handler) -> None:
    root = logging.getLogger()
    for h in handlers:
        root.removeHandler(h)
        h.close()
