"""Initial values over AllTick's HTTP API: the previous close and the latest trade per code.

The WebSocket stream carries neither a previous close nor anything for a stock that has not
traded since we subscribed, so the board starts from these. Requests are plain HTTP/1.1 GETs
(asyncio streams, TLS verification always on for https) with the token in the
query string, spaced by ``min_interval`` because the provider's limits are strict (free plan:
one request every 10 s, 5 codes per request).
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
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.types import Tick
from hkdesk.feed.alltick import protocol
from hkdesk.feed.plans import Plan

log = logging.getLogger(__name__)

DAILY_KLINE = 8
MAX_RESPONSE_BYTES = 4 * 1024 * 1024

#: (seconds between requests, codes per trade-tick request) per plan; conservative for paid plans.
HTTP_LIMITS: dict[str, tuple[float, int]] = {
    "free": (10.0, 5),
    "basic": (1.0, 100),
    "premium": (0.2, 200),
    "professional": (0.1, 200),
}


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


class QuoteHttp:
    """Rate-limited client for ``/kline`` (daily bars) and ``/trade-tick`` (latest trade)."""

    def __init__(
        self,
        ws_url: str,
        token: str,
        *,
        min_interval: float = 10.0,
        codes_per_request: int = 5,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], float] = time.time,
    ) -> None:
        if not token:
            raise ValueError("an AllTick token is required")
        if codes_per_request < 1:
            raise ValueError("codes_per_request must be positive")
        self.base = http_base(ws_url)
        self._token = token
        self.min_interval = min_interval
        self.codes_per_request = codes_per_request
        self.timeout = timeout
        self._clock = clock
        self._now = now
        self._next_at = float("-inf")
        self._lock = asyncio.Lock()
        self._traces = itertools.count(1)
        self._ssl = ssl.create_default_context() if self.base.startswith("https:") else None
        self.requests = 0

    @classmethod
    def for_plan(cls, ws_url: str, token: str, plan: Plan, **kw: Any) -> QuoteHttp:
        interval, codes = HTTP_LIMITS.get(plan.name, HTTP_LIMITS["free"])
        return cls(ws_url, token, min_interval=interval, codes_per_request=codes, **kw)

    # ------------------------------------------------------------------ queries

    async def fetch_previous_close(self, codes: Iterable[str]) -> dict[str, Decimal]:
        """Close of the last full trading day before today (HK time) per code.

        One request per code (the K-line endpoint takes one code). A code that fails is logged
        and left out; a rejected token raises :class:`HttpError` at once.
        """
        result: dict[str, Decimal] = {}
        today = datetime.fromtimestamp(self._now(), HK_TZ).date()
        for code in dict.fromkeys(codes):
            query = {
                "code": code,
                "kline_type": DAILY_KLINE,
                "kline_timestamp_end": 0,
                "query_kline_num": 2,
                "adjust_type": 0,
            }
            try:
                data = await self._get("/kline", query)
            except HttpError as exc:
                if exc.ret == 401:
                    raise
                log.warning("previous close of %s: %s", code, exc)
                continue
            close = _previous_close(data.get("kline_list") or [], today)
            if close is None:
                log.info("previous close of %s: no earlier daily bar", code)
            else:
                result[code] = close
        return result

    async def fetch_latest_trades(self, codes: Iterable[str]) -> dict[str, Tick]:
        """The latest trade per code, ``codes_per_request`` codes per request."""
        result: dict[str, Tick] = {}
        unique = list(dict.fromkeys(codes))
        received = self._now()
        for start in range(0, len(unique), self.codes_per_request):
            chunk = unique[start : start + self.codes_per_request]
            try:
                data = await self._get("/trade-tick", {"symbol_list": [{"code": c} for c in chunk]})
            except HttpError as exc:
                if exc.ret == 401:
                    raise
                log.warning("latest trades of %s: %s", ", ".join(chunk), exc)
                continue
            for item in data.get("tick_list") or []:
                try:
                    tick = msgspec.convert(item, Tick, strict=False)
                except (msgspec.ValidationError, TypeError) as exc:
                    log.warning("latest trades: skipped a bad entry (%s)", exc)
                    continue
                tick.received_at = received
                result[tick.symbol] = tick
        return result

    # ------------------------------------------------------------------ transport

    async def _get(self, endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        trace = f"hkdesk-http-{next(self._traces)}"
        query = json.dumps({"trace": trace, "data": data}, separators=(",", ":"))
        path = f"{protocol.HTTP_PATH}{endpoint}"
        target = f"{path}?" + urllib.parse.urlencode({"token": self._token, "query": query})
        async with self._lock:
            wait = self._next_at - self._clock()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                status, body = await asyncio.wait_for(self._fetch(target), self.timeout)
            except TimeoutError:
                raise HttpError(f"{path}: no answer within {self.timeout:g} s") from None
            except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
                reason = f"{exc.__class__.__name__}: {exc}"
                raise HttpError(f"{path}: cannot reach {self.base} ({reason})") from None
            finally:
                self._next_at = self._clock() + self.min_interval
                self.requests += 1
        try:
            reply = json.loads(body)
        except ValueError:
            reply = None
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

    async def _fetch(self, target: str) -> tuple[int, bytes]:
        """One HTTP/1.1 GET on a fresh connection (``Connection: close``); returns status and body.

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
            writer.write(
                f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: application/json\r\n"
                "User-Agent: hkdesk\r\nConnection: close\r\n\r\n".encode("ascii")
            )
            await writer.drain()
            status_line = await reader.readline()
            fields = status_line.decode("latin-1").split(None, 2)
            if len(fields) < 2 or not fields[0].startswith("HTTP/") or not fields[1].isdigit():
                raise ValueError("not an HTTP response")
            status = int(fields[1])
            headers: dict[str, str] = {}
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            if headers.get("transfer-encoding", "").lower() == "chunked":
                body = await _read_chunked(reader)
            elif "content-length" in headers:
                length = int(headers["content-length"])
                if length > MAX_RESPONSE_BYTES:
                    raise ValueError(f"answer too large ({length} bytes)")
                body = await reader.readexactly(length)
            else:
                body = await _read_to_eof(reader)
            return status, body
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


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


def _previous_close(bars: Sequence[Any], today: Any) -> Decimal | None:
    """Close of the latest daily bar dated before ``today`` (HK calendar)."""
    best: tuple[int, Decimal] | None = None
    for bar in bars:
        if not isinstance(bar, dict):
            continue
        try:
            ts = int(bar["timestamp"])
            close = Decimal(str(bar["close_price"]))
        except (KeyError, ValueError, TypeError, InvalidOperation):
            continue
        if ts > 100_000_000_000:
            ts //= 1000
        day = datetime.fromtimestamp(ts, HK_TZ).date()
        if day >= today or not close.is_finite() or close <= 0:
            continue
        if best is None or ts > best[0]:
            best = (ts, close)
    return best[1] if best else None
