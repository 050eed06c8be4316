"""One desktop of the desk benchmark, in a process of its own.

A desk's desktops are separate machines; in one benchmark process ten or fifty of them would
share one interpreter, and whichever side fell behind first (raw or desk) flipped between
runs. So each desktop, raw or through the desk, is a process like this one, as an advisor's
app is.

``python -m bench.scenarios.desk_desktop raw|desk NAME INDEX OUT`` talks over its standard
streams, a line each way: it prints ``ready`` once it is subscribed (raw) or its feed is live
(desk); on ``go`` it starts counting its CPU time; on ``settle N`` it waits until it holds N
trades (or nothing arrived for 10 s), writes its latencies (seconds, float64) to the file OUT,
prints ``done SEEN DUPLICATES CPU_SECONDS TAKEN_LIVE`` and exits.
"""

from __future__ import annotations

import asyncio
import sys
import time
from array import array
from dataclasses import dataclass, field

from bench.scenarios.desk_source import NATS_URL, SYMBOLS, raw_prefix, read_line, stdin_reader
from hkdesk.desk import codec
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.types import Tick

STALL = 10.0


@dataclass
class Desktop:
    """One desktop's hub and what reached it."""

    hub: QuoteHub = field(default_factory=QuoteHub)
    latencies: array = field(default_factory=lambda: array("d"))
    seen: set[tuple[str, int]] = field(default_factory=set)
    duplicates: int = 0

    def apply(self, ticks: list[Tick]) -> None:
        self.hub.apply_ticks(ticks)
        now = time.time()
        seen, latencies = self.seen, self.latencies
        for tick in ticks:
            key = (tick.symbol, tick.seq)
            if key in seen:
                self.duplicates += 1
            seen.add(key)
            latencies.append(now - tick.received_at)


async def settle(desktop: Desktop, sent: int, stall: float = STALL) -> None:
    """Wait until the desktop has every tick, or nothing moved for ``stall`` seconds (what is
    missing then is lost)."""
    last_count, last_move = -1, time.monotonic()
    while len(desktop.seen) < sent:
        if len(desktop.seen) != last_count:
            last_count, last_move = len(desktop.seen), time.monotonic()
        elif time.monotonic() - last_move > stall:
            return
        await asyncio.sleep(0.01)


async def main(mode: str, name: str, index: int, out: str) -> None:
    import nats

    loop = asyncio.get_running_loop()
    reader = await stdin_reader()
    desktop = Desktop()
    feed = task = nc = None
    if mode == "raw":
        nc = await nats.connect(NATS_URL)

        async def on_msg(msg) -> None:
            desktop.apply([codec.decode_tick(msg.data)])

        await nc.subscribe(raw_prefix(name) + "*", cb=on_msg)
        await nc.flush()
    else:
        from hkdesk.desk.feed import DeskFeed
        from hkdesk.feed.status import FeedState

        feed = DeskFeed(NATS_URL, desk=name, desktop_id=f"d{index}", on_ticks=desktop.apply)
        feed.set_symbols(SYMBOLS)
        task = loop.create_task(feed.run())
        give_up = time.monotonic() + 120
        while feed.status.state is not FeedState.LIVE:
            if time.monotonic() > give_up or task.done():
                raise RuntimeError("the desktop did not go live behind the benchmark's desk in 120 s")
            await asyncio.sleep(0.02)
    print("ready", flush=True)
    if await read_line(reader) != "go":
        return
    cpu = time.process_time()
    command = await read_line(reader)
    if not command.startswith("settle "):
        return
    await settle(desktop, int(command.split()[1]))
    cpu = time.process_time() - cpu
    with open(out, "wb") as file:
        desktop.latencies.tofile(file)
    taken = feed.live.taken if feed is not None else 0
    print(f"done {len(desktop.seen)} {desktop.duplicates} {cpu:.6f} {taken}", flush=True)
    if feed is not None and task is not None:
        await feed.close()
        await task
    if nc is not None:
        await nc.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]))
