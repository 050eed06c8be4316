"""The feed's status snapshot, built from its shards' states (no I/O, no clock of its own).

The feed's state is the worst state among its active sockets, unless the client overrides it
(FAILED, CLOSED). Users are told only when something they can see changed: :func:`status_key`
leaves out the countdowns, which change on every call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from hkdesk.feed.shard import Shard
from hkdesk.feed.status import FeedState, FeedStats, FeedStatus, ShardStatus, worst
from hkdesk.feed.watchlists import WatchLists


def shard_status(shard: Shard, now: float, symbols: int, depth_symbols: int) -> ShardStatus:
    retry_at = shard.retry_at
    return ShardStatus(
        index=shard.index,
        state=shard.state,
        symbols=symbols,
        depth_symbols=depth_symbols,
        reason=shard.reason,
        retry_at=retry_at,
        retry_in=max(0.0, retry_at - now) if retry_at is not None else None,
        rtt_ms=shard.session.rtt_ms if shard.session is not None else None,
        reconnects=shard.reconnects,
    )


def feed_status(
    shards: Iterable[ShardStatus],
    now: float,
    *,
    override: FeedState | None,
    override_reason: str,
    rtt_ms: float | None,
    reconnects: int,
    overflow: tuple[str, ...],
    rejected: tuple[str, ...],
    notice: str,
    simulator: bool = False,
) -> FeedStatus:
    shards = tuple(shards)
    if override is not None:
        state = override
        reason = override_reason
    else:
        active = [s for s in shards if s.state is not FeedState.IDLE]
        state = worst([s.state for s in active]) if active else FeedState.IDLE
        reason = next((s.reason for s in active if s.state is state and s.reason), "")
    retry = [s.retry_at for s in shards if s.retry_at is not None]
    retry_at = min(retry) if retry and state is FeedState.BACKING_OFF else None
    return FeedStatus(
        state=state,
        reason=reason,
        retry_in=max(0.0, retry_at - now) if retry_at is not None else None,
        retry_at=retry_at,
        shards=shards,
        rtt_ms=rtt_ms,
        reconnects=reconnects,
        overflow=overflow,
        rejected=rejected,
        notice=notice,
        simulator=simulator,
    )


def status_key(status: FeedStatus) -> tuple[object, ...]:
    """What must differ from the last reported snapshot for a new one to be reported."""
    return (
        status.state,
        status.simulator,
        status.reason,
        status.retry_at,
        tuple((s.state, s.symbols, s.depth_symbols, s.reason, s.reconnects) for s in status.shards),
        status.rtt_ms,
        status.overflow,
        status.rejected,
        status.notice,
    )


def streaming_symbols(shards: Iterable[Shard]) -> tuple[set[str], set[str]]:
    """Trades and books that flow now: the lists accepted on the sockets that are live."""
    trades: set[str] = set()
    books: set[str] = set()
    for shard in shards:
        if shard.state is FeedState.LIVE:
            trades.update(shard.trades.accepted_list or ())
            books.update(shard.depth.accepted_list or ())
    return trades, books


class StatusReporter:
    """Builds the feed's status from its shards and reports it when something visible changed.

    ``override`` (FAILED, CLOSED) and its ``reason`` win over the shards' states.
    """

    def __init__(self, report: Callable[[FeedStatus], None] | None) -> None:
        self._report = report
        self.status = FeedStatus(FeedState.CLOSED, reason="not started")
        self.override: FeedState | None = None
        self.reason = ""
        #: A connection's server said it is the built-in simulator.
        self.simulator = False
        self._last_key: tuple[object, ...] | None = None

    def emit(
        self, shards: Sequence[Shard], lists: WatchLists, stats: FeedStats, notice: str, now: float
    ) -> None:
        status = feed_status(
            (
                shard_status(s, now, len(lists.map.shard(s.index)), len(lists.depth_codes(s.index)))
                for s in shards
                if s.state is not FeedState.IDLE or s.index == 0
            ),
            now,
            override=self.override,
            override_reason=self.reason,
            rtt_ms=stats.rtt_ms,
            reconnects=stats.reconnects,
            overflow=lists.map.overflow,
            rejected=lists.held(now),
            notice=notice,
            simulator=self.simulator,
        )
        self.status = status
        key = status_key(status)
        if key != self._last_key:
            self._last_key = key
            if self._report is not None:
                self._report(status)
