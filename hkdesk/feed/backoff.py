"""Reconnect delays: exponential from the plan's minimum spacing, capped, jittered, self-resetting."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable


class Backoff:
    """Delay before the next connection attempt of one socket.

    The n-th consecutive failure waits ``initial * 2**n`` seconds, capped at ``cap``, times a
    random factor in ``[1 - jitter, 1 + jitter]``; the result never drops below ``initial``
    (the provider's minimum reconnect spacing) nor rises above ``cap``. Once a link has been
    healthy for ``reset_after`` seconds, the next failure starts from ``initial`` again.

    ``clock`` must be monotonic (wall-clock jumps must not shorten or stretch a wait).
    """

    def __init__(
        self,
        initial: float,
        *,
        cap: float = 30.0,
        reset_after: float = 60.0,
        jitter: float = 0.15,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if initial < 0 or cap < initial:
            raise ValueError(f"need 0 <= initial <= cap, got {initial} and {cap}")
        if not 0 <= jitter < 1:
            raise ValueError(f"jitter must be in [0, 1), got {jitter}")
        self.initial = initial
        self.cap = cap
        self.reset_after = reset_after
        self.jitter = jitter
        self._rng = rng or random.Random()
        self._clock = clock
        self._failures = 0
        self._healthy_since: float | None = None

    @property
    def failures(self) -> int:
        """Consecutive failures counted so far (0 after a reset)."""
        return self._failures

    def healthy(self) -> None:
        """The link is up and working; start the clock towards a reset."""
        if self._healthy_since is None:
            self._healthy_since = self._clock()

    def next_delay(self, *, severe: bool = False) -> float:
        """Seconds to wait before the next attempt; ``severe`` (e.g. rate-limited) skips ahead."""
        if self._healthy_since is not None:
            if self._clock() - self._healthy_since >= self.reset_after:
                self._failures = 0
            self._healthy_since = None
        if severe:
            self._failures = max(self._failures, 2)
        base = min(self.cap, self.initial * 2.0 ** min(self._failures, 32))
        self._failures += 1
        spread = self._rng.uniform(1.0 - self.jitter, 1.0 + self.jitter)
        return max(self.initial, min(self.cap, base * spread))

    def reset(self) -> None:
        self._failures = 0
        self._healthy_since = None


async def sleep_until(deadline: float, clock: Callable[[], float] = time.monotonic) -> None:
    """Sleep until ``deadline`` on ``clock``. Under qasync a sleep is a coarse Qt timer that may
    fire up to 5 % early, which would break the provider's minimum spacing."""
    while (left := deadline - clock()) > 0:
        await asyncio.sleep(left)
