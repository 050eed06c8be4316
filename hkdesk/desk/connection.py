"""How a desk server, a desktop or a recorder connects to NATS: URL, credentials, TLS.

Credentials come from the URL (``nats://user:password@host:4222``) or a ``.creds`` file (a
user JWT and its nkey seed, from ``nsc``). ``tls://`` in the URL, or a CA file, turns on TLS,
verified against the CA (there is no switch to skip verification). Passwords never reach a
log line: :func:`redact_nats_url` hides them.
"""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from nats import errors as nats_errors
from nats.aio.client import Client
from nats.aio.subscription import Subscription

from hkdesk.feed.throttle import ThrottledLog

log = logging.getLogger(__name__)

_USERINFO = re.compile(r"//[^@/]*@")
_MSG_ID = "Nats-Msg-Id"
#: The start of a header block that holds only a message id (``NATS/1.0`` and no status).
_ID_BLOCK = b"NATS/1.0\r\nNats-Msg-Id:"
#: The header that numbers a desk record in its symbol's chain (:mod:`hkdesk.desk.chain`).
CHAIN_HEADER = "Hkdesk-Chain"
CHAIN_LINE = b"\r\n" + CHAIN_HEADER.encode() + b":"
#: Bytes a stalled connection may hold back before :meth:`DeskClient.put_now` stops sending.
_LIVE_BACKLOG = 1 << 20


def redact_nats_url(url: str) -> str:
    """``url`` without its user and password."""
    return _USERINFO.sub("//***@", url)


def is_nats_url(url: str) -> bool:
    return url.startswith(("nats://", "tls://"))


@dataclass(frozen=True)
class NatsOptions:
    """Where and how to connect. ``servers``: one URL or a comma-separated list (a cluster).

    ``reconnect_wait``: pause between attempts to reach a server again (the client retries
    forever); ``ping_interval``: how often the client checks the link, so a dead network is
    noticed after ``ping_interval`` x ``max_outstanding_pings``.
    """

    servers: str
    creds_file: str | None = None
    tls_ca: str | None = None
    tls_cert: str | None = None
    tls_key: str | None = None
    name: str = "hkdesk"
    connect_timeout: float = 5.0
    reconnect_wait: float = 0.5
    ping_interval: float = 10.0
    max_outstanding_pings: int = 2

    def urls(self) -> list[str]:
        urls = [u.strip() for u in self.servers.split(",") if u.strip()]
        for url in urls:
            if not is_nats_url(url) or not urlsplit(url).hostname:
                raise ValueError(f"a NATS URL looks like nats://HOST:4222, not {redact_nats_url(url)!r}")
        if not urls:
            raise ValueError("no NATS server given")
        return urls

    def tls_context(self) -> ssl.SSLContext | None:
        wants_tls = self.tls_ca is not None or any(u.startswith("tls://") for u in self.urls())
        if not wants_tls:
            return None
        context = ssl.create_default_context(cafile=self.tls_ca)
        if self.tls_cert:
            context.load_cert_chain(self.tls_cert, self.tls_key)
        return context


Hook = Callable[[], Awaitable[None]]
#: ``handler(subject, reply, data, headers)``, the message as it came off the wire (headers: the
#: raw block, empty when there is none).
DirectHandler = Callable[[bytes, bytes, bytes, bytes], None]


