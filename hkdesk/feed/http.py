"""Initial values over AllTick's HTTP API: the previous close and the latest trade per code.

The WebSocket stream carries neither a previous close nor anything for a stock that has not
traded since we subscribed, so the board starts from these. Requests are plain HTTP/1.1 GETs
(asyncio streams, TLS verification always on for https) with the token in the
query string, spaced by ``min_interval`` because the provider's limits are strict (free plan:
one request every 10 s, 5 codes per request); a call refused for its rate (605 or 429) is
tried again a little later, a few times.
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
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from hkdesk.domain.sessions import CLOSE, HK_TZ, LUNCH_START, is_half_day
from hkdesk.domain.types import Tick
from hkdesk.feed.alltick import protocol
from hkdesk.feed.plans import Plan

log = logging.getLogger(__name__)

DAILY_KLINE = 8
MAX_RESPONSE_BYTES = 4 * 1024 * 1024
#: ``ret`` of a call refused for the plan's call rate (tried again after ``rate_retry_wait``).
RATE_REFUSED = (605, 429)

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
        rate_retries: int = 3,
        rate_retry_wait: float = 1.0,
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
        self.rate_retries = rate_retries
        self.rate_retry_wait = rate_retry_wait
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
        """Close of the last full trading day before the current session, per code.

        One request per code (the K-line endpoint takes one code). A code that fails is logged
        and left out; a rejected token raises :class:`HttpError` at once. The current session is
        today (HK), unless the newest daily bar is older than today and its day is still trading
        (a simulator replaying another day): then that bar is in progress and the one before it
        holds the previous close.
        """
        lists: dict[str, list[Any]] = {}
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
            lists[code] = data.get("kline_list") or []
        session = await self._session_day(lists)
        result: dict[str, Decimal] = {}
        for code, bars in lists.items():
            close = _previous_close(bars, session)
            if close is None:
                log.info("previous close of %s: no earlier daily bar", code)
            else:
                result[code] = close
        return result

    async def _session_day(self, lists: dict[str, list[Any]]) -> date:
        today = datetime.fromtimestamp(self._now(), HK_TZ).date()
        newest: dict[str, date] = {}
        for code, bars in lists.items():
            days = [d for d in (_bar_day(b) for b in bars) if d is not None]
            if days:
                newest[code] = max(days)
        if not newest or max(newest.values()) >= today:
            return today
        code, day = max(newest.items(), key=lambda item: item[1])
        latest = (await self.fetch_latest_trades([code])).get(code)
        if latest is None:
            return today
        at = datetime.fromtimestamp(latest.ts / 1000, HK_TZ)
        session_over = LUNCH_START if is_half_day(day) else CLOSE
        return day if at.date() == day and at.time() < session_over else today

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
        for _ in range(self.rate_retries):
            status, reply = await self._call(path, target)
            if not (isinstance(reply, dict) and reply.get("ret") in RATE_REFUSED):
                break
            log.info("%s: refused for the call rate (%s); trying again", path, reply.get("ret"))
            await asyncio.sleep(max(self.min_interval, self.rate_retry_wait))
        else:
            status, reply = await self._call(path, target)
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

    async def _call(self, path: str, target: str) -> tuple[int, Any]:
        """One spaced request: HTTP status and the decoded body (None if not JSON)."""
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
            return status, json.loads(body)
        except ValueError:
            return status, None

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


def _bar_day(bar: Any) -> date | None:
    """The HK date of a daily bar (its ``timestamp`` in seconds or milliseconds)."""
    try:
        ts = int(bar["timestamp"])
    except (KeyError, ValueError, TypeError):
        return None
    if ts > 100_000_000_000:
        ts //= 1000
    return datetime.fromtimestamp(ts, HK_TZ).date()


def _previous_close(bars: Sequence[Any], today: date) -> Decimal | None:
    """Close of the latest daily bar dated before ``today`` (HK calendar)."""
    best: tuple[date, Decimal] | None = None
    for bar in bars:
        if not isinstance(bar, dict):
            continue
        day = _bar_day(bar)
        try:
            close = Decimal(str(bar["close_price"]))
        except (KeyError, ValueError, TypeError, InvalidOperation):
            continue
        if day is None or day >= today or not close.is_finite() or close <= 0:
            continue
        if best is None or day > best[0]:
            best = (day, close)
    return best[1] if best else None
