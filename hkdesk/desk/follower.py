"""StreamFollower: one subject filter of a stream, in order, each message exactly once.

A push consumer created by the follower itself (ephemeral, in memory, no acknowledgements,
flow control and idle heartbeats), not a durable one: a desktop leaves nothing behind on the
server. The follower remembers the stream sequence of the last message it handed on; after
anything that may have broken the chain (a missing consumer sequence, a heartbeat saying the
server sent more than arrived, silence for ``2 x heartbeat``, a NATS reconnect) it drops the
consumer and creates a new one at the next stream sequence. Messages at or below the last
sequence are skipped, so an overlap between the old and the new consumer delivers nothing
twice. The server removes an abandoned consumer by itself once nobody listens. A follower can
also be parked (its consumer dropped, its place kept) and resumed from that place or a later
one (:mod:`hkdesk.desk.live_sync`).

Messages are handed on in batches: everything that arrived in one pass of the event loop. On the
desk's own client (:class:`~hkdesk.desk.connection.DeskClient`) they are taken straight from its
read loop, with no message object, queue or task per message of nats-py's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from hkdesk.desk.chain import parse_chain
from hkdesk.desk.connection import CHAIN_HEADER, CHAIN_LINE, DeskClient
from hkdesk.feed.task_stop import stop_task

log = logging.getLogger(__name__)

_LAST_CONSUMER = "Nats-Last-Consumer"
_STALLED = "Nats-Consumer-Stalled"
#: A header block with a status (heartbeat, flow control): ``NATS/1.0 100 Idle Heartbeat``.
_STATUS_LINE = b"NATS/1.0 "


class StreamMsg:
    """One stream message as a follower hands it on: its subject, payload and headers, and the
    reply subject that holds its place in the stream (:func:`ack_info`)."""

    __slots__ = ("_headers", "_raw", "data", "reply", "subject")

    def __init__(self, subject: str, reply: str, data: bytes, raw_headers: bytes = b"") -> None:
        self.subject = subject
        self.reply = reply
        self.data = data
        self._raw = raw_headers
        self._headers: dict[str, str] | None = None

    @classmethod
    def of(cls, msg: Msg) -> StreamMsg:
        out = cls(msg.subject, msg.reply, msg.data)
        out._headers = msg.headers
        return out

    @property
    def headers(self) -> dict[str, str] | None:
        """The headers by name (read when first asked for); None when there are none."""
        if self._headers is None and self._raw:
            self._headers = DeskClient._parse_header_lines(self._raw) or None
        return self._headers

    @property
    def chain(self) -> tuple[str, int] | None:
        """The record's place in its symbol's chain (:mod:`hkdesk.desk.chain`), if it has one."""
        if self._raw:
            return raw_chain(self._raw)
        headers = self._headers
        return parse_chain(headers.get(CHAIN_HEADER)) if headers else None


def raw_chain(raw_headers: bytes) -> tuple[str, int] | None:
    """The ``Hkdesk-Chain`` of a raw header block, if it has one."""
    at = raw_headers.find(CHAIN_LINE)
    if at < 0:
        return None
    start = at + len(CHAIN_LINE)
    return parse_chain(raw_headers[start : raw_headers.find(b"\r\n", start)])


@dataclass(frozen=True)
class StartAt:
    """Where a new follower begins: a time, a stream sequence, the last per subject, new
    messages only, or (by default) the first message the stream holds."""

    time: datetime | None = None
    sequence: int | None = None
    last_per_subject: bool = False
    new_only: bool = False

    def apply(self, config: ConsumerConfig) -> None:
        if self.sequence is not None:
            config.deliver_policy, config.opt_start_seq = DeliverPolicy.BY_START_SEQUENCE, self.sequence
        elif self.time is not None:
            config.deliver_policy = DeliverPolicy.BY_START_TIME
            config.opt_start_time = self.time.isoformat()  # type: ignore[assignment]
        elif self.last_per_subject:
            config.deliver_policy = DeliverPolicy.LAST_PER_SUBJECT
        elif self.new_only:
            config.deliver_policy = DeliverPolicy.NEW
        else:
            config.deliver_policy = DeliverPolicy.ALL


def ack_info(reply: str) -> tuple[int, int, int, int]:
    """(stream sequence, consumer sequence, stored at in epoch ns, pending) from a JetStream
    message's reply subject."""
    tokens = reply.split(".")
    if len(tokens) == 9:  # $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>
        return int(tokens[5]), int(tokens[6]), int(tokens[7]), int(tokens[8])
    # $JS.ACK.<domain>.<account>.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>[.<token>]
    return int(tokens[7]), int(tokens[8]), int(tokens[9]), int(tokens[10])


