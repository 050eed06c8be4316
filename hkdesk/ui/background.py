"""Coroutines started from Qt slots: kept referenced until done, their failures logged."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger("hkdesk.ui")

_running: set[asyncio.Future[Any]] = set()


def spawn(
    coro: Coroutine[Any, Any, Any], what: str, on_error: Callable[[str], None] | None = None
) -> asyncio.Future[Any]:
    """Run ``coro`` on the event loop; a failure is logged as ``what`` and told to ``on_error``."""
    task = asyncio.ensure_future(coro)
    _running.add(task)

    def done(t: asyncio.Future[Any]) -> None:
        _running.discard(t)
        if t.cancelled():
            return
        exc = t.exception()
        if exc is not None:
            log.error("%s failed: %s", what, exc)
            if on_error is not None:
                on_error(str(exc))

    task.add_done_callback(done)
    return task