class DeskClient(Client):
    """nats-py's client, with a header parser that costs less per message.

    Every stream message carries a header (its message id), and nats-py parses each block in
    Python, testing every character of every name for whitespace: some 10 µs a message, a
    fifth of a desktop's receive path in the benchmark. This parser gives the same result for
    every well-formed block (names are printable ASCII without spaces) and skips a malformed
    name as nats-py does; it is nats-py's hook for the job (``_parse_header_lines``).

    :meth:`subscribe_direct` hands a subscription's messages to a plain function as they are
    read, for the desk's busiest subscriptions (a desktop's stream consumers, the desk server's
    publish acknowledgements).
    """

    def __init__(self) -> None:
        super().__init__()
        self._direct: dict[int, DirectHandler] = {}

    async def subscribe_direct(self, subject: str, handler: DirectHandler) -> Subscription:
        """Subscribe ``subject``; each message goes to ``handler`` straight from the read loop.

        nats-py builds a message object for each one, queues it and awaits the callback in a
        task of the subscription: some 5 µs a message that a function called in place does not
        cost. ``handler`` must not block; it runs in the connection's read loop (an exception
        is logged). Unsubscribe through the returned subscription, as usual; it is renewed on a
        reconnect like any other.
        """
        sid = self._sid + 1  # the id subscribe() takes before it awaits anything
        self._direct[sid] = handler  # before the server hears of it: no message can slip past
        try:
            sub = await self.subscribe(subject)
        except BaseException:
            self._direct.pop(sid, None)
            raise
        if sub._id != sid:  # not as nats-py numbers its subscriptions: move the handler
            self._direct[sub._id] = self._direct.pop(sid)
        return sub

    def _remove_sub(self, sid: int, max_msgs: int = 0) -> None:
        self._direct.pop(sid, None)
        super()._remove_sub(sid, max_msgs)

    async def _process_msg(self, sid: int, subject: bytes, reply: bytes, data: bytes, headers: bytes) -> None:
        handler = self._direct.get(sid)
        if handler is None:
            await super()._process_msg(sid, subject, reply, data, headers)
            return
        self.stats["in_msgs"] += 1
        self.stats["in_bytes"] += len(data)
        sub = self._subs.get(sid)
        if sub is None:  # gone (the connection was closed)
            del self._direct[sid]
            return
        sub._received += 1  # as nats-py counts, so an unsubscribe with a limit ends as it should
        if sub._max_msgs > 0 and sub._received >= sub._max_msgs:
            self._remove_sub(sid)
        try:
            handler(subject, reply, data, headers or b"")
        except Exception:
            log.exception("NATS message handler failed on %s", subject.decode(errors="replace"))

    async def _close(self, status: int, do_cbs: bool = True) -> None:
        self._direct.clear()
        await super()._close(status, do_cbs)

    async def publish_with_id(
        self, subject: str, payload: bytes, reply: str, msg_id: str, chain: str = ""
    ) -> None:
        """``publish(subject, payload, reply, {"Nats-Msg-Id": msg_id, "Hkdesk-Chain": chain})``
        (the chain left out when empty) with the command built in one go."""
        self.put_with_id(subject, payload, reply, msg_id, chain)
        await self.after_puts()

    def put_with_id(self, subject: str, payload: bytes, reply: str, msg_id: str, chain: str = "") -> None:
        """Queue the publish of :meth:`publish_with_id` without awaiting; call :meth:`after_puts`
        once a run of them is queued.

        nats-py checks both subjects and every header name with regular expressions and builds
        the header block piece by piece: some 5 µs of the desk's 16 µs per published record. The
        desk's subjects and message ids are its own (symbol tokens, digits, ``.`` and ``:``), so
        the bytes are put together directly; the connection checks stay nats-py's.
        """
        if not subject:
            raise nats_errors.BadSubjectError
        if self.is_closed:
            raise nats_errors.ConnectionClosedError
        if self.is_draining_pubs:
            raise nats_errors.ConnectionDrainingError
        size = len(payload)
        if not self.is_connected and (
            self._max_pending_size <= 0 or size + self._pending_data_size > self._max_pending_size
        ):
            raise nats_errors.OutboundBufferLimitError
        if size > self._max_payload:
            raise nats_errors.MaxPayloadError
        if chain:
            header = b"%b %b%b %b\r\n\r\n" % (_ID_BLOCK, msg_id.encode(), CHAIN_LINE, chain.encode())
        else:
            header = b"%b %b\r\n\r\n" % (_ID_BLOCK, msg_id.encode())
        head = len(header)
        command = b"HPUB %b %b %d %d\r\n%b%b\r\n" % (
            subject.encode(),
            reply.encode(),
            head,
            head + size,
            header,
            payload,
        )
        self.stats["out_msgs"] += 1
        self.stats["out_bytes"] += size
        self._pending.append(command)
        self._pending_data_size += len(command)

    def put_now(self, subject: str, payload: bytes) -> bool:
        """Publish a plain message (no reply, no headers) from synchronous code, written to the
        socket at once when nothing else waits to be (else queued, and the flusher woken).
        False, and nothing sent, while the link is down or the message is too big: for messages
        worth sending only now (the desk's live path)."""
        if not self.is_connected or len(payload) > self._max_payload or self._write_backlog() > _LIVE_BACKLOG:
            return False
        command = b"PUB %b %d\r\n%b\r\n" % (subject.encode(), len(payload), payload)
        self.stats["out_msgs"] += 1
        self.stats["out_bytes"] += len(payload)
        if not self._pending and self._transport is not None:
            self._transport.write(command)
            return True
        self._pending.append(command)
        self._pending_data_size += len(command)
        queue = self._flush_queue
        if queue is not None and queue.empty():
            queue.put_nowait(asyncio.get_running_loop().create_future())
        return True

    def _write_backlog(self) -> int:
        """Bytes written and not yet taken by the socket (a stalled link holds them in memory)."""
        writer = getattr(self._transport, "_io_writer", None)
        return writer.transport.get_write_buffer_size() if writer is not None else 0

    async def after_puts(self) -> None:
        """What nats-py's publish does once a command is queued: write at once when the buffer
        is over its limit, else have the flusher write soon."""
        if self._max_pending_size > 0 and self._pending_data_size > self._max_pending_size:
            await self._flush_pending(force_flush=True)
        elif self._flush_queue is not None and self._flush_queue.empty():
            await self._flush_pending()


