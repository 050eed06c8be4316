"""The client's two watch lists, applied: what each socket should carry and what it cannot.

The trade list and the depth list are each spread over the shards by a
:class:`~hkdesk.feed.subscriptions.ShardMap` (the plan's limit applies to each list per socket);
every depth symbol has its own level (1 for a watchlist row's bid and ask, 10 for a ladder).
Codes the server refused are held back in the rejections, and symbols beyond the plan's
capacity are reported once, until they fit again.
Sessions, timers and state stay with the client; this only decides the lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from hkdesk.feed.alltick import protocol
from hkdesk.feed.alltick.protocol import Ret
from hkdesk.feed.plans import Plan
from hkdesk.feed.session import Session
from hkdesk.feed.shard import Shard
from hkdesk.feed.status import FeedTimings
from hkdesk.feed.subscriptions import ListTracker, Rejections, ShardMap

#: ``ret`` used when reporting a symbol we did not send because the plan has no room for it.
OVER_CAPACITY = int(Ret.PLAN_LEVEL)


class WatchLists:
    """The trade and depth watch lists of one client, over its plan's sockets."""

    def __init__(
        self, plan: Plan, timings: FeedTimings, symbol_error: Callable[[str, int, str], None]
    ) -> None:
        self.plan = plan
        self._symbol_error = symbol_error
        self.map = ShardMap(plan.symbols_per_connection, plan.connections)
        self.rejections = Rejections(timings.symbol_retry, timings.symbol_retry_cap)
        self.depth_rejections = Rejections(timings.symbol_retry, timings.symbol_retry_cap)
        self._good: set[str] = set()
        self._good_depth: set[str] = set()
        self.depth_map = ShardMap(plan.symbols_per_connection, plan.connections)
        self.trades: tuple[str, ...] = ()
        #: Depth symbols with their levels, in the order they were asked for.
        self.depth: dict[str, int] = {}
        self._releveled: set[str] = set()
        self._reported_overflow: set[str] = set()

    def trackers(self) -> tuple[ListTracker, ListTracker]:
        """A new socket's trade and depth trackers (codes known good are shared by all)."""
        return ListTracker(self.rejections, self._good), ListTracker(self.depth_rejections, self._good_depth)

    def set_trades(self, symbols: Iterable[str]) -> None:
        self.trades = tuple(dict.fromkeys(s for s in symbols if s))

    def set_depth(self, levels: dict[str, int]) -> None:
        """Replace the depth list: symbol → level (1..10)."""
        for level in levels.values():
            if not 1 <= level <= protocol.MAX_DEPTH_LEVEL:
                raise ValueError(f"depth_level must be 1..{protocol.MAX_DEPTH_LEVEL}, not {level}")
        new = {s: level for s, level in levels.items() if s}
        self._releveled.update(s for s, level in new.items() if self.depth.get(s, level) != level)
        self.depth = new

    def apply(self) -> set[int]:
        """Assign the lists to the shards; returns the indices of the shards whose lists changed."""
        changed = self.map.assign(self.trades) | self.depth_map.assign(self.depth)
        for symbol in self._releveled:  # same codes, another level: that socket's list is sent again
            index = self.depth_map.shard_of(symbol)
            if index is not None:
                changed.add(index)
        self._releveled.clear()
        self.rejections.keep_only(self.trades)
        self.depth_rejections.keep_only(self.depth)
        self._report_overflow()
        return changed

    def _report_overflow(self) -> None:
        plan = self.plan
        overflow = set(self.map.overflow)
        depth_over = [s for s in self.depth_map.overflow if s not in overflow]
        overflow.update(depth_over)
        cap = plan.capacity
        for symbol in [*self.map.overflow, *depth_over]:
            if symbol not in self._reported_overflow:
                self._symbol_error(
                    symbol,
                    OVER_CAPACITY,
                    f"not streamed: the {plan.name} plan allows {cap} symbols "
                    f"({plan.symbols_per_connection} per connection × {plan.connections})",
                )
        self._reported_overflow = overflow

    def depth_codes(self, index: int) -> tuple[str, ...]:
        return self.depth_map.shard(index)

    def has_work(self, index: int) -> bool:
        return bool(self.map.shard(index)) or bool(self.depth_codes(index))

    def held(self, now: float) -> tuple[str, ...]:
        """Codes the server refused, held back until their retry."""
        return self.rejections.held(now) + self.depth_rejections.held(now)

    def send(self, shard: Shard, session: Session, now: float) -> None:
        """Queue the shard's current lists on its socket, unless already sent as they are."""
        trades = shard.trades.build(self.map.shard(shard.index), now)
        if trades != shard.sent_trades and (trades or shard.sent_trades):
            session.request_trades(trades)
        shard.sent_trades = trades
        depth = shard.depth.build(self.depth_codes(shard.index), now)
        sent = (depth, tuple(self.depth[c] for c in depth))
        if sent != shard.sent_depth and (depth or (shard.sent_depth and shard.sent_depth[0])):
            session.request_depth(*sent)
        shard.sent_depth = sent
