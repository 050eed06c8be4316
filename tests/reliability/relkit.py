"""Shared rig for the fault matrix: simulator, feed → hub → writer pipeline, database checks.

Everything is real: the simulator (or a scripted AllTick server) listens on 127.0.0.1 port 0,
the pipeline is the one the app and the recorder use, the store is a real SQLite file or the
real PostgreSQL. Timings are scaled down to milliseconds through constructor parameters.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
import urllib.request
from collections import defaultdict
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import Engine, text
from support.timings import RELIABILITY, RELIABILITY_PLAN
from support.waits import wait_until
from websockets.asyncio.server import Server, ServerConnection, serve

from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.symbols import default_universe
from hkdesk.domain.types import Gap
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState, FeedStatus, FeedTimings
from hkdesk.pipeline import Pipeline
from hkdesk.sim.clock import ManualClock
from hkdesk.sim.model import MarketModel
from hkdesk.sim.server import SimServer
from hkdesk.sources.upstream import Upstream
from hkdesk.store import BatchWriter, make_engine

TOKEN = "rel-t0ken-5ecret-Q9Z"
SYMBOLS = ["700.HK", "5.HK", "9988.HK", "939.HK"]
MONDAY = date(2026, 3, 2)


def backoff_bounds(failures: int, initial: float, cap: float, jitter: float = 0.15) -> tuple[float, float]:
    """The documented schedule: initial·2^n capped, ±jitter, never below initial nor above cap."""
    base = min(cap, initial * 2**failures)
    return max(initial, base * (1 - jitter)), min(cap, base * (1 + jitter))


# ---------------------------------------------------------------- simulator


async def start_sim(*, rate: float = 400.0, seed: int = 1, **kw: Any) -> SimServer:
    """An in-process simulator on 127.0.0.1:0 with a frozen exchange clock: only ``rate`` burst
    trades per second flow, spread over the subscribed symbols, so tests control the volume."""
    full = default_universe()
    model = MarketModel({c: full[c] for c in SYMBOLS}, seed=seed, seq_base=0)
    kw.setdefault("clock", ManualClock(datetime.combine(MONDAY, dtime(10, 0), HK_TZ)))
    kw.setdefault("request_spacing", 0.01)
    kw.setdefault("cycle_interval", 0.01)
    server = SimServer(model, token=TOKEN, seed=seed, **kw)
    await server.start()
    server.set_rate(rate)
    return server


def ledger(server: SimServer) -> dict[str, list[int]]:
    """Every trade tick the simulator handed to a socket, per symbol."""
    return {s: sorted(server.sent_ticks.seqs(s)) for s in server.sent_ticks.symbols()}


def http_json(url: str, timeout: float = 5.0) -> Any:
    """GET a loopback control URL (no proxy) and decode its JSON body."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=timeout) as response:
        return json.loads(response.read())


def process_ledger(control_url: str) -> dict[str, list[int]]:
    """The ledger of a simulator running in a child process, through its control API."""
    body = http_json(f"{control_url}/sent?seqs=1")
    return {s: sorted(v["seqs"]) for s, v in body["symbols"].items()}


# ---------------------------------------------------------------- database


