"""Backfill tests: let every socket finish closing before the test's loop is closed."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator

import pytest


@pytest.fixture(autouse=True)
async def _drain_loop() -> AsyncIterator[None]:
    """Closing transports finish on later loop iterations (connection_lost, notifier removal);
    closing the loop before that leaves Qt socket notifiers behind for the next test."""
    yield
    await asyncio.sleep(0.05)
    gc.collect()
    await asyncio.sleep(0)
