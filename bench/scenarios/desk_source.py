"""The publishing side of the desk benchmark, in a process of its own.

A desk server runs on its own host, apart from the desktops, so the benchmark runs the side that
takes the trades (a desk server, or the raw NATS publisher of the baseline) in a child process
and the desktops in the benchmark's process: a desktop's latency then holds what a desktop
pays, not the desk server's publishing and acknowledgements on the same thread.

``python -m bench.scenarios.desk_source raw|desk NAME SECONDS BURST`` talks over its standard
streams, a line each way: it prints ``ready`` once it takes trades, waits for ``go``, hands
``RATE`` trades a second for ``SECONDS`` (or ``BURST`` trades at once when not 0), prints
``sent N``, and on ``stop`` (or end of input) closes and prints ``closed``.

``HKDESK_BENCH_DESK_LIVE=0`` runs the desk server without its live path (the stream alone, as
before it had one), for comparison.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from decimal import Decimal

import nats

from hkdesk.desk import codec
from hkdesk.desk.connection import NatsOptions
from hkdesk.desk.leadership import LeaseTimings
from hkdesk.desk.server import DeskServer, DeskTimings, UpstreamCallbacks
from hkdesk.desk.subjects import DeskNames, encode_token
from hkdesk.domain.types import Tick
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState, FeedStatus

NATS_URL = "nats://127.0.0.1:4222"
RATE = 5_000
SYMBOLS = [f"{n}.HK" for n in range(1, 101)]
BATCH_EVERY = 0.01  # one batch per 10 ms, like socket reads


def make_ticks(count: int, start_seq: int) -> list[Tick]:
    now = int(time.time() * 1000)
    n = len(SYMBOLS)
    return [Tick(SYMBOLS[i % n], start_seq + i, now, Decimal("100.5"), Decimal("200")) for i in range(count)]


async def pace(push: Callable[[list[Tick]], None], seconds: float) -> int:
    """Hand ``RATE`` ticks/s to ``push`` in 10 ms batches, stamped at hand-over; returns the count."""
    per_batch = int(RATE * BATCH_EVERY)
    started, sent = time.perf_counter(), 0
    while (elapsed := time.perf_counter() - started) < seconds:
        due = int(elapsed * RATE) - sent
        if due >= per_batch:
            batch = make_ticks(due, sent)
            stamp = time.time()
            for tick in batch:
                tick.received_at = stamp
            push(batch)
            sent += due
        await asyncio.sleep(BATCH_EVERY / 2)
    return sent


def raw_prefix(name: str) -> str:
    return DeskNames(name).kind_prefix("raw")


class _Upstream:
    """A scripted upstream: the desk server subscribes nothing; the benchmark pushes trades."""

    def __init__(self, callbacks: UpstreamCallbacks) -> None:
        self.callbacks = callbacks
        self.status = FeedStatus(FeedState.LIVE)
        self._closed = asyncio.Event()

    def set_symbols(self, symbols) -> None:
        pass

    def set_depth_symbols(self, symbols, depth_level: int = 10) -> None:
        pass

    async def run(self) -> None:
        await self._closed.wait()

    async def close(self) -> None:
        self._closed.set()


async def stdin_reader() -> asyncio.StreamReader:
    """This process's standard input, read on the loop (the benchmark's commands)."""
    reader = asyncio.StreamReader()
    protocol = asyncio.StreamReaderProtocol(reader)
    await asyncio.get_running_loop().connect_read_pipe(lambda: protocol, sys.stdin)
    return reader


async def read_line(reader: asyncio.StreamReader) -> str:
    return (await reader.readline()).decode().strip()


async def main(mode: str, name: str, seconds: float, burst: int) -> None:
    loop = asyncio.get_running_loop()
    reader = await stdin_reader()
    close: Callable[[], object]
    if mode == "raw":
        publisher = await nats.connect(NATS_URL)
        queue: asyncio.Queue[list[Tick]] = asyncio.Queue()
        prefix = raw_prefix(name)

        async def drain() -> None:
            while True:
                for tick in await queue.get():
                    await publisher.publish(prefix + encode_token(tick.symbol), codec.encode(tick))

        sender = loop.create_task(drain())
        push: Callable[[list[Tick]], None] = queue.put_nowait

        async def close_raw() -> None:
            await publisher.flush()
            sender.cancel()
            await publisher.close()

        close = close_raw
    else:
        upstreams: list[_Upstream] = []

        def factory(callbacks: UpstreamCallbacks) -> _Upstream:
            upstreams.append(_Upstream(callbacks))
            return upstreams[-1]

        server = DeskServer(
            desk=name,
            nats_options=NatsOptions(NATS_URL),
            plan=Plan("bench", symbols_per_connection=1000, connections=1, reconnect_spacing=0.0),
            upstream_factory=factory,
            writer=None,
            # a long lease: 50 desktops on the same two cores can hold this process up for seconds
            timings=DeskTimings(lease=LeaseTimings(ttl=30.0, refresh=1.0, poll=0.5), demand_lease=60.0),
        )
        server_task = loop.create_task(server.run())
        while not upstreams:
            if server_task.done():  # it could not start (no NATS, no JetStream): say why and stop
                server_task.result()
                raise RuntimeError("the desk server stopped before it took an upstream")
            await asyncio.sleep(0.01)
        push = upstreams[0].callbacks.on_ticks
        if os.environ.get("HKDESK_BENCH_DESK_LIVE", "1") == "0":
            while server.publisher is None or server.publisher.live.client is None:  # linked: unlink
                await asyncio.sleep(0.01)
            server.publisher.attach_live(None)

        async def close_desk() -> None:
            await server.close()
            await server_task

        close = close_desk
    print("ready", flush=True)
    if await read_line(reader) != "go":
        return
    if burst:
        push(make_ticks(burst, 0))
        sent = burst
    else:
        sent = await pace(push, seconds)
    print(f"sent {sent}", flush=True)
    await read_line(reader)
    await close()  # type: ignore[misc]
    print("closed", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])))
