"""The simulator's control surface and its HTTP face.

Test controls (faults, rate, speed, drops, status, sent-tick ledger) are methods on
:class:`SimServer` and are mirrored under ``/_sim/`` on the WebSocket port, next to AllTick's
HTTP API (``/quote-stock-b-api/…``, :mod:`hkdesk.sim.http_api`). Plain HTTP requests are read
by the server's connections (:mod:`hkdesk.sim.http_front`) and routed here; WebSocket
handshakes go through websockets' ``process_request`` hook (token check, refusals). Control
requests are ``GET`` (or ``POST``) with query parameters. Every answer off the control API is
AllTick's JSON envelope, an unknown path included.
"""

from __future__ import annotations

import asyncio
import http
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from hkdesk.domain.sessions import phase_at
from hkdesk.sim import wire
from hkdesk.sim.clock import DemoClock, SimClock
from hkdesk.sim.connection import Client
from hkdesk.sim.faults import Faults
from hkdesk.sim.http_api import ENDPOINTS, HttpApi, envelope, token_refused
from hkdesk.sim.http_front import HttpAnswer, HttpRequest
from hkdesk.sim.ledger import TickLedger
from hkdesk.sim.model import MarketModel

WS_PATH = "/quote-stock-b-ws-api"
HTTP_PREFIX = "/quote-stock-b-api"
CONTROL_PREFIX = "/_sim"


class Controls:
    """Control methods and HTTP request routing; a part of :class:`SimServer`."""

    model: MarketModel
    clock: SimClock
    faults: Faults
    token: str | None
    plan: str
    symbol_limit: int
    connection_limit: int
    request_spacing: float
    heartbeat_timeout: float
    sent_ticks: TickLedger
    connection_ledgers: dict[int, TickLedger]
    rejected_handshakes: int
    drops: int
    burst_withheld: int
    http_api: HttpApi
    _clients: dict[int, Client]

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
            "date": now.date().isoformat(),
            "time": now.strftime("%H:%M:%S"),
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
        """The WebSocket handshake: the token, the ``reject-next`` fault, the path."""
        url = urlsplit(request.path)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if (url.path.rstrip("/") or "/") != WS_PATH:
            return self._json(
                http.HTTPStatus.NOT_FOUND, envelope((404, "not found"), msg=f"no such path: {url.path}")
            )
        if self.faults.take_reject() or not self._token_ok(query.get("token")):
            self.rejected_handshakes += 1
            return self._json(http.HTTPStatus.UNAUTHORIZED, token_refused())
        return None

    def _route_http(self, request: HttpRequest) -> HttpAnswer:
        """A plain HTTP request (not a WebSocket handshake)."""
        path, token = request.path, request.query.get("token")
        if path.startswith(HTTP_PREFIX + "/") and path[len(HTTP_PREFIX) + 1 :] in ENDPOINTS:
            if not self._token_ok(token):
                return HttpAnswer(200, token_refused())
            endpoint = path[len(HTTP_PREFIX) + 1 :]
            return HttpAnswer(
                200, self.http_api.answer(endpoint, token or "", request.query.get("query"), request.body)
            )
        if path.startswith(CONTROL_PREFIX + "/"):
            return self._control(path[len(CONTROL_PREFIX) + 1 :], request.query)
        if path == WS_PATH:
            if not self._token_ok(token):
                return HttpAnswer(401, token_refused())
            return HttpAnswer(426, envelope(wire.HEADER_INVALID, msg="a WebSocket endpoint: send an Upgrade"))
        return HttpAnswer(404, envelope((404, "not found"), msg=f"no such path: {path}"))

    @staticmethod
    def _http_error(status: int, reason: str) -> HttpAnswer:
        return HttpAnswer(status, envelope(wire.HEADER_INVALID, msg=reason))

    def _token_ok(self, token: str | None) -> bool:
        return self.token is None or token == self.token

    @staticmethod
    def _json(status: http.HTTPStatus, body: bytes) -> Response:
        headers = Headers(
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Connection", "close"),
            ]
        )
        return Response(status.value, status.phrase, headers, body)

    def _control(self, name: str, query: dict[str, str]) -> HttpAnswer:
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
                return HttpAnswer(404, wire.encode_json({"ok": False, "error": f"no control {name!r}"}))
        except (ValueError, TypeError) as exc:
            return HttpAnswer(400, wire.encode_json({"ok": False, "error": str(exc)}))
        return HttpAnswer(200, wire.encode_json(body))
