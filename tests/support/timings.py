"""Protocol timings scaled down to milliseconds, so reconnects, heartbeats and retries take a
fraction of a second; one preset per kind of test. The defaults (the documented values) stay in
:class:`hkdesk.feed.status.FeedTimings`."""

from __future__ import annotations

from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedTimings

#: Feed client against the scripted server: fast retries of refused symbols too.
FEED = FeedTimings(
    heartbeat_interval=0.1,
    request_spacing=0.03,
    shard_spacing=0.05,
    backoff_cap=0.4,
    backoff_reset_after=1.0,
    debounce=0.02,
    open_timeout=1.0,
    close_timeout=0.1,
    symbol_retry=0.3,
    symbol_retry_cap=1.0,
    bad_frame_log_interval=10.0,
)
#: Three symbols per socket, two sockets: sharding shows with a handful of symbols.
FEED_PLAN = Plan("test", symbols_per_connection=3, connections=2, reconnect_spacing=0.05)

#: The fault matrix: backoff starts at the plan's 50 ms and stops at 300 ms.
RELIABILITY = FeedTimings(
    heartbeat_interval=0.1,
    request_spacing=0.04,
    shard_spacing=0.05,
    backoff_cap=0.3,
    backoff_reset_after=30.0,
    debounce=0.01,
    open_timeout=2.0,
    close_timeout=0.1,
    symbol_retry=30.0,
    symbol_retry_cap=60.0,
    bad_frame_log_interval=30.0,
)
RELIABILITY_PLAN = Plan("reliability", symbols_per_connection=20, connections=1, reconnect_spacing=0.05)

#: The whole window (tests and the window benchmark): subscribing and closing take milliseconds.
WINDOW = FeedTimings(
    heartbeat_interval=0.5,
    request_spacing=0.05,
    shard_spacing=0.05,
    backoff_cap=0.4,
    debounce=0.05,
    open_timeout=5.0,
    close_timeout=0.5,
)
WINDOW_PLAN = Plan("test", symbols_per_connection=3000, connections=2, reconnect_spacing=0.3)
