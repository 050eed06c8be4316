"""What the status bar shows, as plain data built by the app a few times a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hkdesk.domain.quotes import hk_datetime
from hkdesk.domain.sessions import Phase, hk_now
from hkdesk.feed.status import FeedState, FeedStatus
from hkdesk.i18n import QT_TRANSLATE_NOOP

# English here (logs, tests); the status bar translates them in the "Status" context.
SESSION_TEXT = {
    Phase.PRE_OPEN: QT_TRANSLATE_NOOP("Status", "Pre-open"),
    Phase.MORNING: QT_TRANSLATE_NOOP("Status", "Morning session"),
    Phase.LUNCH: QT_TRANSLATE_NOOP("Status", "Lunch break"),
    Phase.AFTERNOON: QT_TRANSLATE_NOOP("Status", "Afternoon session"),
    Phase.CLOSING_AUCTION: QT_TRANSLATE_NOOP("Status", "Closing auction"),
    Phase.CLOSED: QT_TRANSLATE_NOOP("Status", "Market closed"),
}
#: Link texts with details after them start with one of these words.
BACKING_OFF = QT_TRANSLATE_NOOP("Status", "Backing off")
FAILED = QT_TRANSLATE_NOOP("Status", "Failed:")
#: The clock's word for the simulator's own time, and the gap marker's word (details follow both).
SIM_CLOCK = QT_TRANSLATE_NOOP("Status", "SIM")
GAP_WORD = QT_TRANSLATE_NOOP("Status", "gap?")
_STATE_TEXT = {
    FeedState.LIVE: QT_TRANSLATE_NOOP("Status", "Live"),
    FeedState.CONNECTING: QT_TRANSLATE_NOOP("Status", "Connecting"),
    FeedState.SUBSCRIBING: QT_TRANSLATE_NOOP("Status", "Subscribing"),
    FeedState.IDLE: QT_TRANSLATE_NOOP("Status", "Idle (no symbols)"),
    FeedState.CLOSED: QT_TRANSLATE_NOOP("Status", "Closed"),
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
    #: Why the database is not storing (the error, in words), for the status bar's tooltip.
    writer_detail: str = ""
    session_text: str = ""
    clock_text: str = ""
    gap_text: str = ""


def link_text(status: FeedStatus) -> tuple[str, LinkLevel]:
    """The status bar's words and colour for the feed's state (seconds left while backing off)."""
    st = status.state
    if st is FeedState.LIVE:
        return _STATE_TEXT[st], LinkLevel.OK
    if st is FeedState.BACKING_OFF:
        left = status.retry_in
        if status.retry_at is not None:
            left = max(0.0, status.retry_at - time.monotonic())
        secs = f" {left:.0f} s" if left is not None else ""
        why = f" ({status.reason})" if status.reason else ""
        return f"{BACKING_OFF}{secs}{why}", LinkLevel.WARN
    if st is FeedState.FAILED:
        return f"{FAILED} {status.reason or 'unknown'}", LinkLevel.BAD
    if st in (FeedState.CONNECTING, FeedState.SUBSCRIBING, FeedState.IDLE):
        return _STATE_TEXT[st], LinkLevel.WARN
    return _STATE_TEXT[FeedState.CLOSED], LinkLevel.BAD


class TickRate:
    """Ticks per second over the last second or more, from a running total."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._mark = (clock(), 0)
        self.rate = 0.0

    def update(self, total: int) -> float:
        now = self._clock()
        t0, n0 = self._mark
        if now - t0 >= 1.0 or total < n0:
            self.rate = max(0, total - n0) / max(now - t0, 1e-9)
            self._mark = (now, total)
        return self.rate


#: A source reached by URL that said it is the built-in simulator (a shared desk's upstream).
SIMULATED_SOURCE = QT_TRANSLATE_NOOP("Status", "{source}, simulated")


def source_line(label: str, said_simulator: bool, problem: str) -> str:
    """The status bar's source: its label, ``, simulated`` when a source reached by URL said it
    is the simulator, and a problem after `` · ``."""
    text = SIMULATED_SOURCE.format(source=label) if said_simulator else label
    return text + (f" · {problem}" if problem else "")


def clock_text(simulated: bool, exchange_ts: int) -> tuple[str, datetime]:
    """The status bar's clock and the Hong Kong time whose session it names: the simulator
    keeps its own demo clock, so with it the session of its data is shown."""
    hk = hk_now()
    if simulated and exchange_ts:
        sim = hk_datetime(exchange_ts).replace(tzinfo=hk.tzinfo)
        return f"{SIM_CLOCK} {sim:%H:%M:%S} · HKT {hk:%H:%M}", sim
    return f"HKT {hk:%H:%M:%S}", hk


#: Why a symbol is a snapshot, not streaming.
BEYOND_PLAN = QT_TRANSLATE_NOOP("Freshness", "beyond the plan's streaming capacity")


def why_not_streaming(status: FeedStatus) -> Callable[[str], str]:
    """Why a symbol's stream does not flow, in the feed's present state (English, translated
    where shown in the "Freshness" context)."""
    over, refused = set(status.overflow), set(status.rejected)
    down = status.reason or status.state.value

    def why_not(symbol: str) -> str:
        if symbol in over:
            return BEYOND_PLAN
        if symbol in refused:
            return QT_TRANSLATE_NOOP("Freshness", "refused by the server")
        if status.state is FeedState.LIVE:
            return QT_TRANSLATE_NOOP("Freshness", "not subscribed")
        return down

    return why_not
