"""AllTick's HTTP limits by plan, enforced per token and per endpoint.

Calls to one endpoint are counted in a sliding window (``/kline`` on the free plan: one call
per 10 s); calls to different endpoints never block each other, and a refused call does not
count. ``window_scale`` shrinks every window so tests run the rules in milliseconds.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

#: (calls, per seconds) for ``/kline``, ``/trade-tick``, ``/depth-tick`` and ``/static_info``.
CALLS: dict[str, tuple[int, float]] = {
    "free": (1, 10.0),
    "basic": (1, 1.0),
    "premium": (10, 1.0),
    "professional": (20, 1.0),
}
#: (calls, per seconds) for ``/batch-kline``.
BATCH_CALLS: dict[str, tuple[int, float]] = {
    "free": (1, 10.0),
    "basic": (1, 3.0),
    "premium": (1, 2.0),
    "professional": (1, 1.0),
}
#: Items per call: codes x K-line types in ``/batch-kline`` (more is refused with 603), codes in
#: the list endpoints (more are dropped).
ITEMS_PER_CALL: dict[str, int] = {"free": 5, "basic": 100, "premium": 200, "professional": 500}

BATCH_KLINE = "batch-kline"


class HttpLimits:
    """Per-token, per-endpoint call windows for one plan."""

    def __init__(
        self, plan: str, window_scale: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if window_scale <= 0:
            raise ValueError(f"window_scale must be positive, not {window_scale}")
        self.plan = plan
        self.window_scale = window_scale
        self.items_per_call = ITEMS_PER_CALL[plan]
        self._clock = clock
        self._calls: dict[tuple[str, str], deque[float]] = {}

    def rule(self, endpoint: str) -> tuple[int, float]:
        calls, seconds = (BATCH_CALLS if endpoint == BATCH_KLINE else CALLS)[self.plan]
        return calls, seconds * self.window_scale

    def allow(self, token: str, endpoint: str) -> bool:
        """Count a call to ``endpoint`` with ``token`` if the plan allows it now."""
        calls, window = self.rule(endpoint)
        now = self._clock()
        history = self._calls.setdefault((token, endpoint), deque())
        while history and now - history[0] >= window:
            history.popleft()
        if len(history) >= calls:
            return False
        history.append(now)
        return True
