"""Market data feed: the AllTick WebSocket client (shards, heartbeats, reconnects) and HTTP snapshots."""

from hkdesk.domain.types import Gap
from hkdesk.feed.client import FeedClient
from hkdesk.feed.http import HttpError, QuoteHttp
from hkdesk.feed.plans import BASIC, FREE, PLANS, PREMIUM, PROFESSIONAL, Plan
from hkdesk.feed.status import FeedState, FeedStats, FeedStatus, FeedTimings, ShardStatus

__all__ = [
    "BASIC",
    "FREE",
    "PLANS",
    "PREMIUM",
    "PROFESSIONAL",
    "FeedClient",
    "FeedState",
    "FeedStats",
    "FeedStatus",
    "FeedTimings",
    "Gap",
    "HttpError",
    "Plan",
    "QuoteHttp",
    "ShardStatus",
]
