"""A started source: where the feed connects, with which token, within which plan."""

from __future__ import annotations

from dataclasses import dataclass

from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import HTTP_LIMITS, Plan


@dataclass(frozen=True)
class Upstream:
    label: str
    #: WebSocket endpoint without the token.
    url: str
    token: str
    plan: Plan
    simulated: bool = False

    def http(self) -> QuoteHttp:
        """The HTTP client for this upstream, within its plan's HTTP limits. The built-in
        simulator runs on the widest plan unless told otherwise, so a simulated upstream whose
        plan AllTick does not name (the tests' fast ones) gets that plan's limits."""
        if self.simulated and self.plan.name not in HTTP_LIMITS:
            return QuoteHttp(self.url, self.token, limits=HTTP_LIMITS["professional"])
        return QuoteHttp.for_plan(self.url, self.token, self.plan)
