"""Where a symbol's day on the chart may be missing trades, so the chart can say so.

Two kinds of hole:

- the morning before the first point we hold, while the provider's minutes of the day have not
  been stored (being fetched, or not to be had: no provider, or it refused); once they are, a
  first point after the open is the stock's own first trade and there is no hole;
- a gap the feed reported (a reconnect, a crash) whose minutes were not filled yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hkdesk.domain.sessions import HK_TZ, OPEN
from hkdesk.domain.types import Gap

#: A first point within this long of the open is the open.
OPEN_SLACK_MS = 60_000


class DayFill(StrEnum):
    """How far the provider's minutes of a symbol's day are stored."""

    FILLED = "filled"
    PENDING = "pending"  # asked for, or waiting their turn
    FAILED = "failed"  # the provider refused, or answered nothing usable
    NONE = "none"  # no provider to ask (a shared desk's desktop)


class HoleKind(StrEnum):
    FETCHING = "fetching"
    NO_DATA = "no_data"
    GAP = "gap"


@dataclass(frozen=True)
class Hole:
    start_ts: int
    end_ts: int
    kind: HoleKind


def open_of(ts_ms: int) -> int:
    """The 09:30 open (epoch ms) of the Hong Kong day holding ``ts_ms``."""
    day = datetime.fromtimestamp(ts_ms / 1000, HK_TZ).date()
    return int(datetime.combine(day, OPEN, HK_TZ).timestamp() * 1000)


def day_holes(first_ts: int | None, fill: DayFill, unfilled: Iterable[Gap]) -> list[Hole]:
    """The holes of a day whose first point is at ``first_ts`` (None: no point yet), oldest first."""
    holes: list[Hole] = []
    if first_ts is not None and fill is not DayFill.FILLED:
        opened = open_of(first_ts)
        if first_ts - opened > OPEN_SLACK_MS:
            kind = HoleKind.FETCHING if fill is DayFill.PENDING else HoleKind.NO_DATA
            holes.append(Hole(opened, first_ts, kind))
    holes.extend(Hole(g.start_ts, g.end_ts, HoleKind.GAP) for g in unfilled if not g.filled_at)
    holes.sort(key=lambda h: h.start_ts)
    return holes
