"""The simulator's network face: the AllTick WebSocket protocol plus HTTP, on one loopback port.

``/quote-stock-b-ws-api?token=…`` speaks the AllTick stock protocol (heartbeat, replace-style
trade and depth subscriptions, cancel, one tick per push frame) and enforces the service's
rules: symbols per list and connections per token by plan, at least ``request_spacing``
seconds between two requests on a socket (else ret 606 and close), a heartbeat at least every
``heartbeat_timeout`` seconds (else close). With a ``token`` set, a handshake with another
token is refused with HTTP 401.

Plain HTTP on the same port: AllTick's HTTP API (``kline``, ``batch-kline``, ``trade-tick``,
``depth-tick``, ``static_info``) with the plan's limits, and a control API for tests under
``/_sim/``, mirrored by methods on :class:`SimServer` (see :mod:`hkdesk.sim.control`).

:class:`SimServer` is assembled from one part per job: :mod:`hkdesk.sim.control` (control
methods and HTTP routing), :mod:`hkdesk.sim.sessions` (WebSocket requests and plan limits) and
:mod:`hkdesk.sim.connection` (per-connection queues, sending, drops). This module keeps the
lifecycle and the market cycle that turns the model's trades into queued frames.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import time
from collections.abc import Iterable

from websockets.asyncio.server import Server, serve

from hkdesk.domain.sessions import phase_at
from hkdesk.domain.simulator_mark import SIMULATOR_SERVER
from hkdesk.sim import wire
from hkdesk.sim.clock import DemoClock, SimClock
from hkdesk.sim.connection import CLOSE_NORMAL, CLOSE_POLICY, Client, Sending
from hkdesk.sim.control import CONTROL_PREFIX, HTTP_PREFIX, WS_PATH, Controls
from hkdesk.sim.faults import Faults, garbage_frame
from hkdesk.sim.http_api import HttpApi
from hkdesk.sim.http_front import connection_class
from hkdesk.sim.http_limits import HttpLimits
from hkdesk.sim.ledger import TickLedger
from hkdesk.sim.model import MarketModel
from hkdesk.sim.records import SimTrade
from hkdesk.sim.sessions import PLAN_CONNECTION_LIMITS, PLAN_SYMBOL_LIMITS, PLANS, Sessions

__all__ = [
    "CLOSE_NORMAL",
    "CLOSE_POLICY",
    "CONTROL_PREFIX",
    "HTTP_PREFIX",
    "PLANS",
    "PLAN_CONNECTION_LIMITS",
    "PLAN_SYMBOL_LIMITS",
    "WS_PATH",
    "SimServer",
]

log = logging.getLogger(__name__)


class SimServer(Controls, Sessions, Sending):
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
        http_window_scale: float = 1.0,
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
        self.http_api = HttpApi(self.model, HttpLimits(plan, http_window_scale))
        self.sent_ticks = TickLedger()
        self.connection_ledgers: dict[int, TickLedger] = {}
        self.rejected_handshakes = 0
        self.drops = 0
        #: Burst trades not generated because every subscriber's backlog was full.
        self.burst_withheld = 0
        self._clients: dict[int, Client] = {}
        self._trade_subs: dict[str, set[Client]] = {}
        self._depth_subs: dict[str, dict[Client, int]] = {}
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
            create_connection=connection_class(self._route_http, self._http_error),
            compression=None,
            ping_interval=None,
            max_size=64 * 1024,
            server_header=SIMULATOR_SERVER,
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
        queued = [len(c.queue) for subs in self._trade_subs.values() for c in subs if not c.muted]
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
                        if client.muted:
                            continue
                        frame = frames.get(levels)
                        if frame is None:
                            frame = frames[levels] = wire.encode_book(book, levels)
                        client.queue.append((frame, False, None, 0))
            if tsubs:
                frame = wire.encode_trade(trade)
                item = (frame, False, symbol, trade.seq)
                for client in tsubs:
                    if client.muted:
                        continue
                    if len(client.queue) >= max_backlog:
                        client.backlog_dropped += 1
                        continue
                    client.queue.append(item)

    def _add_garbage(self, dt: float) -> None:
        for client in self._clients.values():
            if client.muted:
                continue
            client.garbage_acc += self.faults.garbage_rate * dt
            while client.garbage_acc >= 1.0:
                client.garbage_acc -= 1.0
                payload, binary, _ = garbage_frame(self._garbage_rnd)
                client.queue.append((payload, binary, None, 0))

    def _check_heartbeats(self, mono: float) -> None:
        for client in list(self._clients.values()):
            if not client.muted and mono - client.last_heartbeat > self.heartbeat_timeout:
                client.dropping = client.muted = True
                client.queue.clear()
                client.tasks.append(
                    asyncio.create_task(self._close(client, CLOSE_NORMAL, "heartbeat timeout"))
                )

    def _after_stall(self) -> None:
        """A stall ends: clients get a fresh heartbeat allowance (the server was not listening)."""
        mono = time.monotonic()
        for client in self._clients.values():
            client.last_heartbeat = mono
