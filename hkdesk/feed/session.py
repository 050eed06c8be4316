"""One AllTick socket: open, send spaced requests, heartbeat, receive in batches, notice death.

The session never reconnects by itself (the client decides when and how fast) and never
raises out of :meth:`Session.run`: it returns a :class:`Drop` saying why the link ended.
Only decoding happens on the receive path; everything else is handed on once per batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from hkdesk.domain.simulator_mark import is_simulator
from hkdesk.domain.types import Book, Tick
from hkdesk.feed.alltick import protocol
from hkdesk.feed.alltick.protocol import BookPush, Cmd, FrameError, HeartbeatReply, Reply, TradePush
from hkdesk.feed.bulk_connection import BulkConnection
from hkdesk.feed.read_ticks import ReadTicks
from hkdesk.feed.status import FeedTimings

log = logging.getLogger(__name__)

#: Largest frame read from the socket. Above the codec's limit, so a frame that is merely too
#: big is counted as "oversized" and skipped; only a larger one ends the link (close 1009).
MAX_SOCKET_FRAME = 4 * protocol.MAX_FRAME_BYTES


class _RedactTokens(logging.Filter):
    """websockets logs handshake lines (with the query string) at DEBUG: hide the token."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = protocol.redact(record.getMessage())
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = protocol.redact(logging.Formatter().formatException(record.exc_info))
        return True


ws_log = logging.getLogger("hkdesk.feed.websockets")
ws_log.addFilter(_RedactTokens())


class Drop(Exception):
    """Why a socket could not open or ended. ``reason`` is safe to show (no token).

    ``fatal``: do not retry (token invalid). ``severe``: the server asked us to slow down.
    """

    def __init__(self, reason: str, *, fatal: bool = False, severe: bool = False) -> None:
        super().__init__(protocol.redact(reason))
        self.reason = protocol.redact(reason)
        self.fatal = fatal
        self.severe = severe


@dataclass(frozen=True)
class SentRequest:
    """A subscription request as sent, to match its reply."""

    cmd: int
    codes: tuple[str, ...]
    #: A depth request's level per code (empty for other requests).
    levels: tuple[int, ...] = ()
    seq_id: int = 0


