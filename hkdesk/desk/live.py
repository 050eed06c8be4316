"""A desktop's side of the live path (:mod:`hkdesk.desk.chain`): the live messages' runs that
continue their symbol's chain (:mod:`hkdesk.desk.trade_chains`) are handed on at once; the
others are left to the stream, which the desktop then follows (:mod:`hkdesk.desk.live_sync`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

import msgspec
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

from hkdesk.desk.codec import decode_live, decode_ticks
from hkdesk.desk.connection import DeskClient
from hkdesk.desk.live_sync import LiveSync
from hkdesk.desk.subjects import decode_token
from hkdesk.desk.trade_chains import TradeChains
from hkdesk.domain.types import Tick
from hkdesk.feed.throttle import ThrottledLog

log = logging.getLogger(__name__)

_BAD = (msgspec.DecodeError, msgspec.ValidationError, ValueError)


class LiveFollower:
    """Subscribes to the desk's live subject and hands on the runs that continue a chain.

    ``watched()`` gives the tokens handed on now; ``deliver(ticks)`` gets a message's trades as
    soon as it is read (not after the rest of the socket read: the stream's copies of earlier
    trades often follow it there).
    """

    def __init__(
        self,
        subject: str,
        chains: TradeChains,
        watched: Callable[[], frozenset[str]],
        deliver: Callable[[list[Tick]], None],
        sync: LiveSync,
    ) -> None:
        self.subject = subject
        self._chains = chains
        self.sync = sync
        self._watched = watched
        self._deliver = deliver
        self._sub: Subscription | None = None
        self.taken = 0  # trades handed on from the live path
        self.left = 0  # live runs left to the stream (not the next of their chain, or too far ahead)
        self.bad = 0  # live messages or runs that did not decode
        self._symbols: dict[str, str] = {}  # token -> symbol, of the watched tokens seen
        self._bad_log = ThrottledLog(log, 10.0)

    async def start(self, nc: Client) -> None:
        if isinstance(nc, DeskClient):
            self._sub = await nc.subscribe_direct(self.subject, lambda _s, _r, data, _h: self.take(data))
        else:

            async def on_msg(msg: Msg) -> None:
                self.take(msg.data)

            self._sub = await nc.subscribe(self.subject, cb=on_msg)

    async def close(self) -> None:
        sub, self._sub = self._sub, None
        if sub is not None:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    def take(self, data: bytes) -> None:
        try:
            batch = decode_live(data)
        except _BAD as exc:
            self._refused(exc)
            return
        chains, watched, epoch, symbols = self._chains, self._watched(), batch.e, self._symbols
        self.sync.heard(epoch, batch.c, batch.s, batch.k, bool(batch.runs or batch.o))
        taken: list[Tick] = []
        for run in batch.runs:
            if run.token not in watched:
                continue
            if not chains.live_fits(run.token, epoch, run.first):
                self.left += 1
                self._left_to_stream(run.token, epoch, run.last)
                continue
            try:
                ticks = decode_ticks(run.trades)
                symbol = symbols.get(run.token) or symbols.setdefault(run.token, decode_token(run.token))
            except _BAD as exc:  # a SubjectError is a ValueError
                self._refused(exc)
                self._left_to_stream(run.token, epoch, run.last)
                continue
            if not ticks:
                self._left_to_stream(run.token, epoch, run.last)
                continue
            if ticks[-1].symbol != symbol or (len(ticks) > 1 and any(t.symbol != symbol for t in ticks)):
                self._refused(ValueError(f"a run of {symbol} holds another symbol's trades"))
                self._left_to_stream(run.token, epoch, run.last)
                continue
            chains.took_live(run.token, epoch, run.first, len(ticks))
            taken.extend(ticks)
        for token, last in batch.o:
            if token in watched:
                self._left_to_stream(token, epoch, last)
        if taken:
            self.taken += len(taken)
            self._deliver(taken)

    def _left_to_stream(self, token: str, epoch: str, last: int) -> None:
        """Records up to ``last`` of a watched symbol that only the stream will hand on."""
        self._chains.told(token, epoch, last, self.sync.count)
        self.sync.trouble()

    def _refused(self, exc: Exception) -> None:
        """A live message that does not read: left to the stream, and said in the log."""
        self.bad += 1
        self._bad_log.event(
            "bad", "desk live path: a message that could not be read, left to the stream", str(exc)
        )
