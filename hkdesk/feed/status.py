"""What the feed reports to its users: timings, states, status snapshots, counters and gaps."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class FeedTimings:
    """Protocol timings in seconds, defaulting to AllTick's documented values.

    ``liveness``: a socket with no frame at all for this long is dead (default: two heartbeat
    intervals). ``request_spacing``: minimum gap between any two requests on one socket, kept
    with ``spacing_margin`` (a fraction) on top: the server times requests on arrival, where
    network and scheduling jitter can shrink a gap we kept exactly, and a 606 closes the socket.
    ``shard_spacing``: minimum gap between opening (or subscribing on) two different sockets.
    ``symbol_retry``: first wait before a refused code is tried again (doubling, capped at
    ``symbol_retry_cap``). ``close_timeout``: how long a closing handshake may take.
    """

    heartbeat_interval: float = 10.0
    liveness: float | None = None
    request_spacing: float = 1.0
    spacing_margin: float = 0.15
    shard_spacing: float = 3.0
    backoff_cap: float = 30.0
    backoff_reset_after: float = 60.0
    debounce: float = 0.3
    open_timeout: float = 10.0
    close_timeout: float = 2.0
    symbol_retry: float = 60.0
    symbol_retry_cap: float = 900.0
    bad_frame_log_interval: float = 10.0

    @property
    def liveness_timeout(self) -> float:
        return self.liveness if self.liveness is not None else 2.0 * self.heartbeat_interval


class FeedState(StrEnum):
    IDLE = "idle"
    """Running with nothing to watch (no socket open)."""
    CONNECTING = "connecting"
    SUBSCRIBING = "subscribing"
    LIVE = "live"
    BACKING_OFF = "backing off"
    FAILED = "failed"
    CLOSED = "closed"


# Worst first: the feed's overall state is the worst state among its sockets.
_SEVERITY = (
    FeedState.FAILED,
    FeedState.BACKING_OFF,
    FeedState.CONNECTING,
    FeedState.SUBSCRIBING,
    FeedState.LIVE,
    FeedState.IDLE,
    FeedState.CLOSED,
)


def worst(states: list[FeedState]) -> FeedState:
    return min(states, key=_SEVERITY.index) if states else FeedState.IDLE


@dataclass(frozen=True)
class ShardStatus:
    """One socket. ``retry_at`` is on the ``time.monotonic`` clock; ``retry_in`` in seconds."""

    index: int
    state: FeedState
    symbols: int
    depth_symbols: int = 0
    reason: str = ""
    retry_at: float | None = None
    retry_in: float | None = None
    rtt_ms: float | None = None
    reconnects: int = 0


@dataclass(frozen=True)
class FeedStatus:
    """A snapshot for the status bar. ``reason`` and ``notice`` never contain the token."""

    state: FeedState
    reason: str = ""
    retry_in: float | None = None
    retry_at: float | None = None
    shards: tuple[ShardStatus, ...] = ()
    rtt_ms: float | None = None
    reconnects: int = 0
    overflow: tuple[str, ...] = ()
    """Watched symbols beyond the plan's capacity (not streamed)."""
    rejected: tuple[str, ...] = ()
    """Symbols the server refused, held back until their retry."""
    notice: str = ""
    """Last user-facing warning (e.g. plan level not enough)."""
    simulator: bool = False
    """The upstream said it is the built-in simulator (a shared desk's: its leader's)."""

    def text(self) -> str:
        """One line for a status bar."""
        parts = [self.state.value]
        if self.retry_in is not None and self.state is FeedState.BACKING_OFF:
            parts.append(f"retry in {self.retry_in:.0f} s")
        if self.reason:
            parts.append(self.reason)
        if self.rtt_ms is not None:
            parts.append(f"{self.rtt_ms:.0f} ms")
        if self.overflow:
            parts.append(f"{len(self.overflow)} over plan limit")
        if self.rejected:
            parts.append(f"{len(self.rejected)} refused")
        return " · ".join(parts)


@dataclass
class FeedStats:
    """Running counters (read them any time; they are plain numbers)."""

    frames: int = 0
    ticks: int = 0
    books: int = 0
    batches: int = 0
    bad_frames: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    requests: int = 0
    connects: int = 0
    reconnects: int = 0
    gaps: int = 0
    rtt_ms: float | None = None
