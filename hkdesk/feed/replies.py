"""What the feed client does with the server's answers to its subscription requests.

An accepted list confirms its codes and the socket is live. 401 stops the whole feed; 606 and
the other slow-downs end the socket (the client backs off). A code the server refuses (600,
604, 603) is found, held back and tried again later on its own, while the rest of the list
keeps streaming: one timer wakes the shards when the earliest held-back code is due.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hkdesk.feed.alltick import protocol
from hkdesk.feed.alltick.protocol import Cmd, Reply, Ret
from hkdesk.feed.session import Drop, SentRequest
from hkdesk.feed.shard import Shard
from hkdesk.feed.status import FeedState, FeedTimings
from hkdesk.feed.subscriptions import Rejections
from hkdesk.feed.throttle import ThrottledLog

#: Logged under the client's name: these messages are part of the client's story.
log = logging.getLogger("hkdesk.feed.client")

TOKEN_INVALID = "token invalid"
_SLOW_DOWN = {int(Ret.TOO_MANY_REQUESTS_CLOSE), int(Ret.TOO_MANY_REQUESTS), int(Ret.RATE_LIMIT)}
_SYMBOL_REFUSED = {int(Ret.CODE_INVALID), int(Ret.CODE_UNAUTHORIZED), int(Ret.PLAN_LEVEL)}
_REFUSAL_TEXT = {
    int(Ret.CODE_INVALID): "code invalid (not known to the server)",
    int(Ret.CODE_UNAUTHORIZED): "code unauthorized (the token has no rights for it)",
    int(Ret.PLAN_LEVEL): "plan level not enough",
}


@dataclass(frozen=True, slots=True)
class ShardControl:
    """What the reply handler may do to the client that owns the shards."""

    #: Queue the shard's current lists on its socket (unless already sent as they are).
    request: Callable[[Shard], None]
    mark_live: Callable[[Shard], None]
    #: Stop the whole feed, with the reason shown to the user.
    fail: Callable[[str], None]
    #: Report a symbol the server refused: ``(symbol, ret, text)``.
    symbol_error: Callable[[str, int, str], None]
    #: Publish the feed's status again.
    emit: Callable[[], None]
    is_closing: Callable[[], bool]


class ReplyHandler:
    """Acts on replies for the client's shards and schedules the retry of held-back codes.

    The client owns the shards and the rejections (its watch list decides what is wanted);
    the handler reaches back only through the :class:`ShardControl` it is given. ``notice`` is the last
    user-facing warning (plan level not enough), shown in the feed status.
    """

    def __init__(
        self,
        shards: Sequence[Shard],
        rejections: Sequence[Rejections],
        timings: FeedTimings,
        clock: Callable[[], float],
        control: ShardControl,
    ) -> None:
        self._shards = shards
        self._rejections = rejections
        self._clock = clock
        self._control = control
        self._reply_log = ThrottledLog(log, timings.bad_frame_log_interval, clock=clock)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._retry_handle: asyncio.TimerHandle | None = None
        self.notice = ""

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def cancel(self) -> None:
        """Drop a pending retry timer (the client is shutting down)."""
        if self._retry_handle is not None:
            self._retry_handle.cancel()
        self._retry_handle = None

    def on_reply(self, shard: Shard, reply: Reply, sent: SentRequest | None) -> None:
        ret = reply.ret
        is_sub = sent is not None and sent.cmd in (Cmd.SUB_TRADES, Cmd.SUB_DEPTH)
        if ret == Ret.OK:
            if sent is not None and is_sub:
                tracker = shard.trades if sent.cmd == Cmd.SUB_TRADES else shard.depth
                tracker.accepted(sent.codes)
                self._control.mark_live(shard)
                self._control.request(shard)
            return
        message = protocol.redact(reply.msg or "")
        if ret == Ret.TOKEN_INVALID:
            self._control.fail(TOKEN_INVALID)
            return
        if ret in _SLOW_DOWN:
            if shard.session is not None:
                shard.session.end(Drop(f"too many requests ({ret} {message})".strip(), severe=True))
            return
        if ret in _SYMBOL_REFUSED and sent is not None and is_sub:
            self._on_refusal(shard, sent, ret, message)
            return
        self._reply_log.event(
            f"ret {ret}", f"shard {shard.index}: server refused a request ({message or 'no message'})"
        )

    def _on_refusal(self, shard: Shard, sent: SentRequest, ret: int, message: str) -> None:
        tracker = shard.trades if sent.cmd == Cmd.SUB_TRADES else shard.depth
        refusal = tracker.refused(sent.codes, ret, message, self._clock())
        text = _REFUSAL_TEXT.get(ret, f"refused ({ret})")
        if message and message.lower() not in text:
            text = f"{text}: {message}"
        for symbol in refusal.culprits:
            log.warning("shard %d: %s %s", shard.index, symbol, text)
            self._control.symbol_error(symbol, ret, text)
        if ret == Ret.PLAN_LEVEL:
            self.notice = f"{text} ({len(refusal.culprits)} symbols held back)"
        if refusal.retry:
            if sent.cmd == Cmd.SUB_TRADES:
                shard.sent_trades = None
            else:
                shard.sent_depth = None
            self._control.request(shard)
        self._schedule_retry()
        self._control.emit()

    def _schedule_retry(self) -> None:
        if self._loop is None or self._control.is_closing():
            return
        now = self._clock()
        times = [t for t in (r.next_retry(now) for r in self._rejections) if t]
        if self._retry_handle is not None:
            self._retry_handle.cancel()
            self._retry_handle = None
        if times:
            self._retry_handle = self._loop.call_later(min(times) - now + 0.001, self._retry_symbols)

    def _retry_symbols(self) -> None:
        self._retry_handle = None
        for shard in self._shards:
            if shard.session is not None and shard.state in (FeedState.SUBSCRIBING, FeedState.LIVE):
                self._control.request(shard)
        self._schedule_retry()
        self._control.emit()
