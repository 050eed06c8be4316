"""One simulator client connection: its state, and how queued frames reach its socket.

Every connection has a queue of ready-made payloads, filled by the market cycle and by request
replies, and a sender task that drains it in batches written to the transport at once. A frame
counts as sent (connection and server ledgers) once it is written. A connection the server ends
(a 606) is muted: nothing new is queued, what was queued before goes out in order, then the
close. Drops abort the TCP connection without a close frame, the way a network failure looks
to the client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from hkdesk.sim.faults import Faults
from hkdesk.sim.ledger import TickLedger

log = logging.getLogger(__name__)

#: Close codes used when the server ends a connection on purpose.
CLOSE_POLICY = 1008
CLOSE_NORMAL = 1000

BATCH = 2048

# (payload, is_binary, symbol of a trade tick or None, seq)
Item = tuple[bytes, bool, str | None, int]


def frame(payload: bytes, binary: bool) -> bytes:
    """One unfragmented, unmasked WebSocket frame (RFC 6455 section 5.2)."""
    head = 0x82 if binary else 0x81
    n = len(payload)
    if n < 126:
        return bytes((head, n)) + payload
    if n < 0x10000:
        return bytes((head, 126)) + n.to_bytes(2, "big") + payload
    return bytes((head, 127)) + n.to_bytes(8, "big") + payload


@dataclass(eq=False)
class Client:
    id: int
    ws: ServerConnection
    token: str
    opened_at: float
    ledger: TickLedger = field(default_factory=TickLedger)
    trades: list[str] = field(default_factory=list)
    depth: dict[str, int] = field(default_factory=dict)
    #: When the last request of each cmd_id, of any subscription type and of any kind was
    #: accepted (monotonic seconds), for the spacing rules.
    last_by_cmd: dict[int, float] = field(default_factory=dict)
    last_subscription: float | None = None
    last_request: float | None = None
    last_heartbeat: float = 0.0
    queue: deque[Item] = field(default_factory=deque)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    #: Nothing new is queued (the connection is being dropped or closed).
    muted: bool = False
    dropping: bool = False
    #: Close code and reason to send once the queue is drained.
    close_after: tuple[int, str] | None = None
    garbage_acc: float = 0.0
    frames_sent: int = 0
    backlog_dropped: int = 0
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)


class Sending:
    """Sender tasks, sent-tick recording, closes and drops; a part of :class:`SimServer`.

    A mixin rather than a helper object so the per-tick paths keep reading the server's state
    directly (no extra indirection per frame).
    """

    faults: Faults
    cycle_interval: float
    drop_drain_timeout: float
    sent_ticks: TickLedger
    drops: int
    _clients: dict[int, Client]

    async def _sender(self, client: Client) -> None:
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
                    batch = [client.queue.popleft() for _ in range(min(len(client.queue), BATCH))]
                    await self._send_batch(ws, batch)
                    for item in batch:
                        self._sent(client, item)
                if client.close_after is not None and not client.queue and not client.dropping:
                    await ws.close(*client.close_after)
                    return

    @staticmethod
    async def _send_one(ws: ServerConnection, item: Item) -> None:
        payload, binary = item[0], item[1]
        await ws.send(payload, text=not binary)

    @staticmethod
    async def _send_batch(ws: ServerConnection, batch: list[Item]) -> None:
        """Frame a batch and write it to the transport in one go (one syscall, not one per tick).

        The frames are built here rather than by the protocol object: a server's frames are not
        masked and this server negotiates no extension, so a frame is a 2-10 byte header and the
        payload; websockets' general framing cost as much as encoding the tick.
        """
        async with ws.send_context():
            ws.transport.write(b"".join([frame(payload, binary) for payload, binary, _, _ in batch]))

    def _sent(self, client: Client, item: Item) -> None:
        client.frames_sent += 1
        symbol = item[2]
        if symbol is not None:
            client.ledger.record(symbol, item[3])
            self.sent_ticks.record(symbol, item[3])

    async def _close(self, client: Client, code: int, reason: str) -> None:
        with contextlib.suppress(ConnectionClosed):
            await client.ws.close(code, reason)

    # ------------------------------------------------------------------ drops

    def _reschedule_drops(self) -> None:
        every = self.faults.drop_every
        for client in self._clients.values():
            for task in [t for t in client.tasks if t.get_name().startswith("sim-drop")]:
                task.cancel()
                client.tasks.remove(task)
            if every > 0:
                self._start_drop_timer(client, every)

    def _start_drop_timer(self, client: Client, delay: float) -> None:
        task = asyncio.create_task(self._drop_after(client, delay), name=f"sim-drop-{client.id}")
        client.tasks.append(task)

    async def _drop_after(self, client: Client, delay: float) -> None:
        await asyncio.sleep(delay)
        await self._drop(client)

    def _end_after_queue(self, client: Client, frame: bytes, code: int, reason: str) -> None:
        """Queue ``frame`` behind everything already queued, then close; nothing new is queued."""
        client.queue.append((frame, False, None, 0))
        client.muted = True
        client.close_after = (code, reason)
        client.wake.set()

    async def _drop(self, client: Client) -> None:
        """Abort the TCP connection without a close frame, once what was written has left."""
        if client.dropping:
            return
        client.dropping = client.muted = True
        client.queue.clear()
        transport = client.ws.transport
        deadline = time.monotonic() + self.drop_drain_timeout
        while transport.get_write_buffer_size() and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        if transport.get_write_buffer_size():
            log.warning("connection %d dropped with unsent data; its ledger may overcount", client.id)
        self.drops += 1
        transport.abort()