class StreamFollower:
    """Follows ``filter_subject`` of ``stream``; see the module docstring.

    ``on_msgs(messages)`` gets each batch in stream order. ``last_seq`` is the stream sequence
    of the last message handed on (0: none yet). ``caught_up`` is set when the consumer had
    nothing more pending at some point (the history is read).
    """

    def __init__(
        self,
        nc: Client,
        stream: str,
        filter_subject: str,
        on_msgs: Callable[[list[StreamMsg]], None],
        *,
        start: StartAt = StartAt(),
        heartbeat: float = 1.0,
        retry_wait: float = 0.5,
        on_state: Callable[[bool, str], None] | None = None,
        skip: Callable[[bytes, bytes], bool] | None = None,
    ) -> None:
        """``skip(subject, raw headers)``: True drops a message as it is read, before a
        StreamMsg is made of it (on the desk's own client; its place in the stream still counts)."""
        self._nc = nc
        self._skip = skip
        self.stream = stream
        self.filter_subject = filter_subject
        self._on_msgs = on_msgs
        self._start = start
        self.heartbeat = heartbeat
        self.retry_wait = retry_wait
        self._on_state = on_state
        self.last_seq = 0
        #: messages the stream held beyond the last one read (-1: not known yet)
        self.pending = -1
        self.caught_up = asyncio.Event()
        self.parked = False
        self._unparked = asyncio.Event()
        self._dseq = 0
        self._sub: Subscription | None = None
        self._generation = 0
        self._batch: list[StreamMsg] = []
        self._batch_from = 0
        self._flush_scheduled = False
        self._heard = False
        self._broken = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name=f"hkdesk-follow-{self.stream}")

    def restart(self) -> None:
        """Re-create the consumer at the next sequence (after a reconnect, or a suspected gap)."""
        self._broken.set()

    @property
    def settled_seq(self) -> int:
        """The stream sequence up to which every message read was handed on (or dropped)."""
        return self.last_seq if not self._batch else self._batch_from - 1

    def park(self) -> None:
        """Stop following (the consumer goes), keeping the place: :meth:`resume` goes on."""
        self.parked = True
        self._unparked.clear()
        self._broken.set()

    def resume(self, after: int) -> None:
        """Follow again from stream sequence ``after + 1``, or from the place kept if later."""
        self.last_seq = max(self.last_seq, after)
        self.parked = False
        self.pending = -1
        self._unparked.set()

    async def close(self) -> None:
        self._closing = True
        if self._task is not None:
            await stop_task(self._task)  # cancelled again if it swallows one
            self._task = None
        await self._drop_subscription()
        self._flush()

    # ------------------------------------------------------------------ consumer life

    async def _run(self) -> None:
        while not self._closing:
            if self.parked:
                await self._unparked.wait()
                continue
            try:
                await self._open()
            except Exception as exc:
                self._state(False, f"cannot follow {self.stream}: {exc.__class__.__name__} {exc}".strip())
                await self._drop_subscription()
                await asyncio.sleep(self.retry_wait)
                continue
            self._state(True, "")
            await self._watch()
            await self._drop_subscription()

    async def _open(self) -> None:
        while not self._nc.is_connected:
            await asyncio.sleep(self.retry_wait)
        self._broken.clear()
        self._dseq = 0
        self._generation += 1
        generation = self._generation
        inbox = self._nc.new_inbox()
        if isinstance(self._nc, DeskClient):

            def on_raw(subject: bytes, reply: bytes, data: bytes, headers: bytes) -> None:
                if generation == self._generation:  # else a late message for a replaced consumer
                    self._on_raw(subject, reply, data, headers)

            self._sub = await self._nc.subscribe_direct(inbox, on_raw)
        else:

            async def on_msg(msg: Msg) -> None:
                if generation == self._generation:
                    self._on_msg(msg)

            self._sub = await self._nc.subscribe(inbox, cb=on_msg)
        config = ConsumerConfig(
            deliver_subject=inbox,
            filter_subject=self.filter_subject,
            ack_policy=AckPolicy.NONE,
            flow_control=True,
            idle_heartbeat=self.heartbeat,
            mem_storage=True,
            num_replicas=1,
            inactive_threshold=max(5.0, 5 * self.heartbeat),
        )
        start = StartAt(sequence=self.last_seq + 1) if self.last_seq else self._start
        start.apply(config)
        info = await self._nc.jetstream().add_consumer(self.stream, config)
        self.pending = info.num_pending or 0
        if not info.num_pending:
            self.caught_up.set()

    async def _watch(self) -> None:
        """Return when the chain may be broken: told so, or nothing heard for two heartbeats."""
        while not self._closing:
            self._heard = False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._broken.wait(), 2 * self.heartbeat)
            if self._broken.is_set() or not self._heard:
                return

    async def _drop_subscription(self) -> None:
        sub, self._sub = self._sub, None
        if sub is not None:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    def _state(self, ok: bool, reason: str) -> None:
        if reason:
            log.warning("%s", reason)
        if self._on_state is not None:
            self._on_state(ok, reason)

    # ------------------------------------------------------------------ receive path

    def _on_raw(self, subject: bytes, reply: bytes, data: bytes, headers: bytes) -> None:
        self._heard = True
        if not data and headers.startswith(_STATUS_LINE):
            self._on_status(reply.decode(), DeskClient._parse_header_lines(headers))
        elif not self._in_order(text := reply.decode()):
            return
        elif self._skip is None or not self._skip(subject, headers):
            self._queue(StreamMsg(subject.decode(), text, data, headers))

    def _on_msg(self, msg: Msg) -> None:
        self._heard = True
        headers = msg.headers
        if headers and "Status" in headers and not msg.data:
            self._on_status(msg.reply, headers)
        elif self._in_order(msg.reply):
            self._queue(StreamMsg.of(msg))

    def _in_order(self, reply: str) -> bool:
        """Whether the message of ``reply`` is the next one and new (else the chain is broken,
        or it was handed on before)."""
        sseq, dseq, _, pending = ack_info(reply)
        if dseq != self._dseq + 1:
            self._broken.set()  # something was lost in between: resume after the last one kept
            return False
        self._dseq = dseq
        self.pending = pending
        if sseq <= self.last_seq:
            return False
        self.last_seq = sseq
        if not pending:
            self.caught_up.set()
        return True

    def _queue(self, msg: StreamMsg) -> None:
        if not self._batch:
            self._batch_from = self.last_seq  # this message's, set by _in_order
        self._batch.append(msg)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _on_status(self, reply: str, headers: dict[str, str]) -> None:
        # flow control: the server waits for this answer before sending more; a heartbeat that
        # names a stalled consumer asks again for an answer that was lost
        for ask in (reply, headers.get(_STALLED)):
            if ask:
                asyncio.get_running_loop().create_task(self._answer(ask))
        last = headers.get(_LAST_CONSUMER)
        if last is not None and int(last) != self._dseq:
            self._broken.set()  # a heartbeat says more was sent than arrived
        elif last is not None:
            self.pending = 0
            self.caught_up.set()  # idle: nothing pending

    async def _answer(self, reply: str) -> None:
        with contextlib.suppress(Exception):
            await self._nc.publish(reply, b"")

    def _flush(self) -> None:
        self._flush_scheduled = False
        batch, self._batch = self._batch, []
        if batch:
            try:
                self._on_msgs(batch)
            except Exception:
                log.exception("stream follower callback failed")
