"""Plain HTTP next to the WebSocket endpoint on one port, request bodies included.

websockets' own HTTP parser takes a handshake: no request body, lines of at most 8 KiB. The
simulator's connections read the request head first: a WebSocket upgrade goes on to websockets
byte for byte, anything else is answered here (``Content-Length`` or chunked bodies, ``Expect:
100-continue``, long URLs) and the connection is closed after the answer. A connection that
never sends a whole head is dropped by websockets' opening timeout, as before.
"""

from __future__ import annotations

import http
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection

from hkdesk.domain.simulator_mark import SIMULATOR_SERVER

log = logging.getLogger(__name__)

MAX_HEAD = 256 * 1024
MAX_BODY = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class HttpRequest:
    method: str
    path: str  # without the query string, trailing slash removed
    query: dict[str, str]  # the last value of each parameter
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    status: int
    body: bytes
    content_type: str = "application/json"


Router = Callable[[HttpRequest], HttpAnswer]


class BadRequest(ValueError):
    """A request that is not HTTP/1.x; ``status`` is what to answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def connection_class(router: Router, error: Callable[[int, str], HttpAnswer]) -> type[ServerConnection]:
    """A :class:`ServerConnection` that answers plain HTTP with ``router`` (``error`` words the
    answer to a request that cannot be read)."""

    class SimConnection(ServerConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._head = bytearray()
            self._passthrough = False
            self._answered = False
            self._continued = False

        def data_received(self, data: bytes) -> None:
            if self._passthrough:
                super().data_received(data)
                return
            if self._answered:
                return
            self._head += data
            try:
                self._read_request()
            except BadRequest as exc:
                self._answer(error(exc.status, str(exc)))

        def _read_request(self) -> None:
            buffer = self._head
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > MAX_HEAD:
                    raise BadRequest(431, "request head too large")
                return
            method, target, headers = parse_head(bytes(buffer[:end]))
            if "websocket" in headers.get("upgrade", "").lower():
                self._passthrough = True
                data = bytes(buffer)
                buffer.clear()
                super().data_received(data)
                return
            body = read_body(bytes(buffer[end + 4 :]), headers)
            if body is None:
                if headers.get("expect", "").lower() == "100-continue" and not self._continued:
                    self._continued = True
                    self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                return
            url = urlsplit(target)
            query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            request = HttpRequest(method, url.path.rstrip("/") or "/", query, headers, body)
            try:
                answer = router(request)
            except Exception:
                log.exception("simulator HTTP answer failed for %s", request.path)
                answer = error(500, "internal error")
            self._answer(answer)

        def _answer(self, answer: HttpAnswer) -> None:
            self._answered = True
            self._head.clear()
            phrase = http.HTTPStatus(answer.status).phrase
            head = (
                f"HTTP/1.1 {answer.status} {phrase}\r\nContent-Type: {answer.content_type}\r\n"
                f"Content-Length: {len(answer.body)}\r\nServer: {SIMULATOR_SERVER}\r\n"
                "Connection: close\r\n\r\n"
            )
            self.transport.write(head.encode("ascii") + answer.body)
            self.transport.close()

    return SimConnection


def parse_head(head: bytes) -> tuple[str, str, dict[str, str]]:
    """``(method, target, headers)`` of an HTTP/1.x request head (without the blank line)."""
    try:
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = lines[0].split(" ")
    except ValueError:
        raise BadRequest(400, "not an HTTP request line") from None
    if not version.startswith("HTTP/1.") or not target.startswith("/"):
        raise BadRequest(400, "not an HTTP/1.x request")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise BadRequest(400, "malformed header line")
        headers[name.strip().lower()] = value.strip()
    return method.upper(), target, headers


def read_body(data: bytes, headers: dict[str, str]) -> bytes | None:
    """The whole body, or None while more is to come."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return _chunked(data)
    raw = headers.get("content-length", "0") or "0"
    if not raw.isdigit():
        raise BadRequest(400, "bad Content-Length")
    length = int(raw)
    if length > MAX_BODY:
        raise BadRequest(413, "request body too large")
    return data[:length] if len(data) >= length else None


def _chunked(data: bytes) -> bytes | None:
    body = bytearray()
    pos = 0
    while True:
        line_end = data.find(b"\r\n", pos)
        if line_end < 0:
            return None
        try:
            size = int(data[pos:line_end].split(b";")[0].strip() or b"x", 16)
        except ValueError:
            raise BadRequest(400, "bad chunk size") from None
        if len(body) + size > MAX_BODY:
            raise BadRequest(413, "request body too large")
        start = line_end + 2
        if size == 0:
            return bytes(body) if data.find(b"\r\n", start) >= 0 else None
        if len(data) < start + size + 2:
            return None
        body += data[start : start + size]
        pos = start + size + 2
