"""Polling helpers: wait for a condition, fail with what was awaited after a timeout."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


async def wait_until(
    predicate: Callable[[], object], timeout: float = 10.0, what: str = "condition", every: float = 0.005
) -> float:
    """Poll ``predicate`` on the running loop; return the seconds it took, fail after ``timeout``."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(every)
    return time.monotonic() - start


def wait_until_sync(
    predicate: Callable[[], object], timeout: float = 10.0, what: str = "condition", every: float = 0.005
) -> float:
    """:func:`wait_until` for code with no event loop (a writer thread, a child process)."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)
    return time.monotonic() - start