def stored(db: str | Engine) -> dict[str, list[int]]:
    """Stored tick seqs per symbol, sorted, duplicates kept (so a duplicate would show)."""
    engine = db if isinstance(db, Engine) else make_engine(db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT symbol, seq FROM ticks")).all()
    finally:
        if not isinstance(db, Engine):
            engine.dispose()
    out: dict[str, list[int]] = defaultdict(list)
    for symbol, seq in rows:
        out[symbol].append(int(seq))
    return {s: sorted(v) for s, v in out.items()}


def assert_exactly_once(sent: dict[str, list[int]], got: dict[str, list[int]]) -> int:
    """Every sent tick is stored once, nothing else is stored; returns the number of ticks."""
    assert sent, "the simulator sent nothing"
    for symbol, seqs in sent.items():
        assert len(seqs) == len(set(seqs)), f"{symbol}: the server sent a seq twice"
    assert set(got) <= set(sent), f"stored symbols never sent: {set(got) - set(sent)}"
    for symbol, seqs in sent.items():
        have = got.get(symbol, [])
        missing = sorted(set(seqs) - set(have))
        extra = sorted(set(have) - set(seqs))
        assert not missing, f"{symbol}: {len(missing)} sent ticks not stored, e.g. {missing[:5]}"
        assert not extra, f"{symbol}: stored ticks that were never sent: {extra[:5]}"
        assert len(have) == len(seqs), f"{symbol}: {len(have) - len(seqs)} duplicates stored"
    return sum(len(s) for s in sent.values())


def bar_mismatches(db: str | Engine) -> list[str]:
    """Recompute every 1-minute bar from the stored ticks; list the bars that disagree."""
    from decimal import Decimal

    engine = db if isinstance(db, Engine) else make_engine(db)
    try:
        with engine.connect() as conn:
            ticks = conn.execute(text("SELECT symbol, seq, ts, price, volume FROM ticks")).all()
            bars = conn.execute(
                text(
                    'SELECT symbol, start, "open", high, low, "close", volume, trades FROM bars '
                    "WHERE interval_s = 60"
                )
            ).all()
    finally:
        if not isinstance(db, Engine):
            engine.dispose()
    expected: dict[tuple[str, int], list] = {}
    for symbol, _seq, ts, price, volume in sorted(ticks, key=lambda r: (r[0], r[2], r[1])):
        price, volume = Decimal(str(price)), Decimal(str(volume))
        key = (symbol, int(ts) // 60_000 * 60_000)
        bar = expected.get(key)
        if bar is None:
            expected[key] = [price, price, price, price, volume, 1]
        else:
            bar[1] = max(bar[1], price)
            bar[2] = min(bar[2], price)
            bar[3] = price
            bar[4] += volume
            bar[5] += 1
    problems: list[str] = []
    seen = set()
    for symbol, start, o, h, low, c, v, n in bars:
        key = (symbol, int(start))
        seen.add(key)
        want = expected.get(key)
        have = [Decimal(str(x)) for x in (o, h, low, c, v)] + [int(n)]
        if want != have:
            problems.append(f"{key}: stored {have}, from ticks {want}")
    problems.extend(f"{key}: no bar for stored ticks" for key in expected.keys() - seen)
    return problems


# ---------------------------------------------------------------- the pipeline under test


class Rig:
    """Feed → quote hub → batch writer against ``url``, with every callback recorded."""

    def __init__(
        self,
        url: str,
        db: str | Engine,
        spill_dir: Path,
        *,
        token: str = TOKEN,
        plan: Plan = RELIABILITY_PLAN,
        timings: FeedTimings = RELIABILITY,
        symbols: list[str] = SYMBOLS,
        **writer_kw: Any,
    ) -> None:
        writer_kw.setdefault("flush_rows", 200)
        writer_kw.setdefault("flush_interval", 0.05)
        writer_kw.setdefault("retry_initial", 0.01)
        writer_kw.setdefault("retry_max", 0.1)
        self.writer = BatchWriter(db, spill_dir=spill_dir, **writer_kw)
        self.statuses: list[tuple[float, FeedStatus]] = []
        self.symbol_errors: list[tuple[str, int, str]] = []
        self.gaps: list[Gap] = []
        self.pipeline = Pipeline(
            Upstream("reliability", url, token, plan),
            writer=self.writer,
            timings=timings,
            on_status=lambda s: self.statuses.append((time.monotonic(), s)),
            on_symbol_error=lambda *e: self.symbol_errors.append(e),
            on_gap=self.gaps.append,
        )
        self.pipeline.feed.set_symbols(symbols)
        self.task: asyncio.Task[None] | None = None

    @property
    def feed(self):
        return self.pipeline.feed

    @property
    def state(self) -> FeedState:
        return self.feed.status.state

    def states(self) -> list[FeedState]:
        return [s.state for _, s in self.statuses]

    async def __aenter__(self) -> Rig:
        self.writer.start()
        self.task = asyncio.get_running_loop().create_task(self.pipeline.run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.pipeline.close()
        assert self.task is not None
        await asyncio.wait_for(self.task, 5)
        assert self.writer.stop(30), "the writer did not finish"

    async def quiesce(self, sim: SimServer, timeout: float = 5.0) -> None:
        """Stop the simulator's flow and wait until the pipeline received all it sent, so
        closing the feed cannot cut ticks that are still in flight."""
        sim.set_rate(0)
        await asyncio.sleep(3 * sim.cycle_interval)
        await wait_until(
            lambda: self.pipeline.ticks_received >= sim.sent_ticks.count(), timeout, "in-flight ticks"
        )

    async def live(self, timeout: float = 5.0) -> float:
        return await wait_until(lambda: self.state is FeedState.LIVE, timeout, "feed live")

    async def drained(self, timeout: float = 10.0) -> float:
        """Wait until the writer holds nothing (memory and spill) and the database is ok."""

        def empty() -> bool:
            s = self.writer.stats()
            return s.db_ok and s.queued == 0 and s.spilled == 0

        return await wait_until(empty, timeout, "writer backlog drained")


# ---------------------------------------------------------------- a scripted AllTick server


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


# ---------------------------------------------------------------- a TCP proxy we can "restart"


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target; ``stop()`` refuses and cuts every connection,
    ``start()`` listens again on the same port (a database restart, seen from the client)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self.accepted = 0
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._running = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._running.set()
        self._thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._running.clear()
        if self._thread is not None:
            self._thread.join(2)
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept(self, listener: socket.socket) -> None:
        while self._running.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            with self._lock:
                self._conns += [client, upstream]
                self.accepted += 1
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)
