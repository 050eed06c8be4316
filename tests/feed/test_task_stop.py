"""A task that swallows a cancellation is still stopped, and one that never stops is left in time."""

from __future__ import annotations

import asyncio
import contextlib

from hkdesk.feed.task_stop import stop_task


async def test_a_swallowed_cancel_is_repeated_until_the_task_stops() -> None:
    swallowed = 0

    async def swallows_the_first() -> None:
        nonlocal swallowed
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            swallowed += 1  # as asyncio.wait_for does on 3.11 when its inner call just finished
        await asyncio.Event().wait()  # then waits for something that never comes

    task = asyncio.ensure_future(swallows_the_first())
    await asyncio.sleep(0.01)
    assert await stop_task(task, timeout=2.0)
    assert swallowed == 1 and task.cancelled()


async def test_a_task_that_never_stops_is_left_within_the_bound(caplog) -> None:
    stop = asyncio.Event()

    async def stubborn() -> None:
        while not stop.is_set():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(30)

    task = asyncio.ensure_future(stubborn())
    await asyncio.sleep(0.01)
    assert not await stop_task(task, timeout=0.3)
    assert "did not stop" in caplog.text
    stop.set()
    task.cancel()
    await asyncio.wait({task}, timeout=1)


async def test_an_error_of_the_stopped_task_is_consumed() -> None:
    async def fails() -> None:
        raise RuntimeError("boom")

    task = asyncio.ensure_future(fails())
    await asyncio.sleep(0.01)
    assert await stop_task(task)