class SubscriptionGate:
    """Spaces subscriptions across the sockets of one token (``spacing`` between two sockets)."""

    def __init__(self, spacing: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.spacing = spacing
        self._clock = clock
        self._last_at = float("-inf")
        self._last_owner: object = None

    def ready_at(self, owner: object) -> float:
        if self._last_owner is owner or self._last_owner is None:
            return float("-inf")
        return self._last_at + self.spacing

    def mark(self, owner: object) -> None:
        self._last_at = self._clock()
        self._last_owner = owner


@dataclass(slots=True)
class ReadBatch:
    """What one socket read decoded to, handed on in one call: trades, books, the server's replies
    to our requests (with the request each answers, when known) and the frames that failed."""

    session: Session
    frames: int
    ticks: list[Tick]
    books: list[Book]
    replies: list[tuple[Reply, SentRequest | None]]
    bad: list[FrameError]


#: Called once per socket read.
BatchSink = Callable[[ReadBatch], None]


class Session:
    """One WebSocket connection to the quote server (``url`` already carries the token)."""

    def __init__(
        self,
        url: str,
        *,
        index: int,
        timings: FeedTimings,
        sink: BatchSink,
        gate: SubscriptionGate | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.index = index
        self.timings = timings
        self._sink = sink
        self._gate = gate
        self._clock = clock
        self._ids = protocol.RequestIds(f"hkdesk-{index}")
        self._ws: BulkConnection | None = None
        self._pending: dict[int, SentRequest] = {}
        self._sent: dict[int, tuple[SentRequest, float]] = {}
        self._wake = asyncio.Event()
        self._stop: asyncio.Future[Drop] | None = None
        self._tasks: list[asyncio.Task[Drop]] = []
        self._last_send = float("-inf")
        self._last_frame = 0.0
        self._next_heartbeat = 0.0
        self.rtt_ms: float | None = None
        self.requests_sent = 0
        #: The server said it is the built-in simulator (see :mod:`hkdesk.domain.simulator_mark`).
        self.simulator = False

    # ------------------------------------------------------------------ lifecycle

    async def open(self) -> None:
        """Connect; raises :class:`Drop` (``fatal`` for a refused token)."""
        try:
            self._ws = await connect(
                self.url,
                open_timeout=self.timings.open_timeout,
                close_timeout=self.timings.close_timeout,
                ping_interval=None,
                max_size=MAX_SOCKET_FRAME,
                logger=ws_log,
                create_connection=BulkConnection,
            )
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status in (401, 403):
                raise Drop(f"token invalid (HTTP {status})", fatal=True) from None
            raise Drop(f"server refused the connection (HTTP {status})", severe=status == 429) from None
        except TimeoutError:
            raise Drop(f"no answer within {self.timings.open_timeout:g} s") from None
        except OSError as exc:
            raise Drop(f"cannot connect: {_os_error_words(exc)}") from None
        except Exception as exc:
            raise Drop(f"cannot connect: {exc.__class__.__name__}: {exc}") from None
        self.simulator = is_simulator(self._ws.response.headers.get("Server") if self._ws.response else None)
        now = self._clock()
        self._last_frame = now
        self._next_heartbeat = now + self.timings.heartbeat_interval

    async def run(self) -> Drop:
        """Serve the open connection until it dies or :meth:`end` is called; returns why."""
        assert self._ws is not None, "open() first"
        loop = asyncio.get_running_loop()
        self._stop = loop.create_future()
        self._tasks = [loop.create_task(self._receive()), loop.create_task(self._pump())]
        self._ws.attach(self._on_frames)
        waiters: set[asyncio.Future[Drop]] = {self._stop, *self._tasks}
        try:
            done, _ = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in self._tasks:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        first = next(iter(done))
        if first.cancelled():
            return Drop("stopped")
        exc = first.exception()
        if isinstance(exc, Drop):
            return exc
        if exc is not None:
            log.error("shard %d: %s", self.index, protocol.redact(f"unexpected error: {exc!r}"))
            return Drop(f"internal error: {exc.__class__.__name__}")
        return first.result()

    def end(self, drop: Drop) -> None:
        """Make :meth:`run` return ``drop`` (e.g. after a fatal reply)."""
        if self._stop is not None and not self._stop.done():
            self._stop.set_result(drop)

    async def close(self) -> None:
        """Close the socket (closing handshake bounded by ``close_timeout``, then abort)."""
        for task in self._tasks:
            task.cancel()
        ws, self._ws = self._ws, None
        if ws is None:
            return
        try:
            await asyncio.wait_for(ws.close(), self.timings.close_timeout + 0.5)
        except (TimeoutError, OSError, ConnectionClosed):
            pass
        finally:
            if ws.transport is not None and not ws.transport.is_closing():
                ws.transport.abort()

    # ------------------------------------------------------------------ requests

    def request_trades(self, codes: tuple[str, ...]) -> None:
        """Queue a 22004 carrying ``codes`` (replaces a queued, unsent one)."""
        self._queue(SentRequest(int(Cmd.SUB_TRADES), codes))

    def request_depth(self, codes: tuple[str, ...], levels: tuple[int, ...]) -> None:
        """Queue a 22002 carrying ``codes`` at ``levels`` (replaces a queued, unsent one)."""
        self._queue(SentRequest(int(Cmd.SUB_DEPTH), codes, levels))

    def _queue(self, request: SentRequest) -> None:
        self._pending[request.cmd] = request
        self._wake.set()

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    # ------------------------------------------------------------------ tasks

    async def _pump(self) -> Drop:
        """The one sender: spacing, heartbeat after pending subscriptions, liveness watchdog."""
        t = self.timings
        liveness = t.liveness_timeout
        while True:
            now = self._clock()
            silent_for = now - self._last_frame
            if silent_for >= liveness:
                return Drop(f"no data for {silent_for:.1f} s")
            free_at = self._last_send + t.request_spacing * (1.0 + t.spacing_margin)
            hb_at = max(free_at, self._next_heartbeat)
            sub_at = float("inf")
            if self._pending:
                sub_at = free_at
                if self._gate is not None:
                    sub_at = max(sub_at, self._gate.ready_at(self))
            starved = now - self._next_heartbeat >= t.heartbeat_interval / 2
            if sub_at <= now and not (starved and hb_at <= now):
                await self._send_subscription()
                continue
            if hb_at <= now:
                await self._send_heartbeat()
                continue
            wake_at = min(sub_at, hb_at, self._last_frame + liveness)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(0.0, wake_at - now) + 0.001)
            self._discount_freeze(self._clock() - max(wake_at, now), liveness)

    def _discount_freeze(self, late: float, liveness: float) -> None:
        """A wake-up far behind schedule means our own loop stood still (a blocked GUI thread):
        that time is not the server's silence, and what it sent meanwhile is still unread in the
        socket. Moving the silence clock on by the delay lets the receiver read it first, instead
        of dropping a healthy link and the frames queued in it."""
        if late > liveness / 4:
            self._last_frame = min(self._clock(), self._last_frame + late)

    async def _send_subscription(self) -> None:
        cmd = int(Cmd.SUB_TRADES) if Cmd.SUB_TRADES in self._pending else next(iter(self._pending))
        request = self._pending.pop(cmd)
        seq_id, trace = self._ids.next()
        if cmd == Cmd.SUB_TRADES:
            data = protocol.subscribe_trades(request.codes, seq_id, trace)
        else:
            data = protocol.subscribe_depth(request.codes, request.levels, seq_id, trace)
        sent = SentRequest(request.cmd, request.codes, request.levels, seq_id)
        self._sent[seq_id] = (sent, self._clock())
        if self._gate is not None:
            self._gate.mark(self)
        await self._send(data)

    async def _send_heartbeat(self) -> None:
        seq_id, trace = self._ids.next()
        self._sent[seq_id] = (SentRequest(int(Cmd.HEARTBEAT), (), (), seq_id), self._clock())
        self._next_heartbeat = self._clock() + self.timings.heartbeat_interval
        await self._send(protocol.heartbeat(seq_id, trace))
        self._forget_old_requests()

    async def _send(self, data: bytes) -> None:
        ws = self._ws
        if ws is None:
            raise Drop("socket closed")
        self._last_send = self._clock()
        self.requests_sent += 1
        try:
            await ws.send(data, text=True)
        except ConnectionClosed as exc:
            raise Drop(_closed_reason(exc)) from None

    def _forget_old_requests(self) -> None:
        """Requests never answered must not pile up (keep the last few minutes' worth)."""
        if len(self._sent) > 64:
            for seq_id in sorted(self._sent)[:-32]:
                del self._sent[seq_id]

    async def _receive(self) -> Drop:
        """Frames arrive through :meth:`_on_frames`; this task only reports the socket's end."""
        ws = self._ws
        assert ws is not None
        await ws.wait_closed()
        return Drop(_closed_reason(ws.protocol.close_exc))

    def _on_frames(self, raws: list[bytes]) -> None:
        """Decode one socket read's frames and hand them to the sink (runs in the read callback)."""
        try:
            self._decode_batch(raws)
        except Exception as exc:
            log.exception("shard %d: receive path failed", self.index)
            self.end(Drop(f"internal error: {exc.__class__.__name__}"))

    def _decode_batch(self, raws: list[bytes]) -> None:
        now = self._clock()
        self._last_frame = now
        ticks = ReadTicks(raws)
        books: list[Book] = []
        replies: list[tuple[Reply, SentRequest | None]] = []
        bad: list[FrameError] = []
        for frame in protocol.decode_batch(raws):
            kind = type(frame)
            if kind is TradePush:
                ticks.append(frame.data)  # type: ignore[union-attr]
            elif kind is BookPush:
                books.append(frame.data)  # type: ignore[union-attr]
            elif kind is FrameError:
                bad.append(frame)  # type: ignore[arg-type]
            else:
                sent = self._sent.pop(frame.seq_id, None)  # type: ignore[union-attr]
                if kind is HeartbeatReply and frame.ok:  # type: ignore[union-attr]
                    if sent is not None:
                        self.rtt_ms = (now - sent[1]) * 1000.0
                    continue
                replies.append((frame, sent[0] if sent else None))  # type: ignore[arg-type]
        self._sink(ReadBatch(self, len(raws), ticks, books, replies, bad))


def _os_error_words(exc: OSError) -> str:
    """Why a connection could not be made, in a few plain words the interface can translate
    (asyncio's own text, "Connect call failed ('127.0.0.1', 8765)", is neither). A host with
    several addresses fails with one error naming each attempt's: they count when they say the same."""
    if isinstance(exc, socket.gaierror):
        # a name the resolver could not ask about (EAI_AGAIN) is most often a machine offline
        return "network unreachable" if exc.errno == socket.EAI_AGAIN else "host not found"
    code = getattr(exc, "winerror", None) or exc.errno
    if code is not None:
        words = {_WORDS_OF_CODE.get(code)}
    else:
        words = {_WORDS_OF_CODE.get(int(c)) for c in _ERROR_IN_TEXT.findall(str(exc))}
    if len(words) == 1 and (only := words.pop()) is not None:
        return only
    return exc.strerror or exc.__class__.__name__


#: An attempt's error inside asyncio's "Multiple exceptions: …" text (POSIX, and Windows).
_ERROR_IN_TEXT = re.compile(r"\[(?:Errno|WinError) (\d+)\]")
#: POSIX error numbers, and Windows' (socket errors 100xx; 12xx from its connect calls).
_WORDS_OF_CODE = {
    errno.ECONNREFUSED: "connection refused",
    10061: "connection refused",
    1225: "connection refused",
    errno.ECONNRESET: "connection reset",
    10054: "connection reset",
    errno.ENETUNREACH: "network unreachable",
    errno.EHOSTUNREACH: "network unreachable",
    10051: "network unreachable",
    10065: "network unreachable",
    1231: "network unreachable",
    1232: "network unreachable",
    errno.ETIMEDOUT: "timed out",
    10060: "timed out",
    121: "timed out",
}


def _closed_reason(exc: ConnectionClosed) -> str:
    rcvd = exc.rcvd
    if rcvd is None:
        return "connection lost (no close frame)"
    return f"server closed the connection ({rcvd.code}{': ' + rcvd.reason if rcvd.reason else ''})"
