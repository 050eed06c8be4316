"""A started source: where the feed connects, with which token, within which plan."""

from __future__ import annotations

from dataclasses import dataclass

from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import Plan


@dataclass(frozen=True)
class Upstream:
    label: str
    #: WebSocket endpoint without the token.
    url: str
    token: str
    plan: Plan
    simulated: bool = False

    def http(self) -> QuoteHttp:
        """The HTTP snapshot client for this upstream (previous close, latest trade). AllTick's
        per-plan rate limits apply to a real feed; our own simulator, started on the widest plan, takes
        20 calls a second."""
        if self.simulated:
            return QuoteHttp(self.url, self.token, min_interval=0.05, codes_per_request=200)
        return QuoteHttp.for_plan(self.url, self.token, self.plan)
