"""A small scripted AllTick server for the feed tests (real websockets on 127.0.0.1:0).

It speaks just enough of the protocol: heartbeats, replace-semantics subscriptions, numbered
trade ticks per symbol (numbering continues across connections, so tests can tell exactly which
ticks were sent), plus switches for the failures the client must survive.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import itertools
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

TOKEN = "s3cr3t-t0ken-XYZ"
#: The fake server logs the handshake (with the token) here; the client's own logs are checked.
SERVER_LOGGER = "fake.alltick"


@dataclass
class Conn:
    """One accepted socket, as the server saw it."""

    id: int
    ws: ServerConnection
    token: str
    opened_at: float
    requests: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    trades: list[str] = field(default_factory=list)
    depth: list[str] = field(default_factory=list)
    closed_at: float | None = None
    silent: bool = False
    pusher: asyncio.Task[None] | None = None

    def cmds(self) -> list[int]:
        return [r["cmd_id"] for _, r in self.requests]

    def sub_lists(self, cmd: int = 22004) -> list[list[str]]:
        return [[i["code"] for i in r["data"]["symbol_list"]] for _, r in self.requests if r["cmd_id"] == cmd]


class FakeAllTick:
    """Scripted server. Knobs are plain attributes, changeable while running."""

    def __init__(self, *, tick_interval: float = 0.01, token: str = TOKEN) -> None:
        self.token = token
        self.tick_interval = tick_interval
        self.http_status_for_bad_token = 401
        self.reject_token_as_frame = False
        self.invalid_codes: set[str] = set()
        self.name_code_in_error = True
        self.plan_limit: int | None = None
        self.reply_to_subscribe: Callable[[Conn, dict[str, Any]], dict[str, Any] | None] | None = None
        self.conns: list[Conn] = []
        self.seq: dict[str, int] = {}
        self.sent: dict[str, list[int]] = {}
        self.extra_frames: list[bytes | str] = []
        self.connect_times: list[float] = []
        self._server: Server | None = None

    async def __aenter__(self) -> FakeAllTick:
        self._server = await serve(
            self._handle,
            "127.0.0.1",
            0,
            process_request=self._check_token,
            ping_interval=None,
            logger=logging.getLogger(SERVER_LOGGER),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        for conn in self.conns:
            if conn.pusher is not None:
                conn.pusher.cancel()
        self._server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 2)

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"ws://127.0.0.1:{port}/quote-stock-b-ws-api"

    def live(self) -> list[Conn]:
        return [c for c in self.conns if c.closed_at is None]

    # ------------------------------------------------------------------ handshake

    def _check_token(self, connection: ServerConnection, request: Request) -> Response | None:
        self.connect_times.append(time.monotonic())
        token = parse_qs(urlsplit(request.path).query).get("token", [""])[0]
        if token != self.token and not self.reject_token_as_frame:
            status = http.HTTPStatus(self.http_status_for_bad_token)
            return connection.respond(status, "token invalid\n")
        return None

    # ------------------------------------------------------------------ per connection

    async def _handle(self, ws: ServerConnection) -> None:
        token = parse_qs(urlsplit(ws.request.path).query).get("token", [""])[0]
        conn = Conn(len(self.conns), ws, token, time.monotonic())
        self.conns.append(conn)
        try:
            if token != self.token:
                await ws.send(json.dumps({"ret": 401, "msg": "token invalid", "cmd_id": 0, "seq_id": 0}))
                await ws.close()
                return
            conn.pusher = asyncio.get_running_loop().create_task(self._push(conn))
            for frame in self.extra_frames:
                await ws.send(frame)
            async for raw in ws:
                await self._on_request(conn, raw)
        except Exception:
            pass
        finally:
            conn.closed_at = time.monotonic()
            if conn.pusher is not None:
                conn.pusher.cancel()

    async def _on_request(self, conn: Conn, raw: str | bytes) -> None:
        request = json.loads(raw)
        conn.requests.append((time.monotonic(), request))
        if conn.silent:
            return
        cmd = request["cmd_id"]
        reply: dict[str, Any] = {
            "ret": 200,
            "msg": "ok",
            "cmd_id": cmd + 1,
            "seq_id": request["seq_id"],
            "trace": request["trace"],
            "data": {},
        }
        if cmd in (22004, 22002):
            custom = self.reply_to_subscribe(conn, request) if self.reply_to_subscribe else None
            if custom is not None:
                reply.update(custom)
            else:
                codes = [i["code"] for i in request["data"]["symbol_list"]]
                bad = [c for c in codes if c in self.invalid_codes]
                if bad:
                    reply["ret"] = 600
                    reply["msg"] = f"code invalid: {bad[0]}" if self.name_code_in_error else "code invalid"
                else:
                    if self.plan_limit is not None:
                        codes = codes[: self.plan_limit]
                    if cmd == 22004:
                        conn.trades = codes
                    else:
                        conn.depth = codes
        await conn.ws.send(json.dumps(reply))
        if reply["ret"] == 606:
            await conn.ws.close()

    async def _push(self, conn: Conn) -> None:
        while True:
            await asyncio.sleep(self.tick_interval)
            if conn.silent:
                continue
            for code in list(conn.trades):
                seq = self.seq.get(code, 0) + 1
                self.seq[code] = seq
                frame = {
                    "cmd_id": 22998,
                    "data": {
                        "code": code,
                        "seq": seq,
                        "tick_time": 1_700_000_000_000 + seq,
                        "price": "100.5",
                        "volume": "100",
                        "trade_direction": 1,
                    },
                }
                await conn.ws.send(json.dumps(frame))
                self.sent.setdefault(code, []).append(seq)
            for code in list(conn.depth):
                book = {
                    "cmd_id": 22999,
                    "data": {
                        "code": code,
                        "seq": 1,
                        "tick_time": 1_700_000_000_000,
                        "bids": [{"price": "100.4", "volume": "500"}],
                        "asks": [{"price": "100.6", "volume": "700"}],
                    },
                }
                await conn.ws.send(json.dumps(book))


def min_gap(times: list[float]) -> float:
    return min((b - a for a, b in itertools.pairwise(times)), default=float("inf"))
