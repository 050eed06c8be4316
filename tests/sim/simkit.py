"""Helpers for simulator tests: a small universe, a frozen clock, and a bare AllTick wire client."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from datetime import date, datetime, time
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.symbols import default_universe
from hkdesk.feed.alltick import protocol
from hkdesk.sim.clock import ManualClock

MONDAY = date(2026, 3, 2)
SMALL = ["700.HK", "5.HK", "9988.HK", "3690.HK", "388.HK", "1810.HK", "939.HK", "2318.HK", "HSI"]


def small_universe(codes=SMALL):
    full = default_universe()
    return {c: full[c] for c in codes}


def frozen_clock(hh: int = 10, mm: int = 0) -> ManualClock:
    """Exchange time that stands still: only burst trades flow, so tests control the volume."""
    return ManualClock(datetime.combine(MONDAY, time(hh, mm), HK_TZ))


REPLY_TYPES = (
    protocol.HeartbeatReply,
    protocol.DepthReply,
    protocol.TradesReply,
    protocol.CancelReply,
    protocol.ErrorReply,
)


class WireClient:
    """A bare AllTick client: sends requests, keeps every frame it receives (raw and decoded)."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.frames: list[tuple[bytes | str, object]] = []

    @classmethod
    async def open(cls, url: str, token: str = "t") -> WireClient:
        ws = await connect(f"{url}?token={token}", compression=None, max_queue=None, ping_interval=None)
        return cls(ws)

    async def close(self) -> None:
        await self.ws.close()

    async def send(self, cmd: int, data: dict) -> int:
        seq_id = next(self.ids)
        await self.ws.send(
            json.dumps({"cmd_id": cmd, "seq_id": seq_id, "trace": f"tr-{seq_id}", "data": data})
        )
        return seq_id

    async def recv(self, timeout: float = 2.0):
        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        try:
            frame = protocol.decode(raw)
        except protocol.FrameError as exc:
            frame = exc
        self.frames.append((raw, frame))
        return frame

    async def reply(self, cmd: int, timeout: float = 2.0):
        """Wait for the reply with ``cmd_id == cmd`` (pushes on the way are kept)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            frame = await self.recv(max(0.01, deadline - loop.time()))
            if isinstance(frame, REPLY_TYPES) and json.loads(self.frames[-1][0])["cmd_id"] == cmd:
                return frame

    async def collect(self, seconds: float) -> list:
        """Every frame received in the next ``seconds`` (stops early if the socket closes)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        out = []
        with contextlib.suppress(TimeoutError, ConnectionClosed):
            while (left := deadline - loop.time()) > 0:
                out.append(await self.recv(left))
        return out

    async def drain_quiet(self, quiet: float = 0.2, limit: float = 5.0) -> list:
        """Read until nothing arrives for ``quiet`` seconds."""
        loop = asyncio.get_running_loop()
        end = loop.time() + limit
        out = []
        with contextlib.suppress(ConnectionClosed):
            while loop.time() < end:
                try:
                    out.append(await self.recv(quiet))
                except TimeoutError:
                    break
        return out


def trades_of(frames) -> list:
    return [f.data for f in frames if isinstance(f, protocol.TradePush)]


async def http_request(
    url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """A minimal HTTP/1.1 request on the test loop (no executor threads): ``(status, body)``."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body is not None and not any(k.lower() == "transfer-encoding" for k in headers or {}):
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))
    await writer.drain()
    try:
        data = await asyncio.wait_for(reader.read(), 5.0)
    finally:
        writer.close()
        await writer.wait_closed()
    head, _, payload = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), payload


async def http_get(url: str) -> tuple[int, bytes]:
    return await http_request(url)


async def http_json(url: str, method: str = "GET", body: bytes | None = None) -> dict:
    status, payload = await http_request(url, method, body)
    assert status == 200, (status, payload)
    return json.loads(payload)
