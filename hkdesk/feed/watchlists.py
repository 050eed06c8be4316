"""The client's two watch lists, applied: what each socket should carry and what it cannot.

The trade list is spread over the shards by :class:`~hkdesk.feed.subscriptions.ShardMap`;
the depth list rides on the first socket. Codes the server refused are held back in the
rejections, and symbols beyond the plan's capacity are reported once, until they fit again.
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
        self.trades: tuple[str, ...] = ()
        self.depth: tuple[str, ...] = ()
        self.depth_level = protocol.MAX_DEPTH_LEVEL
        self._depth_dirty = False
        self._reported_overflow: set[str] = set()

    def trackers(self) -> tuple[ListTracker, ListTracker]:
        """A new socket's trade and depth trackers (codes known good are shared by all)."""
        return ListTracker(self.rejections, self._good), ListTracker(self.depth_rejections, self._good_depth)

    def set_trades(self, symbols: Iterable[str]) -> None:
        self.trades = tuple(dict.fromkeys(s for s in symbols if s))

    def set_depth(self, symbols: Iterable[str], depth_level: int) -> bool:
        """Replace the depth list; True if the depth level changed (the list must be re-sent)."""
        if not 1 <= depth_level <= protocol.MAX_DEPTH_LEVEL:
            raise ValueError(f"depth_level must be 1..{protocol.MAX_DEPTH_LEVEL}, not {depth_level}")
        self.depth = tuple(dict.fromkeys(s for s in symbols if s))
        self._depth_dirty = True
        if depth_level == self.depth_level:
            return False
        self.depth_level = depth_level
        return True

    def apply(self) -> set[int]:
        """Assign the lists to the shards; returns the indices of the shards whose lists changed."""
        changed = self.map.assign(self.trades)
        self.rejections.keep_only(self.trades)
        self.depth_rejections.keep_only(self.depth)
        self._report_overflow()
        if self._depth_dirty:
            self._depth_dirty = False
            changed.add(0)
        return changed

    def _report_overflow(self) -> None:
        plan = self.plan
        overflow = set(self.map.overflow)
        depth_over = self.depth[plan.symbols_per_connection :]
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
        if index != 0:
            return ()
        return self.depth[: self.plan.symbols_per_connection]

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
        if depth != shard.sent_depth and (depth or shard.sent_depth):
            session.request_depth(depth, self.depth_level)
        shard.sent_depth = depth
