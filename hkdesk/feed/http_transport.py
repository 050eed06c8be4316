"""Requests and answers of AllTick's HTTP API, within the plan's call rate.

GET endpoints take ``?token=…&query=<{"trace", "data"}>``; POST (``/batch-kline``) takes the
token in the URL and the same JSON as the body. Each endpoint keeps its own interval between
calls (measured from the previous answer, so the server, which counts on arrival, never sees two
calls inside it); different endpoints run at the same time. A call refused for its rate (605 or
429) is tried again a little later, a few times. Plain HTTP/1.1 over asyncio streams, a fresh
connection per call, TLS verification always on for https.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import ssl
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from typing import Any

from hkdesk.domain.simulator_mark import is_simulator
from hkdesk.feed.alltick import protocol
from hkdesk.feed.backoff import sleep_until

log = logging.getLogger("hkdesk.feed.http")

MAX_RESPONSE_BYTES = 4 * 1024 * 1024
#: ``ret`` of a call refused for the plan's call rate (tried again after ``rate_retry_wait``).
RATE_REFUSED = (605, 429)
TOKEN_INVALID = 401


class HttpError(Exception):
    """A failed HTTP request; the message never contains the token. ``ret`` as AllTick sent it."""

    def __init__(self, message: str, ret: int | None = None) -> None:
        super().__init__(protocol.redact(message))
        self.ret = ret


def http_base(ws_url: str) -> str:
    """``wss://host:port/…`` → ``https://host:port`` (``ws`` → ``http``), the HTTP API's origin."""
    parts = urllib.parse.urlsplit(ws_url)
    scheme = {"wss": "https", "ws": "http"}.get(parts.scheme)
    if scheme is None or not parts.netloc:
        raise ValueError(f"not a ws:// or wss:// URL: {protocol.redact(ws_url)}")
    return f"{scheme}://{parts.netloc}"


class _Endpoint:
    """One endpoint's turn: a lock and when its next call may go."""

    __slots__ = ("lock", "next_at")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.next_at = float("-inf")


