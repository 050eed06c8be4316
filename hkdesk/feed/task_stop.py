"""Stopping a task within a bound, whatever it is awaiting (the app, the recorder, their tests).

A cancellation can be swallowed: on Python 3.11 ``asyncio.wait_for`` returns the inner result
when the inner call finishes at the moment the cancel arrives, and the task goes on to its next
await. Awaiting such a task after one ``cancel()`` waits for as long as it runs; the app's
shutdown hung that way. So the cancel is repeated until the task is done, for at most
``timeout`` seconds, and the caller learns whether it stopped.
"""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)

#: Seconds between two cancels of a task that has not stopped yet.
RECANCEL_S = 0.05


async def stop_task(task: asyncio.Task[object], timeout: float = 3.0) -> bool:
    """Cancel ``task`` (again while it runs on) and wait for it; True if it ended in time.
    Its result or error is consumed: a stopping task's outcome is of no further use."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not task.done():
        left = deadline - loop.time()
        if left <= 0:
            log.warning("task %s did not stop within %g s; left behind", task.get_name(), timeout)
            return False
        task.cancel()
        await asyncio.wait({task}, timeout=min(RECANCEL_S, left))
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not report it as never retrieved
    return True


async def first_of(*waits: asyncio.Event | asyncio.Future[object]) -> None:
    """Return once any event is set or any future is done (a close that must end a wait for
    something that may never come). Futures passed in are left as they are."""
    own = [asyncio.ensure_future(w.wait()) for w in waits if isinstance(w, asyncio.Event)]
    given = [w for w in waits if not isinstance(w, asyncio.Event)]
    try:
        await asyncio.wait([*own, *given], return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in own:
            waiter.cancel()
