"""Which of the provider's minute bars to store, which gaps they fill, and what the app missed.

Pure functions over one symbol's K-line answer: no I/O, so the rules are tested on their own.
Minutes are 1-minute bar starts in epoch ms; a gap covers the minutes from the one holding its
last trade before the drop to the one holding its first trade after (the edge minutes hold some
of our trades; those between hold none).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from datetime import time as dtime

from hkdesk.domain.bars import DAY, MINUTE, bar_start
from hkdesk.domain.sessions import HK_TZ, Phase, phase_at
from hkdesk.domain.types import Bar, Gap
from hkdesk.feed.http import MAX_KLINES, Klines
from hkdesk.feed.plans import HttpLimits

MINUTE_MS = MINUTE * 1000
#: A trading day, for spreading a plan's daily calls over it.
TRADING_DAY_S = 6.5 * 3600
#: After a session ends, current bars are asked for this long (its last minute settles).
SETTLING_MS = 2 * MINUTE_MS
_TRADING = (Phase.PRE_OPEN, Phase.MORNING, Phase.AFTERNOON, Phase.CLOSING_AUCTION)


def hk_date(ts_ms: int) -> date:
    return datetime.fromtimestamp(ts_ms / 1000, HK_TZ).date()


def day_start_ms(day: date) -> int:
    return int(datetime.combine(day, dtime(0), HK_TZ).timestamp() * 1000)


def day_of(klines: Klines, now_ms: int | None) -> date | None:
    """The trading day a fill is for: the newest bar's, or today's by the exchange clock when
    that is later (a code that has not traded today has nothing to fill for it)."""
    if not klines.bars:
        return None
    newest = hk_date(klines.bars[-1].start)
    return max(newest, hk_date(now_ms)) if now_ms else newest


def gap_minutes(gap: Gap) -> tuple[int, int]:
    """The first and the last minute a gap touches."""
    return bar_start(gap.start_ts, MINUTE), bar_start(gap.end_ts, MINUTE)


def covers(klines: Klines, gap: Gap) -> bool:
    """The answer reaches back to the gap's first minute (or holds all the provider has)."""
    first, _ = gap_minutes(gap)
    return bool(klines.bars) and (len(klines.bars) < MAX_KLINES or klines.bars[0].start <= first)


def bars_to_store(klines: Klines, day: date, gaps: Sequence[Gap]) -> list[Bar]:
    """The complete bars of ``day`` and those inside ``gaps`` (which may reach into the day
    before), oldest first."""
    start = day_start_ms(day)
    spans = [gap_minutes(g) for g in gaps]
    return [
        bar
        for bar in klines.complete
        if start <= bar.start < start + DAY * 1000 or any(a <= bar.start <= b for a, b in spans)
    ]


def missed_spans(
    stored: Iterable[int], provided: Sequence[Bar], gaps: Sequence[Gap], live_since: int | None
) -> list[tuple[int, int]]:
    """Spans ``[start, end)`` of minutes the provider has bars for and the database had none,
    after its first stored minute of the day: time the app was closed (or crashed).

    A span with a stored minute after it is certain. One at the end may hold minutes whose trades
    this run's stream received and has not committed yet: it is cut at the minute of the
    stream's first trade (``live_since``; None: no trade yet, nothing on its way). Spans that
    touch a known gap are filled as that gap, not reported again."""
    have = set(stored)
    if not have:
        return []
    first = min(have)
    spans: list[tuple[int, int]] = []
    run: list[int] = []
    for bar in provided:
        if bar.start <= first:
            continue
        if bar.start not in have:
            run.append(bar.start)
            continue
        if run:
            spans.append((run[0], run[-1] + MINUTE_MS))
            run = []
    if run:
        end = run[-1] + MINUTE_MS
        if live_since:
            end = min(end, bar_start(live_since, MINUTE))
        if run[0] < end:
            spans.append((run[0], end))
    known = [gap_minutes(g) for g in gaps]
    return [(a, b) for a, b in spans if not any(x <= b and a <= y for x, y in known)]


def current_every(limits: HttpLimits) -> float:
    """Seconds between two ``/batch-kline`` calls that keep current bars: the plan's interval,
    or longer where its daily cap would not last a trading day at half of it."""
    if limits.daily_calls is None:
        return limits.batch_interval
    return max(limits.batch_interval, TRADING_DAY_S / (limits.daily_calls / 2))


def trading_around(now_ms: int) -> bool:
    """The market trades now or did a moment ago (the minute that ended a session settles)."""
    now = datetime.fromtimestamp(now_ms / 1000, HK_TZ)
    return phase_at(now) in _TRADING or phase_at(now - timedelta(milliseconds=SETTLING_MS)) in _TRADING