async def connect_nats(
    options: NatsOptions,
    *,
    on_disconnected: Hook | None = None,
    on_reconnected: Hook | None = None,
) -> Client:
    """Connect (raising on failure), then let the client reconnect by itself forever.

    nats-py retries a first connection that fails (wrong password, server down) inside
    ``connect`` for as long as its server pool lasts, out of our sight: with reconnects allowed,
    or with no limit on attempts, forever (the desktop then sat at "Connecting" with no reason,
    and could not be closed). So the first connection is made with reconnects off and at most
    two attempts per server, and both are lifted once it stands. A server of a cluster list that
    failed both attempts is left out of that client's pool (its cluster's gossip adds it back).
    """

    errors = ThrottledLog(log, 10.0)  # a failing reconnect reports every attempt

    async def _log_error(exc: Exception) -> None:
        errors.event(exc.__class__.__name__, f"NATS {redact_nats_url(options.servers)}", str(exc))

    kwargs: dict[str, object] = {
        "servers": options.urls(),
        "name": options.name,
        "connect_timeout": options.connect_timeout,
        "reconnect_time_wait": options.reconnect_wait,
        "max_reconnect_attempts": 1,
        "ping_interval": options.ping_interval,
        "max_outstanding_pings": options.max_outstanding_pings,
        "allow_reconnect": False,
        "error_cb": _log_error,
    }
    if on_disconnected is not None:
        kwargs["disconnected_cb"] = on_disconnected
    if on_reconnected is not None:
        kwargs["reconnected_cb"] = on_reconnected
    if options.creds_file:
        kwargs["user_credentials"] = options.creds_file
    context = options.tls_context()
    if context is not None:
        kwargs["tls"] = context
    client = DeskClient()
    await client.connect(**kwargs)  # type: ignore[arg-type]
    client.options["allow_reconnect"] = True
    client.options["max_reconnect_attempts"] = -1
    return client
