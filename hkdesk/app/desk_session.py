"""A shared desk's session record, applied to the quote hub."""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal

from hkdesk.app.snapshots import FETCHED_ONCE
from hkdesk.domain.freshness import Origin
from hkdesk.domain.quotes import QuoteHub, day_number
from hkdesk.domain.types import SessionSoFar

log = logging.getLogger(__name__)


def apply_desk_session(hub: QuoteHub, s: SessionSoFar, set_close: Callable[[str, Decimal], None]) -> None:
    """The previous close (``set_close``; not for a quote already in a later session), the day
    so far that the desk's stream began after, and a quiet symbol's latest trade as the desk
    fetched it (shown, as a direct connection shows it, as fetched once, when it was)."""
    q, day = hub.quotes.get(s.symbol), day_number(s.day)
    if q is None or q.last is None or q.day <= day:
        set_close(s.symbol, s.previous_close)
    if s.from_open:
        hub.set_whole_day(s.symbol, day)
    if s.bar is not None and not hub.apply_session_base(s.symbol, s.bar, s.counted_from):
        log.warning("%s: the desk's day so far came too late to join the trades counted", s.symbol)
    latest = s.latest
    if latest is not None and ((q := hub.quotes.get(s.symbol)) is None or q.last is None):
        hub.apply_ticks([latest], Origin.SNAPSHOT)
        hub.mark(s.symbol, Origin.SNAPSHOT, FETCHED_ONCE, latest.received_at)
