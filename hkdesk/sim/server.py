"""The simulator's network face: the AllTick WebSocket protocol plus HTTP, on one loopback port.

``/quote-stock-b-ws-api?token=…`` speaks the AllTick stock protocol (heartbeat, replace-style
trade and depth subscriptions, cancel, one tick per push frame) and enforces the service's
rules: symbols per list and connections per token by plan, at least ``request_spacing``
seconds between two requests on a socket (else ret 606 and close), a heartbeat at least every
``heartbeat_timeout`` seconds (else close). With a ``token`` set, a handshake with another
token is refused with HTTP 401.

Plain HTTP on the same port (through websockets' ``process_request`` hook): AllTick's
``/quote-stock-b-api/kline`` and ``/quote-stock-b-api/trade-tick``, and a control API for
tests under ``/_sim/`` (status, faults, sent-tick ledger), mirrored by methods on
:class:`SimServer`. Control requests are ``GET`` (or body-less ``POST``) with query parameters,
because websockets' HTTP parser accepts no request body.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import itertools
import logging
import random
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from hkdesk.domain.sessions import phase_at
from hkdesk.sim import http_api, wire
from hkdesk.sim.clock import DemoClock, SimClock
from hkdesk.sim.faults import Faults, garbage_frame
from hkdesk.sim.ledger import TickLedger
from hkdesk.sim.model import MarketModel, SimTrade

log = logging.getLogger(__name__)

WS_PATH = "/quote-stock-b-ws-api"
HTTP_PREFIX = "/quote-stock-b-api"
CONTROL_PREFIX = "/_sim"

PLAN_SYMBOL_LIMITS = {"free": 5, "basic": 100, "premium": 200, "professional": 3000}
PLAN_CONNECTION_LIMITS = {"free": 1, "basic": 1, "premium": 3, "professional": 10}
PLANS = tuple(PLAN_SYMBOL_LIMITS)

#: Close codes used when the server ends a connection on purpose.
CLOSE_POLICY = 1008
CLOSE_NORMAL = 1000

_BATCH = 2048

# (payload, is_binary, symbol of a trade tick or None, seq)
_Item = tuple[bytes, bool, str | None, int]


def _frame(payload: bytes, binary: bool) -> bytes:
    """One unfragmented, unmasked WebSocket frame (RFC 6455 section 5.2)."""
    head = 0x82 if binary else 0x81
    n = len(payload)
    if n < 126:
        return bytes((head, n)) + payload
    if n < 0x10000:
        return bytes((head, 126)) + n.to_bytes(2, "big") + payload
    return bytes((head, 127)) + n.to_bytes(8, "big") + payload


@dataclass(eq=False)
class _Client:
    id: int
    ws: ServerConnection
    token: str
    opened_at: float
    ledger: TickLedger = field(default_factory=TickLedger)
    trades: list[str] = field(default_factory=list)
    depth: dict[str, int] = field(default_factory=dict)
    last_request: float | None = None
    last_heartbeat: float = 0.0
    queue: deque[_Item] = field(default_factory=deque)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    dropping: bool = False
    garbage_acc: float = 0.0
    frames_sent: int = 0
    backlog_dropped: int = 0
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)


class SimServer:
    """The simulator server. Use ``async with SimServer(...) as server:`` or ``start()``/``stop()``.

    All timings are seconds and constructor parameters, so tests run them in milliseconds.
    """

    def __init__(
        self,
        model: MarketModel | None = None,
        *,
        clock: SimClock | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        plan: str = "professional",
        request_spacing: float = 1.0,
        heartbeat_timeout: float = 30.0,
        cycle_interval: float = 0.02,
        max_backlog: int = 200_000,
        drop_drain_timeout: float = 1.0,
        faults: Faults | None = None,
        seed: int = 0,
    ) -> None:
        if plan not in PLAN_SYMBOL_LIMITS:
            raise ValueError(f"unknown plan {plan!r}; choose one of {', '.join(PLANS)}")
        self.model = model or MarketModel(seed=seed)
        self.clock: SimClock = clock or DemoClock()
        self.host = host
        self._port = port
        self.token = token
        self.plan = plan
        self.request_spacing = request_spacing
        self.heartbeat_timeout = heartbeat_timeout
        self.cycle_interval = cycle_interval
        self.max_backlog = max_backlog
        self.drop_drain_timeout = drop_drain_timeout
        self.faults = faults or Faults()
        self.sent_ticks = TickLedger()
        self.connection_ledgers: dict[int, TickLedger] = {}
        self.rejected_handshakes = 0
        self.drops = 0
        #: Burst trades not generated because every subscriber's backlog was full.
        self.burst_withheld = 0
        self._clients: dict[int, _Client] = {}
        self._trade_subs: dict[str, set[_Client]] = {}
        self._depth_subs: dict[str, dict[_Client, int]] = {}
        self._ids = itertools.count(1)
        self._garbage_rnd = random.Random(seed + 17)
        self._burst_acc = 0.0
        self._server: Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next_cycle: asyncio.TimerHandle | None = None
        self._running = False
        self._last_cycle = 0.0
        self._drop_every_seen = 0.0

    # ------------------------------------------------------------------ lifecycle

    @property
    def symbol_limit(self) -> int:
        return PLAN_SYMBOL_LIMITS[self.plan]

    @property
    def connection_limit(self) -> int:
        return PLAN_CONNECTION_LIMITS[self.plan]

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("server not started")
        return self._server.sockets[0].getsockname()[1]

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def ws_url(self) -> str:
        """WebSocket URL without a token."""
        return f"ws://{self.base_url}{WS_PATH}"

    @property
    def http_url(self) -> str:
        """Base of the AllTick HTTP API (append ``/kline`` or ``/trade-tick``)."""
        return f"http://{self.base_url}{HTTP_PREFIX}"

    @property
    def control_url(self) -> str:
        return f"http://{self.base_url}{CONTROL_PREFIX}"

    async def start(self) -> None:
        self.model.advance(self.clock.now())
        self._server = await serve(
            self._handle,
            self.host,
            self._port,
            process_request=self._process_request,
            compression=None,
            ping_interval=None,
            max_size=64 * 1024,
        )
        self._loop = asyncio.get_running_loop()
        self._last_cycle = self._loop.time()
        self._running = True
        self._schedule_cycle()
        log.info("simulator listening on %s", self.ws_url)

    async def stop(self) -> None:
        self._running = False
        if self._next_cycle is not None:
            self._next_cycle.cancel()
            self._next_cycle = None
        tasks = [t for c in self._clients.values() for t in c.tasks]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        # Let connection callbacks scheduled by the close run now, while the loop is running.
        await asyncio.sleep(0.01)

    async def __aenter__(self) -> SimServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def serve_forever(self) -> None:
        assert self._server is not None
        await self._server.serve_forever()

    # ------------------------------------------------------------------ controls

    def fault(self, spec: str) -> None:
        """Apply a fault spec such as ``"drop-every=5"`` (see :mod:`hkdesk.sim.faults`)."""
        name = self.faults.apply(spec, time.monotonic())
        if name in ("drop-every", "clear"):
            self._reschedule_drops()
        if name in ("stall", "clear") and not self.faults.stalled(time.monotonic()):
            self._after_stall()

    def clear_faults(self) -> None:
        self.fault("clear")

    def set_rate(self, ticks_per_second: float) -> None:
        self.fault(f"burst={ticks_per_second}")

    def set_speed(self, speed: float) -> None:
        if not isinstance(self.clock, DemoClock):
            raise ValueError("only the demo clock has a speed")
        self.clock.set_speed(speed)

    def drop_all(self) -> None:
        """Abort every connection now (TCP abort, no close frame)."""
        for client in list(self._clients.values()):
            client.tasks.append(asyncio.create_task(self._drop(client)))

    def reset_sent(self) -> None:
        self.sent_ticks.clear()
        self.connection_ledgers.clear()
        for client in self._clients.values():
            client.ledger.clear()
            self.connection_ledgers[client.id] = client.ledger

    def status(self) -> dict[str, Any]:
        now = self.clock.now()
        mono = time.monotonic()
        return {
            "now": now.isoformat(),
            "phase": phase_at(now).value,
            "day": self.model.day.isoformat() if self.model.day else None,
            "clock": repr(self.clock),
            "plan": self.plan,
            "token_required": self.token is not None,
            "symbol_limit": self.symbol_limit,
            "connection_limit": self.connection_limit,
            "request_spacing": self.request_spacing,
            "heartbeat_timeout": self.heartbeat_timeout,
            "faults": self.faults.describe(mono),
            "connections": [
                {
                    "id": c.id,
                    "trades": list(c.trades),
                    "depth": dict(c.depth),
                    "queued": len(c.queue),
                    "frames_sent": c.frames_sent,
                    "ticks_sent": c.ledger.count(),
                    "backlog_dropped": c.backlog_dropped,
                }
                for c in self._clients.values()
            ],
            "ticks_sent": self.sent_ticks.count(),
            "rejected_handshakes": self.rejected_handshakes,
            "drops": self.drops,
            "burst_withheld": self.burst_withheld,
            "vcm": [
                {"symbol": v.symbol, "start_ms": v.start_ms, "end_ms": v.end_ms}
                for v in self.model.vcm_active(now)
            ],
        }

    def sent_summary(self, connection: int | None = None, with_seqs: bool = False) -> dict[str, Any]:
        ledger = self.sent_ticks if connection is None else self.connection_ledgers.get(connection)
        if ledger is None:
            return {"total": 0, "symbols": {}}
        return {"total": ledger.count(), "symbols": ledger.summary(with_seqs)}

    # ------------------------------------------------------------------ HTTP

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        url = urlsplit(request.path)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        path = url.path.rstrip("/") or "/"
        if path == WS_PATH:
            if self.faults.take_reject() or not self._token_ok(query.get("token")):
                self.rejected_handshakes += 1
                return self._json(connection, http.HTTPStatus.UNAUTHORIZED, http_api.token_refused())
            if request.headers.get("Upgrade", "").lower() != "websocket":
                return connection.respond(http.HTTPStatus.UPGRADE_REQUIRED, "WebSocket endpoint\n")
            return None
        if path.startswith(HTTP_PREFIX + "/"):
            if not self._token_ok(query.get("token")):
                return self._json(connection, http.HTTPStatus.OK, http_api.token_refused())
            endpoint = path[len(HTTP_PREFIX) + 1 :]
            if endpoint == "kline":
                return self._json(
                    connection, http.HTTPStatus.OK, http_api.kline(self.model, query.get("query"))
                )
            if endpoint == "trade-tick":
                body = http_api.trade_tick(self.model, query.get("query"), self.symbol_limit)
                return self._json(connection, http.HTTPStatus.OK, body)
        if path.startswith(CONTROL_PREFIX + "/"):
            return self._control(connection, path[len(CONTROL_PREFIX) + 1 :], query)
        return connection.respond(http.HTTPStatus.NOT_FOUND, "not found\n")

    def _token_ok(self, token: str | None) -> bool:
        return self.token is None or token == self.token

    @staticmethod
    def _json(connection: ServerConnection, status: http.HTTPStatus, body: bytes) -> Response:
        headers = Headers(
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Connection", "close"),
            ]
        )
        return Response(status.value, status.phrase, headers, body)

    def _control(self, connection: ServerConnection, name: str, query: dict[str, str]) -> Response:
        try:
            if name == "status":
                body: Any = self.status()
            elif name == "fault":
                specs = [f"{k}={v}" if v else k for k, v in query.items()]
                for spec in specs:
                    self.fault(spec)
                body = {"ok": True, "applied": specs, "faults": self.faults.describe(time.monotonic())}
            elif name == "sent":
                conn = query.get("connection")
                body = self.sent_summary(int(conn) if conn else None, query.get("seqs") in ("1", "true"))
            elif name == "sent/reset":
                self.reset_sent()
                body = {"ok": True}
            elif name == "drop":
                self.drop_all()
                body = {"ok": True}
            elif name == "speed":
                self.set_speed(float(query.get("x", "")))
                body = {"ok": True}
            else:
                return connection.respond(http.HTTPStatus.NOT_FOUND, f"no control {name!r}\n")
        except (ValueError, TypeError) as exc:
            err = wire.encode_json({"ok": False, "error": str(exc)})
            return self._json(connection, http.HTTPStatus.BAD_REQUEST, err)
        return self._json(connection, http.HTTPStatus.OK, wire.encode_json(body))

    # ------------------------------------------------------------------ WebSocket

    async def _handle(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        query = parse_qs(urlsplit(ws.request.path).query)
        token = (query.get("token") or [""])[-1]
        now = time.monotonic()
        client = _Client(next(self._ids), ws, token, now, last_heartbeat=now)
        same_token = sum(1 for c in self._clients.values() if c.token == token)
        if same_token >= self.connection_limit:
            reason = f"connection limit of plan {self.plan} reached ({self.connection_limit} per token)"
            with contextlib.suppress(ConnectionClosed):
                await ws.send(wire.encode_reply(0, status=wire.TOKEN_LEVEL, msg=reason), text=True)
                await ws.close(CLOSE_POLICY, "too many connections")
            return
        self._clients[client.id] = client
        self.connection_ledgers[client.id] = client.ledger
        client.tasks.append(asyncio.create_task(self._sender(client), name=f"sim-send-{client.id}"))
        if self.faults.drop_every > 0:
            self._start_drop_timer(client, self.faults.drop_every)
        try:
            async for raw in ws:
                await self._on_frame(client, raw)
        except ConnectionClosed:
            pass
        finally:
            self._forget(client)

    def _forget(self, client: _Client) -> None:
        self._clients.pop(client.id, None)
        self._set_trades(client, [])
        self._set_depth(client, {})
        client.queue.clear()
        current = asyncio.current_task()
        for task in client.tasks:
            if task is not current:
                task.cancel()

    async def _on_frame(self, client: _Client, raw: str | bytes) -> None:
        now = time.monotonic()
        if self.faults.stalled(now) or client.dropping:
            return
        if client.last_request is not None and now - client.last_request < self.request_spacing:
            cmd, seq_id, trace = wire.peek_ids(raw)
            reply = wire.encode_reply(wire.REPLY_FOR.get(cmd, 0), seq_id, trace, wire.TOO_MANY_CLOSE)
            with contextlib.suppress(ConnectionClosed):
                await client.ws.send(reply, text=True)
                await client.ws.close(CLOSE_POLICY, "too many requests")
            return
        client.last_request = now
        if isinstance(raw, bytes):
            self._reply(client, wire.encode_reply(0, status=wire.HEADER_INVALID))
            return
        try:
            req = wire.parse_request(raw)
        except wire.RequestError:
            self._reply(client, wire.encode_reply(0, status=wire.HEADER_INVALID))
            return
        reply_cmd = wire.REPLY_FOR.get(req.cmd_id)
        if reply_cmd is None:
            self._reply(client, wire.encode_reply(0, req.seq_id, req.trace, wire.HEADER_INVALID))
            return
        if req.cmd_id == wire.HEARTBEAT:
            client.last_heartbeat = now
            self._reply(client, wire.encode_reply(reply_cmd, req.seq_id, req.trace))
        elif req.cmd_id == wire.SUB_TRADES:
            self._subscribe(client, req, depth=False)
        elif req.cmd_id == wire.SUB_DEPTH:
            self._subscribe(client, req, depth=True)
        else:
            self._cancel(client, req)

    def _reply(self, client: _Client, frame: bytes) -> None:
        client.queue.append((frame, False, None, 0))
        client.wake.set()

    def _subscribe(self, client: _Client, req: wire.Request, depth: bool) -> None:
        reply_cmd = wire.SUB_DEPTH_REPLY if depth else wire.SUB_TRADES_REPLY
        items = req.data.get("symbol_list")
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("code"), str) for i in items
        ):
            self._reply(client, wire.encode_reply(reply_cmd, req.seq_id, req.trace, wire.DATA_INVALID))
            return
        wanted: dict[str, int] = {}
        for item in items[: self.symbol_limit]:
            level = item.get("depth_level", 1)
            if not isinstance(level, int) or isinstance(level, bool):
                level = 1
            wanted.setdefault(item["code"], min(max(level, 1), 10))
        valid = {
            c: lv for c, lv in wanted.items() if self.model.has(c) and c not in self.faults.reject_symbols
        }
        invalid = [c for c in wanted if c not in valid]
        if depth:
            self._set_depth(client, valid)
        else:
            self._set_trades(client, list(valid))
        if invalid:
            msg = f"code invalid: {', '.join(invalid)}"
            self._reply(client, wire.encode_reply(reply_cmd, req.seq_id, req.trace, wire.CODE_INVALID, msg))
        else:
            self._reply(client, wire.encode_reply(reply_cmd, req.seq_id, req.trace))
        if depth:
            now = self.clock.now()
            for code, levels in valid.items():
                book = self.model.current_book(code, levels, now)
                if book is not None:
                    client.queue.append((wire.encode_book(book, levels), False, None, 0))
            client.wake.set()

    def _cancel(self, client: _Client, req: wire.Request) -> None:
        kind = req.data.get("cancel_type")
        if kind not in (0, 1, 2) or isinstance(kind, bool):
            self._reply(
                client, wire.encode_reply(wire.CANCEL_REPLY, req.seq_id, req.trace, wire.DATA_INVALID)
            )
            return
        if kind in (0, 1):
            self._set_depth(client, {})
        if kind in (0, 2):
            self._set_trades(client, [])
        self._reply(client, wire.encode_reply(wire.CANCEL_REPLY, req.seq_id, req.trace))

    def _set_trades(self, client: _Client, codes: list[str]) -> None:
        for code in client.trades:
            subs = self._trade_subs.get(code)
            if subs is not None:
                subs.discard(client)
                if not subs:
                    del self._trade_subs[code]
        client.trades = codes
        for code in codes:
            self._trade_subs.setdefault(code, set()).add(client)
        keep = set(codes)
        if any(sym is not None and sym not in keep for _, _, sym, _ in client.queue):
            client.queue = deque(item for item in client.queue if item[2] is None or item[2] in keep)

    def _set_depth(self, client: _Client, levels: dict[str, int]) -> None:
        for code in client.depth:
            subs = self._depth_subs.get(code)
            if subs is not None:
                subs.pop(client, None)
                if not subs:
                    del self._depth_subs[code]
        client.depth = dict(levels)
        for code, level in levels.items():
            self._depth_subs.setdefault(code, {})[client] = level

    # ------------------------------------------------------------------ market driver

    def _schedule_cycle(self) -> None:
        assert self._loop is not None
        self._next_cycle = self._loop.call_later(self.cycle_interval, self._on_cycle)

    def _on_cycle(self) -> None:
        """Timer callback (not a task): advance the market and hand frames to the senders."""
        assert self._loop is not None
        now = self._loop.time()
        dt, self._last_cycle = now - self._last_cycle, now
        try:
            self._cycle(dt)
        except Exception:
            log.exception("simulator cycle failed; continuing")
        if self._running:
            self._schedule_cycle()

    def _cycle(self, dt: float) -> None:
        mono = time.monotonic()
        exchange_now = self.clock.now()
        trades = self.model.advance(exchange_now)
        subscribed = self._trade_subs.keys() | self._depth_subs.keys()
        if self.faults.burst_rate > 0 and subscribed and phase_at(exchange_now).is_continuous:
            self._burst_acc += self.faults.burst_rate * dt
            count = int(self._burst_acc)
            self._burst_acc -= count
            room = self._burst_room()
            if count > room:
                self.burst_withheld += count - room
                count = room
            trades += self.model.burst(count, sorted(subscribed), exchange_now)
        stalled = self.faults.stalled(mono)
        if not stalled:
            self._dispatch(trades)
            if self.faults.garbage_rate > 0:
                self._add_garbage(dt)
            self._check_heartbeats(mono)
        for client in self._clients.values():
            if client.queue:
                client.wake.set()

    def _burst_room(self) -> int:
        """Burst trades the least backlogged trade subscriber can still queue.

        A burst above what every client can take would only be generated to be dropped, and the
        generating would starve the sending: the load generator's output would collapse instead
        of levelling off at what the fastest client reads.
        """
        queued = [len(c.queue) for subs in self._trade_subs.values() for c in subs if not c.dropping]
        return max(0, self.max_backlog - min(queued)) if queued else self.max_backlog

    def _dispatch(self, trades: Iterable[SimTrade]) -> None:
        trade_subs = self._trade_subs
        depth_subs = self._depth_subs
        if not trade_subs and not depth_subs:
            return
        max_backlog = self.max_backlog
        for trade in trades:
            symbol = trade.symbol
            tsubs = trade_subs.get(symbol)
            dsubs = depth_subs.get(symbol)
            if dsubs:
                book = self.model.book(trade)
                if book is not None:
                    frames: dict[int, bytes] = {}
                    for client, levels in dsubs.items():
                        if client.dropping:
                            continue
                        frame = frames.get(levels)
                        if frame is None:
                            frame = frames[levels] = wire.encode_book(book, levels)
                        client.queue.append((frame, False, None, 0))
            if tsubs:
                frame = wire.encode_trade(trade)
                item = (frame, False, symbol, trade.seq)
                for client in tsubs:
                    if client.dropping:
                        continue
                    if len(client.queue) >= max_backlog:
                        client.backlog_dropped += 1
                        continue
                    client.queue.append(item)

    def _add_garbage(self, dt: float) -> None:
        for client in self._clients.values():
            if client.dropping:
                continue
            client.garbage_acc += self.faults.garbage_rate * dt
            while client.garbage_acc >= 1.0:
                client.garbage_acc -= 1.0
                payload, binary, _ = garbage_frame(self._garbage_rnd)
                client.queue.append((payload, binary, None, 0))

    def _check_heartbeats(self, mono: float) -> None:
        for client in list(self._clients.values()):
            if not client.dropping and mono - client.last_heartbeat > self.heartbeat_timeout:
                client.dropping = True
                client.queue.clear()
                client.tasks.append(
                    asyncio.create_task(self._close(client, CLOSE_NORMAL, "heartbeat timeout"))
                )

    def _after_stall(self) -> None:
        """A stall ends: clients get a fresh heartbeat allowance (the server was not listening)."""
        mono = time.monotonic()
        for client in self._clients.values():
            client.last_heartbeat = mono

    async def _close(self, client: _Client, code: int, reason: str) -> None:
        with contextlib.suppress(ConnectionClosed):
            await client.ws.close(code, reason)

    # ------------------------------------------------------------------ sending

    async def _sender(self, client: _Client) -> None:
        ws = client.ws
        with contextlib.suppress(ConnectionClosed):
            while True:
                await client.wake.wait()
                client.wake.clear()
                while client.queue and not client.dropping:
                    if self.faults.stalled(time.monotonic()):
                        await asyncio.sleep(min(self.cycle_interval, 0.05))
                        continue
                    if self.faults.slow > 0:
                        item = client.queue.popleft()
                        await self._send_one(ws, item)
                        self._sent(client, item)
                        await asyncio.sleep(self.faults.slow)
                        continue
                    batch = [client.queue.popleft() for _ in range(min(len(client.queue), _BATCH))]
                    await self._send_batch(ws, batch)
                    for item in batch:
                        self._sent(client, item)

    @staticmethod
    async def _send_one(ws: ServerConnection, item: _Item) -> None:
        payload, binary = item[0], item[1]
        await ws.send(payload, text=not binary)

    @staticmethod
    async def _send_batch(ws: ServerConnection, batch: list[_Item]) -> None:
        """Frame a batch and write it to the transport in one go (one syscall, not one per tick).

        The frames are built here rather than by the protocol object: a server's frames are not
        masked and this server negotiates no extension, so a frame is a 2-10 byte header and the
        payload; websockets' general framing cost as much as encoding the tick.
        """
        async with ws.send_context():
            ws.transport.write(b"".join([_frame(payload, binary) for payload, binary, _, _ in batch]))

    def _sent(self, client: _Client, item: _Item) -> None:
        client.frames_sent += 1
        symbol = item[2]
        if symbol is not None:
            client.ledger.record(symbol, item[3])
            self.sent_ticks.record(symbol, item[3])

    # ------------------------------------------------------------------ drops

    def _reschedule_drops(self) -> None:
        every = self.faults.drop_every
        for client in self._clients.values():
            for task in [t for t in client.tasks if t.get_name().startswith("sim-drop")]:
                task.cancel()
                client.tasks.remove(task)
            if every > 0:
                self._start_drop_timer(client, every)

    def _start_drop_timer(self, client: _Client, delay: float) -> None:
        task = asyncio.create_task(self._drop_after(client, delay), name=f"sim-drop-{client.id}")
        client.tasks.append(task)

    async def _drop_after(self, client: _Client, delay: float) -> None:
        await asyncio.sleep(delay)
        await self._drop(client)

    async def _drop(self, client: _Client) -> None:
        """Abort the TCP connection without a close frame, once what was written has left."""
        if client.dropping:
            return
        client.dropping = True
        client.queue.clear()
        transport = client.ws.transport
        deadline = time.monotonic() + self.drop_drain_timeout
        while transport.get_write_buffer_size() and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        if transport.get_write_buffer_size():
            log.warning("connection %d dropped with unsent data; its ledger may overcount", client.id)
        self.drops += 1
        transport.abort()
