"""The AllTick WebSocket session rules: accepting connections, parsing requests, replying.

Enforces what the real service documents: connections per token by plan (one more is answered
606 and closed), symbols per list by plan (extras silently dropped), replace-style trade and
depth subscriptions, codes it does not know answered 600 while the rest are subscribed, and the
1 s rule for subscription requests, read as AllTick's own examples need it:

* a heartbeat next to a subscription is fine (the Java example sends both at once);
* a second subscription of another type within ``request_spacing`` is refused with 605 and
  not applied, the connection stays (the Go example sends 22002 and 22004 together);
* the same request twice within ``request_spacing`` (a heartbeat or a subscription type) is a
  frequency violation: ret 606, then the close.

The ``strict-spacing`` fault applies the strict reading instead (any two requests closer than
the spacing: 606 and close), so a client's own spacing stays tested. Whatever ends a connection,
every reply and push queued before it is delivered first, in order. The subscription indexes
built here (``_trade_subs``, ``_depth_subs``) are what the market cycle dispatches ticks through.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import deque
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from hkdesk.sim import wire
from hkdesk.sim.clock import SimClock
from hkdesk.sim.connection import CLOSE_POLICY, Client
from hkdesk.sim.faults import Faults
from hkdesk.sim.ledger import TickLedger
from hkdesk.sim.model import MarketModel

PLAN_SYMBOL_LIMITS = {"free": 5, "basic": 100, "premium": 200, "professional": 3000}
PLAN_CONNECTION_LIMITS = {"free": 1, "basic": 1, "premium": 3, "professional": 10}
PLANS = tuple(PLAN_SYMBOL_LIMITS)


class Sessions:
    """WebSocket connection handling and the request protocol; a part of :class:`SimServer`.

    Starts each connection's sender task and drop timer from :class:`~hkdesk.sim.connection.Sending`.
    """

    model: MarketModel
    clock: SimClock
    faults: Faults
    plan: str
    request_spacing: float
    connection_ledgers: dict[int, TickLedger]
    _clients: dict[int, Client]
    _trade_subs: dict[str, set[Client]]
    _depth_subs: dict[str, dict[Client, int]]
    _ids: itertools.count[int]

    @property
    def symbol_limit(self) -> int:
        return PLAN_SYMBOL_LIMITS[self.plan]

    @property
    def connection_limit(self) -> int:
        return PLAN_CONNECTION_LIMITS[self.plan]

    async def _handle(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        query = parse_qs(urlsplit(ws.request.path).query)
        token = (query.get("token") or [""])[-1]
        now = time.monotonic()
        client = Client(next(self._ids), ws, token, now, last_heartbeat=now)
        same_token = sum(1 for c in self._clients.values() if c.token == token)
        if same_token >= self.connection_limit:
            with contextlib.suppress(ConnectionClosed):
                await ws.send(wire.encode_reply(0, status=wire.TOO_MANY_CLOSE), text=True)
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

    def _forget(self, client: Client) -> None:
        self._clients.pop(client.id, None)
        self._set_trades(client, [])
        self._set_depth(client, {})
        client.queue.clear()
        current = asyncio.current_task()
        for task in client.tasks:
            if task is not current:
                task.cancel()

    async def _on_frame(self, client: Client, raw: str | bytes) -> None:
        now = time.monotonic()
        if self.faults.stalled(now) or client.muted:
            return
        strict = self.faults.strict_spacing
        if strict and client.last_request is not None and now - client.last_request < self.request_spacing:
            self._violation(client, raw)
            return
        if strict:
            client.last_request = now
        try:
            if isinstance(raw, bytes):
                raise wire.RequestError("binary frame")
            req = wire.parse_request(raw)
        except wire.RequestError:
            self._reply(client, wire.encode_reply(0, status=wire.HEADER_INVALID))
            return
        reply_cmd = wire.REPLY_FOR.get(req.cmd_id)
        if reply_cmd is None:
            self._reply(client, wire.encode_reply(0, req.seq_id, req.trace, wire.HEADER_INVALID))
            return
        if not strict:
            verdict = self._spacing(client, req.cmd_id, now)
            if verdict is wire.TOO_MANY_CLOSE:
                self._violation(client, raw)
                return
            if verdict is wire.TOO_MANY:
                self._reply(client, wire.encode_reply(reply_cmd, req.seq_id, req.trace, wire.TOO_MANY))
                return
            client.last_request = now
            client.last_by_cmd[req.cmd_id] = now
            if req.cmd_id != wire.HEARTBEAT:
                client.last_subscription = now
        if req.cmd_id == wire.HEARTBEAT:
            client.last_heartbeat = now
            self._reply(client, wire.encode_reply(reply_cmd, req.seq_id, req.trace))
        elif req.cmd_id == wire.SUB_TRADES:
            self._subscribe(client, req, depth=False)
        elif req.cmd_id == wire.SUB_DEPTH:
            self._subscribe(client, req, depth=True)
        else:
            self._cancel(client, req)

    def _spacing(self, client: Client, cmd: int, now: float) -> tuple[int, str] | None:
        """The lenient 1 s rule: 606 for a repeat, 605 for another subscription type, else None."""
        spacing = self.request_spacing
        same = client.last_by_cmd.get(cmd)
        if same is not None and now - same < spacing:
            return wire.TOO_MANY_CLOSE
        other = client.last_subscription
        if cmd != wire.HEARTBEAT and other is not None and now - other < spacing:
            return wire.TOO_MANY
        return None

    def _violation(self, client: Client, raw: str | bytes) -> None:
        """Answer the offending request with 606 behind what is queued, then close."""
        cmd, seq_id, trace = wire.peek_ids(raw)
        reply = wire.encode_reply(wire.REPLY_FOR.get(cmd, 0), seq_id, trace, wire.TOO_MANY_CLOSE)
        self._end_after_queue(client, reply, CLOSE_POLICY, "too many requests")

    def _reply(self, client: Client, frame: bytes) -> None:
        client.queue.append((frame, False, None, 0))
        client.wake.set()

    def _subscribe(self, client: Client, req: wire.Request, depth: bool) -> None:
        reply_cmd = wire.SUB_DEPTH_REPLY if depth else wire.SUB_TRADES_REPLY
        data = req.data if isinstance(req.data, dict) else {}
        items = data.get("symbol_list")
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
            # A code refused by the reject-symbol fault is named, so a test sees which one it hit.
            named = [c for c in invalid if c in self.faults.reject_symbols]
            msg = f"{wire.CODE_INVALID[1]}: {', '.join(named)}" if named else None
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

    def _cancel(self, client: Client, req: wire.Request) -> None:
        kind = req.data.get("cancel_type") if isinstance(req.data, dict) else None
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

    def _set_trades(self, client: Client, codes: list[str]) -> None:
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

    def _set_depth(self, client: Client, levels: dict[str, int]) -> None:
        for code in client.depth:
            subs = self._depth_subs.get(code)
            if subs is not None:
                subs.pop(client, None)
                if not subs:
                    del self._depth_subs[code]
        client.depth = dict(levels)
        for code, level in levels.items():
            self._depth_subs.setdefault(code, {})[client] = level
