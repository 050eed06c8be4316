"""A scripted AllTick server whose every reaction a test sets, and good trade frames for it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve

#: The token the reliability tests use with every server.
TOKEN = "rel-t0ken-5ecret-Q9Z"


class Scripted:
    """A small AllTick server whose every reaction a test sets (real websockets on 127.0.0.1:0).

    It keeps numbered trade ticks per symbol flowing to each socket's accepted list, records
    every request with its arrival time, and lets the test refuse codes with any ``ret``,
    inject raw frames, or abort sockets.
    """

    def __init__(self, *, tick_interval: float = 0.01, token: str = TOKEN) -> None:
        self.token = token
        self.tick_interval = tick_interval
        self.paused = False
        self.refuse: dict[str, tuple[int, str]] = {}
        """code -> (ret, msg): a subscription carrying it is refused and changes nothing."""
        self.connect_times: list[float] = []
        self.requests: list[tuple[float, int, dict[str, Any]]] = []
        self.sockets: list[ServerConnection] = []
        self.lists: dict[int, list[str]] = {}
        self.sent: dict[str, list[int]] = defaultdict(list)
        self.inject: asyncio.Queue[bytes | str] = asyncio.Queue()
        self._seq: dict[str, int] = defaultdict(int)
        self._server: Server | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._dropping: set[ServerConnection] = set()

    async def __aenter__(self) -> Scripted:
        self._server = await serve(self._handle, "127.0.0.1", 0, ping_interval=None, max_size=None)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._tasks:
            task.cancel()
        assert self._server is not None
        self._server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 2)

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"ws://127.0.0.1:{port}/quote-stock-b-ws-api"

    def cmds(self) -> list[int]:
        return [cmd for _, cmd, _ in self.requests]

    def sent_count(self) -> int:
        return sum(len(v) for v in self.sent.values())

    async def abort_all(self) -> None:
        """TCP abort, no close frame, once what the ledger counts has left our buffers."""
        live = [ws for ws in self.sockets if ws.transport is not None and not ws.transport.is_closing()]
        self._dropping.update(live)
        for ws in live:
            while ws.transport.get_write_buffer_size():
                await asyncio.sleep(0.001)
            ws.transport.abort()

    async def _handle(self, ws: ServerConnection) -> None:
        self.connect_times.append(time.monotonic())
        token = parse_qs(urlsplit(ws.request.path).query).get("token", [""])[0]
        if token != self.token:
            await ws.close(1008, "token invalid")
            return
        index = len(self.sockets)
        self.sockets.append(ws)
        self.lists[index] = []
        pusher = asyncio.get_running_loop().create_task(self._push(ws, index))
        self._tasks.append(pusher)
        try:
            async for raw in ws:
                request = json.loads(raw)
                cmd = request["cmd_id"]
                self.requests.append((time.monotonic(), cmd, request))
                reply = {"cmd_id": cmd + 1, "seq_id": request["seq_id"], "trace": request["trace"]}
                reply |= {"ret": 200, "msg": "ok", "data": {}}
                if cmd == 22004:
                    codes = [i["code"] for i in request["data"]["symbol_list"]]
                    refused = [self.refuse[c] for c in codes if c in self.refuse]
                    if refused:
                        reply["ret"], reply["msg"] = refused[0]
                    else:
                        self.lists[index] = codes
                await ws.send(json.dumps(reply))
        except Exception:  # the test aborts sockets on purpose
            pass
        finally:
            pusher.cancel()

    async def _push(self, ws: ServerConnection, index: int) -> None:
        with contextlib.suppress(Exception):
            while True:
                await asyncio.sleep(self.tick_interval)
                while not self.inject.empty():
                    frame = self.inject.get_nowait()
                    await ws.send(frame)
                for code in [] if self.paused else list(self.lists[index]):
                    if ws in self._dropping:
                        return
                    self._seq[code] += 1
                    seq = self._seq[code]
                    await ws.send(json.dumps(good_trade(code, seq)))
                    self.sent[code].append(seq)


def good_trade(code: str, seq: int, price: str = "100.5") -> dict[str, Any]:
    return {
        "cmd_id": 22998,
        "data": {
            "code": code,
            "seq": seq,
            "tick_time": 1_772_416_800_000 + seq,
            "price": price,
            "volume": "100",
            "trade_direction": 1,
        },
    }
