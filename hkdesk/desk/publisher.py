"""DeskPublisher: every trade and book the desk receives, into the desk's JetStream stream.

The pipeline calls :meth:`DeskPublisher.publish_ticks` / :meth:`publish_books` from its receive
callbacks: one append of the batch, no awaiting, no encoding. A task drains the queue:
encodes each record, publishes it with its message id and a reply subject, and keeps it until
JetStream acknowledges it. Up to ``max_in_flight`` records wait for an acknowledgement at
once, so the rate is not bound by round trips.

Nothing the desk received is lost while NATS is briefly away: publishing pauses while the
link is down, records stay queued (up to ``max_buffered`` records in memory; beyond that the
oldest are dropped, counted and logged, and the desk's database still has them), and every
record not yet acknowledged is published again once the link is back, or when its
acknowledgement is ``ack_timeout`` late, or when JetStream answered with an error (no stream
leader during a cluster fail-over, for instance). The message id makes each repeat a no-op.

Order survives trouble: once a record failed, nothing new is published until every record in
flight is settled; then the failed ones go again in their original order, and only when they
are all stored does the queue move on. (A record that failed while a later one in the same
window was stored, which needs a leader change inside one ``ack_timeout``, still lands after
it: readers see the stream's order.)

Each trade and gap notice is numbered in its symbol's chain (the ``Hkdesk-Chain`` header), and
once a live connection is attached (:meth:`DeskPublisher.attach_live`) each batch of trades also
goes out at once on the desk's live subject, not stored and not repeated: see
:mod:`hkdesk.desk.chain`. The stream's publishes then wait ``live_lead`` after the last live
message: nats-server's work on a run of stream publishes (storing, acknowledging, delivering
to the consumers) held the live message up by a millisecond or more in 4-7 % of batches, while
a 2 ms head start let 99.7 % of trades reach a desktop by the live path. Gap notices are told
on the live path too, and a heartbeat follows ``live_beat`` of silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from nats.aio.client import Client
from nats.aio.msg import Msg

from hkdesk.desk.chain import ChainNumbers
from hkdesk.desk.codec import book_id, encode, gap_id, tick_id
from hkdesk.desk.connection import CHAIN_HEADER, DeskClient
from hkdesk.desk.latest import LatestBoard
from hkdesk.desk.live_out import BatchMark, LiveOut
from hkdesk.desk.stream import REAL, StreamSizing, ensure_bucket, ensure_stream
from hkdesk.desk.subjects import DeskNames, encode_token
from hkdesk.domain.types import Book, Gap, Tick
from hkdesk.feed.task_stop import stop_task
from hkdesk.feed.throttle import ThrottledLog

log = logging.getLogger(__name__)

_MSG_ID = "Nats-Msg-Id"


@dataclass
class PublisherStats:
    queued: int = 0
    published: int = 0  # records acknowledged by JetStream (first time stored or duplicate)
    duplicates: int = 0  # of which JetStream already had the message id
    republished: int = 0  # publishes repeated after a timeout, an error or a reconnect
    errors: int = 0  # error answers from JetStream
    dropped: int = 0  # records dropped because more than max_buffered waited


#: (True: trades, False: books, None: gaps; the batch; its chain numbers, None for books; epoch;
#: its mark in live.marks, None for books)
_Batch = tuple[bool | None, list[Tick] | list[Book] | list[Gap], list[int] | None, str, BatchMark | None]


@dataclass(slots=True)
class _Pending:
    subject: str
    payload: bytes
    msg_id: str
    chain: str
    sent_at: float
    order: int
    mark: BatchMark | None = None  # its batch's in live.marks (trades and gaps)


class DeskPublisher:
    """Publishes batches of trades and books; see the module docstring."""

    def __init__(
        self,
        nc: Client,
        names: DeskNames,
        *,
        sizing: StreamSizing = StreamSizing(),  # noqa: B008 - frozen dataclass
        max_in_flight: int = 4096,
        max_buffered: int = 2_000_000,
        ack_timeout: float = 2.0,
        retry_wait: float = 0.2,
        latest_interval: float = 0.25,
        live_lead: float = 0.002,
        live_beat: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
        data: str = REAL,
    ) -> None:
        """``data``: what the stream holds, ``real`` or ``simulated`` (see :func:`ensure_stream`)."""
        self._nc = nc
        self._desk_client = nc if isinstance(nc, DeskClient) else None
        self.names = names
        self.sizing = sizing
        self.data = data
        self.max_in_flight = max_in_flight
        self.max_buffered = max_buffered
        self.ack_timeout = ack_timeout
        self.retry_wait = retry_wait
        self._clock = clock
        self.latest = LatestBoard(nc, names.latest_bucket, interval=latest_interval)
        self.stats = PublisherStats()
        self.chains = ChainNumbers()
        self.live = LiveOut(names.live_subject, self.chains, beat=live_beat, clock=clock)
        self.live_lead = live_lead
        self._batches: deque[_Batch] = deque()
        self._head = 0  # records of batches[0] already taken
        self._retry: list[_Pending] = []
        self._order = itertools.count()
        self._failed_at = float("-inf")
        self._in_flight: dict[str, _Pending] = {}
        self._tokens = itertools.count(1)
        self._reply_prefix = ""
        self._trade_prefix = names.kind_prefix("trade")
        self._book_prefix = names.kind_prefix("book")
        #: (True: trade, False: book) and symbol -> subject
        self._subjects: dict[tuple[bool, str], str] = {}
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._drop_log = ThrottledLog(log, 10.0)

    # ------------------------------------------------------------------ receive path

    def publish_ticks(self, ticks: list[Tick]) -> None:
        """Queue trades (the list is read, never changed). Call from the event loop; never blocks."""
        if ticks and self.chains.leading:
            numbers, runs, off = self.chains.number_ticks(ticks)
            self._enqueue(True, ticks, numbers, self.live.batch(runs, off, len(ticks)))
            self.latest.note_ticks(ticks)

    def publish_books(self, books: list[Book]) -> None:
        if books and self.chains.leading:
            self._enqueue(False, books, None)
            self.latest.note_books(books)

    def publish_gap(self, gap: Gap) -> None:
        """Tell the desktops that trades of a symbol may be missing (in order with its trades)."""
        if not self.chains.leading:
            return
        n = self.chains.number_gap(gap.symbol)  # told on the live path too: see live_sync
        self._enqueue(None, [gap], [n], self.live.batch([], {self.chains.token(gap.symbol): n}, 1))

    def attach_live(self, client: DeskClient | None) -> None:
        """Send each batch of trades on the live subject through ``client`` (a connection of its
        own; None stops it)."""
        self.live.client = client

    def _enqueue(
        self,
        trades: bool | None,
        batch: list[Tick] | list[Book] | list[Gap],
        numbers: list[int] | None,
        mark: BatchMark | None = None,
    ) -> None:
        self._batches.append((trades, batch, numbers, self.chains.epoch, mark))
        self.stats.queued += len(batch)
        if self.stats.queued + len(self._in_flight) > self.max_buffered:
            self._drop_oldest()
        self._idle.clear()
        self._wake.set()

    def _drop_oldest(self) -> None:
        """Drop the oldest queued records, exactly as many as exceed ``max_buffered``."""
        excess = self.stats.queued + len(self._in_flight) - self.max_buffered
        while excess > 0 and self._batches:
            left = len(self._batches[0][1]) - self._head
            lost = min(left, excess)
            if (mark := self._batches[0][4]) is not None:  # never stored: settled all the same
                self.live.marks.settle(mark, lost)
            if lost == left:
                self._batches.popleft()
                self._head = 0
            else:
                self._head += lost
            self.stats.queued -= lost
            self.stats.dropped += lost
            excess -= lost
        self._drop_log.event("dropped", "records dropped", f"{self.stats.dropped} so far (NATS unreachable)")

    # ------------------------------------------------------------------ life

    async def start(self) -> None:
        """Create or update the stream and the latest-quote bucket, then start publishing."""
        js = self._nc.jetstream()
        await ensure_stream(js, self.names, self.sizing, self.data)
        await ensure_bucket(
            js, self.names.latest_bucket, ttl=self.sizing.max_age, replicas=self.sizing.replicas
        )
        self._reply_prefix = self._nc.new_inbox() + "."
        if isinstance(self._nc, DeskClient):
            cut = len(self._reply_prefix)

            def on_ack(subject: bytes, _reply: bytes, data: bytes, _headers: bytes) -> None:
                self._acked(subject[cut:].decode(), data)

            await self._nc.subscribe_direct(self._reply_prefix + "*", on_ack)
        else:
            await self._nc.subscribe(self._reply_prefix + "*", cb=self._on_ack)
        self.latest.start()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="hkdesk-desk-publisher")

    async def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything queued so far is acknowledged; False if ``timeout`` passed first."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wait_idle(), timeout)
            return True
        return False

    async def _wait_idle(self) -> None:
        while self.pending:
            self._idle.clear()
            await self._idle.wait()

    @property
    def pending(self) -> int:
        """Records not yet acknowledged (queued, in flight or waiting for a retry)."""
        return self.stats.queued + len(self._in_flight) + len(self._retry)

    async def close(self, flush_timeout: float = 5.0) -> None:
        if self._task is not None and self._nc.is_connected:
            await self.flush(flush_timeout)
        if self._task is not None:
            await stop_task(self._task)  # cancelled again if it swallows one
            self._task = None
        await self.latest.close()
        if self.pending:
            log.warning("desk publisher closed with %d records not acknowledged", self.pending)

    def on_reconnected(self) -> None:
        """Publish again everything whose acknowledgement may have been lost with the link."""
        for pending in self._in_flight.values():
            self._failed(pending)
        self._in_flight.clear()
        self.latest.mark_all_dirty()
        self._wake.set()

    # ------------------------------------------------------------------ publishing task

    async def _run(self) -> None:
        check_every = max(0.01, min(self.ack_timeout / 4, self.retry_wait, self.live.beat_every / 2))
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), check_every)
            self._wake.clear()
            self.live.beat()
            if not self._nc.is_connected:
                continue
            try:
                self._expire()
                if self._retry:
                    await self._send_retries()
                else:
                    hold = self.live.sent_at + self.live_lead - self._clock()
                    if self._batches and hold > 0:  # the live message first (module docstring)
                        await asyncio.sleep(min(hold, self.live_lead))
                    await self._send_new()
            except Exception as exc:  # the link dropped mid-way: everything unacknowledged is kept
                log.warning("desk publisher paused: %s", exc.__class__.__name__)
            if not self.pending:
                self._idle.set()

    def _expire(self) -> None:
        """Records whose acknowledgement is late fail. In-flight records are kept in the order
        they were sent, so the late ones are the first few."""
        deadline = self._clock() - self.ack_timeout
        late = []
        for token, pending in self._in_flight.items():
            if pending.sent_at >= deadline:
                break
            late.append(token)
        for token in late:
            self._failed(self._in_flight.pop(token))

    def _failed(self, pending: _Pending) -> None:
        self._retry.append(pending)
        self._failed_at = self._clock()

    async def _send_retries(self) -> None:
        """Once the window is settled and ``retry_wait`` has passed: the failed records, in order."""
        if self._in_flight or self._clock() - self._failed_at < self.retry_wait:
            return
        retry, self._retry = sorted(self._retry, key=lambda p: p.order), []
        for index, pending in enumerate(retry):
            try:
                await self._send(pending)
            except Exception:
                self._retry.extend(retry[index + 1 :])
                raise
            self.stats.republished += 1

    async def _send_new(self) -> None:
        batches, subjects, client, sent = self._batches, self._subjects, self._desk_client, 0
        try:
            while batches and len(self._in_flight) < self.max_in_flight:
                trades, batch, numbers, epoch, mark = batches[0]
                record = batch[self._head]
                chain = f"{epoch}.{numbers[self._head]}" if numbers is not None else ""
                self._head += 1
                if self._head == len(batch):
                    batches.popleft()
                    self._head = 0
                self.stats.queued -= 1
                if trades is None:
                    subject = self.names.gap_subject(record.symbol)
                    msg_id = gap_id(record)  # type: ignore[arg-type]
                else:
                    subject = subjects.get((trades, record.symbol))  # type: ignore[assignment]
                    if subject is None:
                        prefix = self._trade_prefix if trades else self._book_prefix
                        subject = subjects[(trades, record.symbol)] = prefix + encode_token(record.symbol)
                    msg_id = tick_id(record) if trades else book_id(record)  # type: ignore[arg-type]
                pending = _Pending(subject, encode(record), msg_id, chain, 0.0, next(self._order), mark)
                if client is None:
                    await self._send(pending)
                    continue
                client.put_with_id(subject, pending.payload, self._track(pending), msg_id, chain)
                sent += 1
                if not sent % 256:  # let nats-py write (or hold back when its buffer is full)
                    await client.after_puts()
        finally:  # what is queued is written even when a publish failed part-way
            if sent:
                await client.after_puts()  # type: ignore[union-attr]

    def _track(self, pending: _Pending) -> str:
        """Put ``pending`` in flight (before it is published, so a failing publish is repeated
        later); returns the reply subject its acknowledgement comes to."""
        token = str(next(self._tokens))
        pending.sent_at = self._clock()
        self._in_flight[token] = pending
        return self._reply_prefix + token

    async def _send(self, pending: _Pending) -> None:
        reply = self._track(pending)
        if self._desk_client is not None:
            await self._desk_client.publish_with_id(
                pending.subject, pending.payload, reply, pending.msg_id, pending.chain
            )
        else:
            headers = {_MSG_ID: pending.msg_id}
            if pending.chain:
                headers[CHAIN_HEADER] = pending.chain
            await self._nc.publish(pending.subject, pending.payload, reply, headers)

    async def _on_ack(self, msg: Msg) -> None:
        self._acked(msg.subject[len(self._reply_prefix) :], msg.data)

    def _acked(self, token: str, data: bytes) -> None:
        """JetStream's answer to the record published with reply token ``token``."""
        pending = self._in_flight.pop(token, None)
        if pending is None:
            return  # answered after its timeout: the repeat is in flight and will be answered too
        if not data or b'"error"' in data:  # no responders (a status, no body) or an API error
            self.stats.errors += 1
            self._failed(pending)
            self._drop_log.event("error", "publish refused, will repeat", data.decode(errors="replace")[:200])
        else:
            self.stats.published += 1
            if b'"duplicate"' in data:
                self.stats.duplicates += 1
            self.live.stored_at(data, pending.mark)
        self._wake.set()
