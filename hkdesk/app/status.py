"""What the status bar shows, as plain data built by the app a few times a second."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from hkdesk.domain.sessions import Phase
from hkdesk.feed.status import FeedState, FeedStatus

SESSION_TEXT = {
    Phase.PRE_OPEN: "Pre-open",
    Phase.MORNING: "Morning session",
    Phase.LUNCH: "Lunch break",
    Phase.AFTERNOON: "Afternoon session",
    Phase.CLOSING_AUCTION: "Closing auction",
    Phase.CLOSED: "Market closed",
}


class LinkLevel(StrEnum):
    OK = "ok"
    WARN = "warn"
    BAD = "bad"


@dataclass(frozen=True, slots=True)
class StatusSnapshot:
    link_text: str
    link_level: LinkLevel
    source: str = ""
    rtt_ms: float | None = None
    ticks_per_s: float = 0.0
    writer_queue: int = 0
    rows_stored: int = 0
    writer_ok: bool = True
    session_text: str = ""
    clock_text: str = ""
    gap_text: str = ""


def link_text(status: FeedStatus) -> tuple[str, LinkLevel]:
    """The status bar's words and colour for the feed's state (seconds left while backing off)."""
    st = status.state
    if st is FeedState.LIVE:
        return "Live", LinkLevel.OK
    if st is FeedState.BACKING_OFF:
        left = status.retry_in
        if status.retry_at is not None:
            left = max(0.0, status.retry_at - time.monotonic())
        secs = f" {left:.0f} s" if left is not None else ""
        why = f" ({status.reason})" if status.reason else ""
        return f"Backing off{secs}{why}", LinkLevel.WARN
    if st is FeedState.FAILED:
        return f"Failed: {status.reason or 'unknown'}", LinkLevel.BAD
    if st in (FeedState.CONNECTING, FeedState.SUBSCRIBING):
        return st.value.capitalize(), LinkLevel.WARN
    if st is FeedState.IDLE:
        return "Idle (no symbols)", LinkLevel.WARN
    return "Closed", LinkLevel.BAD