class HttpTransport:
    """Spaced calls to the HTTP API of the server behind ``ws_url``; ``spacing(endpoint)`` gives
    the seconds between two calls to that endpoint."""

    def __init__(
        self,
        ws_url: str,
        token: str,
        spacing: Callable[[str], float],
        *,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        rate_retries: int = 3,
        rate_retry_wait: float = 1.0,
        refuse_simulator: bool = False,
    ) -> None:
        """``refuse_simulator``: the answers are for a database of real data, so an answer from
        hkdesk's simulator (its ``Server`` header) is refused with :class:`HttpError`."""
        if not token:
            raise ValueError("an AllTick token is required")
        self.base = http_base(ws_url)
        self._token = token
        self.spacing = spacing
        self.timeout = timeout
        self.rate_retries = rate_retries
        self.rate_retry_wait = rate_retry_wait
        self.refuse_simulator = refuse_simulator
        self._clock = clock
        self._endpoints: dict[str, _Endpoint] = {}
        self._traces = itertools.count(1)
        self._ssl = ssl.create_default_context() if self.base.startswith("https:") else None
        #: Requests sent, per endpoint (``/kline``), refused ones included; those refused for the
        #: call rate (and asked again).
        self.calls: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()

    @property
    def requests(self) -> int:
        return sum(self.calls.values())

    def answered(self, endpoint: str) -> int:
        """Calls to ``endpoint`` the server did not refuse for the call rate."""
        return self.calls[endpoint] - self.refused[endpoint]

    async def get(self, endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        """``data`` of the answer to a GET; raises :class:`HttpError` for any ``ret`` but 200."""
        return await self._ask("GET", endpoint, data)

    async def post(self, endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        """As :meth:`get`, with the request in the body (``/batch-kline``)."""
        return await self._ask("POST", endpoint, data)

    async def _ask(self, method: str, endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        trace = f"hkdesk-http-{next(self._traces)}"
        request = json.dumps({"trace": trace, "data": data}, separators=(",", ":"))
        path = f"{protocol.HTTP_PATH}{endpoint}"
        if method == "GET":
            target = f"{path}?" + urllib.parse.urlencode({"token": self._token, "query": request})
            body = b""
        else:
            target = f"{path}?" + urllib.parse.urlencode({"token": self._token})
            body = request.encode()
        for _ in range(self.rate_retries):
            status, reply = await self._call(method, endpoint, target, body)
            if not (isinstance(reply, dict) and reply.get("ret") in RATE_REFUSED):
                break
            self.refused[endpoint] += 1
            log.info("%s: refused for the call rate (%s); trying again", path, reply.get("ret"))
            await asyncio.sleep(max(self.spacing(endpoint), self.rate_retry_wait))
        else:
            status, reply = await self._call(method, endpoint, target, body)
        ret = reply.get("ret") if isinstance(reply, dict) else None
        if status != 200:
            raise HttpError(f"{path}: HTTP {status}", ret if isinstance(ret, int) else status)
        if not isinstance(reply, dict):
            raise HttpError(f"{path}: the answer is not a JSON object")
        if ret != 200:
            msg = str(reply.get("msg") or "")
            code = ret if isinstance(ret, int) else None
            raise HttpError(f"{path}: AllTick error {ret}: {msg}".rstrip(": "), code)
        payload = reply.get("data")
        return payload if isinstance(payload, dict) else {}

    async def _call(self, method: str, endpoint: str, target: str, body: bytes) -> tuple[int, Any]:
        """One spaced request: HTTP status and the decoded body (None if not JSON)."""
        turn = self._endpoints.get(endpoint)
        if turn is None:
            turn = self._endpoints[endpoint] = _Endpoint()
        async with turn.lock:
            await sleep_until(turn.next_at, self._clock)
            path = target.partition("?")[0]
            try:
                status, raw, server = await asyncio.wait_for(self._fetch(method, target, body), self.timeout)
            except TimeoutError:
                raise HttpError(f"{path}: no answer within {self.timeout:g} s") from None
            except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
                reason = f"{exc.__class__.__name__}: {exc}"
                raise HttpError(f"{path}: cannot reach {self.base} ({reason})") from None
            finally:
                turn.next_at = self._clock() + self.spacing(endpoint)
                self.calls[endpoint] += 1
        if self.refuse_simulator and is_simulator(server):
            raise HttpError(
                f"{path}: {self.base} is hkdesk's simulator: its answers are not taken as real data"
            )
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, None

    async def _fetch(self, method: str, target: str, body: bytes) -> tuple[int, bytes, str | None]:
        """One HTTP/1.1 request on a fresh connection (``Connection: close``): status, body and
        the ``Server`` header.

        Plain asyncio streams rather than urllib in a thread: under qasync a worker thread's
        ``call_soon_threadsafe`` is not reliably thread-safe, and the loop stays single-threaded.
        """
        parts = urllib.parse.urlsplit(self.base)
        https = parts.scheme == "https"
        host = parts.hostname or ""
        port = parts.port or (443 if https else 80)
        reader, writer = await asyncio.open_connection(
            host, port, ssl=self._ssl, server_hostname=host if https else None
        )
        try:
            head = (
                f"{method} {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: application/json\r\n"
                "User-Agent: hkdesk\r\nConnection: close\r\n"
            )
            if method == "POST":
                head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            writer.write(head.encode("ascii") + b"\r\n" + body)
            await writer.drain()
            return await _read_answer(reader)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


async def read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    """An answer's status and headers (names in lower case); the body is left in ``reader``."""
    status_line = await reader.readline()
    fields = status_line.decode("latin-1").split(None, 2)
    if len(fields) < 2 or not fields[0].startswith("HTTP/") or not fields[1].isdigit():
        raise ValueError("not an HTTP response")
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(fields[1]), headers


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes, str | None]:
    status, headers = await read_head(reader)
    server = headers.get("server")
    if headers.get("transfer-encoding", "").lower() == "chunked":
        return status, await _read_chunked(reader), server
    if "content-length" in headers:
        length = int(headers["content-length"])
        if length > MAX_RESPONSE_BYTES:
            raise ValueError(f"answer too large ({length} bytes)")
        return status, await reader.readexactly(length), server
    return status, await _read_to_eof(reader), server


async def _read_to_eof(reader: asyncio.StreamReader) -> bytes:
    """A body whose end is the end of the connection (no length, not chunked)."""
    body = bytearray()
    while chunk := await reader.read(65536):
        body += chunk
        if len(body) > MAX_RESPONSE_BYTES:
            raise ValueError(f"answer too large (over {MAX_RESPONSE_BYTES} bytes)")
    return bytes(body)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
        if size == 0:
            await reader.readline()
            return b"".join(chunks)
        total += size
        if total > MAX_RESPONSE_BYTES:
            raise ValueError("answer too large")
        chunks.append(await reader.readexactly(size))
        await reader.readline()
