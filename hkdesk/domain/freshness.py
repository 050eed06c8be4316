"""Where a figure on screen came from and whether it is still moving: live, snapshot, stored or stale.

An advisor reads prices to clients, so every quote says what it is:

- ``live``: its trades are streaming now (the socket is up and the symbol is subscribed), and
  the figures are from this trading day;
- ``snapshot``: fetched once over HTTP (a symbol beyond the plan's streaming capacity), with the
  time it was fetched;
- ``stored``: read from the database, from an earlier run or an earlier trading day;
- ``stale``: it was streaming, and its stream stopped (the link dropped or went silent, the
  symbol left the subscription). The figures are the last ones received.

The quote hub keeps the facts (origin, streaming, when the stream stopped and why) and answers
:meth:`~hkdesk.domain.quotes.QuoteHub.freshness`; the UI turns the answer into a badge, dimmed
figures and a tooltip in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Origin(IntEnum):
    """Where a quote's last trade came from."""

    LIVE = 0
    SNAPSHOT = 1
    STORED = 2


class Freshness(StrEnum):
    LIVE = "live"
    SNAPSHOT = "snapshot"
    STORED = "stored"
    STALE = "stale"


@dataclass(frozen=True, slots=True)
class FreshnessInfo:
    state: Freshness
    #: Our wall clock (epoch s) of the figures: received, fetched or stored; for ``stale``, when
    #: the stream stopped. 0 when there are no figures yet.
    since: float
    #: Why the figures are not live (empty when they are).
    note: str = ""

    def age(self, now: float) -> float | None:
        return max(0.0, now - self.since) if self.since else None
