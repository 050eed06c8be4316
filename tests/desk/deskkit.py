"""Helpers for the desk tests: ticks, a scripted upstream, waits and nats-server processes."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from hkdesk.desk.server import UpstreamCallbacks
from hkdesk.domain.types import Book, Level, Tick
from hkdesk.feed.alltick.protocol import MAX_DEPTH_LEVEL
from hkdesk.feed.status import FeedState, FeedStatus

BASE_TS = int(time.time() * 1000) - 60_000


def tick(symbol: str, seq: int, price: str = "380.20", volume: str = "100") -> Tick:
    return Tick(symbol, seq, BASE_TS + seq, Decimal(price), Decimal(volume), received_at=time.time())


def ticks(symbol: str, first: int, count: int) -> list[Tick]:
    return [tick(symbol, seq) for seq in range(first, first + count)]


def book(symbol: str, seq: int) -> Book:
    return Book(
        symbol,
        seq,
        BASE_TS + seq,
        [Level(Decimal("380.0"), Decimal(seq))],
        [Level(Decimal("380.2"), Decimal("5"))],
    )


def keys(items: Iterable[Tick]) -> list[tuple[str, int, int]]:
    return [(t.symbol, t.ts, t.seq) for t in items]


@dataclass
class Received:
    """Everything a DeskFeed handed on."""

    ticks: list[Tick] = field(default_factory=list)
    batches: int = 0
    books: list[Book] = field(default_factory=list)
    statuses: list[FeedStatus] = field(default_factory=list)
    gaps: list = field(default_factory=list)
    symbol_errors: list[tuple[str, int, str]] = field(default_factory=list)

    def on_ticks(self, batch: list[Tick]) -> None:
        self.ticks.extend(batch)
        self.batches += 1

    def callbacks(self) -> dict[str, Callable]:
        return {
            "on_ticks": self.on_ticks,
            "on_books": self.books.extend,
            "on_status": self.statuses.append,
            "on_gap": self.gaps.append,
            "on_symbol_error": lambda *a: self.symbol_errors.append(a),
        }

    @property
    def state(self) -> FeedState | None:
        return self.statuses[-1].state if self.statuses else None


class ScriptedUpstream:
    """An upstream the test drives: it records the lists it is given and pushes what it is told."""

    instances: list[ScriptedUpstream]

    def __init__(self, callbacks: UpstreamCallbacks) -> None:
        self.callbacks = callbacks
        self.symbols: tuple[str, ...] = ()
        self.depth: tuple[str, ...] = ()
        self.depth_level = MAX_DEPTH_LEVEL
        self.status = FeedStatus(FeedState.CLOSED)
        self.closed = asyncio.Event()

    def set_symbols(self, symbols: Iterable[str]) -> None:
        self.symbols = tuple(symbols)

    def set_depth_symbols(self, symbols: Iterable[str], depth_level: int = MAX_DEPTH_LEVEL) -> None:
        self.depth, self.depth_level = tuple(symbols), depth_level

    async def run(self) -> None:
        self.status = FeedStatus(FeedState.LIVE)
        self.callbacks.on_status(self.status)
        await self.closed.wait()

    async def close(self) -> None:
        self.closed.set()

    def push(self, batch: list[Tick]) -> None:
        self.callbacks.on_ticks(batch)


class UpstreamFactory:
    """Builds ScriptedUpstreams and keeps them."""

    def __init__(self) -> None:
        self.made: list[ScriptedUpstream] = []

    def __call__(self, callbacks: UpstreamCallbacks) -> ScriptedUpstream:
        upstream = ScriptedUpstream(callbacks)
        self.made.append(upstream)
        return upstream

    @property
    def current(self) -> ScriptedUpstream:
        return self.made[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NatsProcess:
    """A nats-server of the test's own, on loopback ports, with its store in a temp folder."""

    def __init__(self, binary: str, config: str, folder: Path, port: int) -> None:
        self.binary = binary
        self.port = port
        self.url = f"nats://127.0.0.1:{port}"
        self.conf = folder / f"nats-{port}.conf"
        self.conf.write_text(config, encoding="utf-8")
        self.log = folder / f"nats-{port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> NatsProcess:
        log = self.log.open("ab")
        self.process = subprocess.Popen([self.binary, "-c", str(self.conf)], stdout=log, stderr=log)
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nats-server did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.05)

    def stop(self, kill: bool = False) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill() if kill else process.terminate()
            process.wait(10)


def jetstream_config(port: int, store: Path, extra: str = "") -> str:
    return f'listen: "127.0.0.1:{port}"\njetstream {{ store_dir: "{store}" }}\n{extra}\n'


class TcpProxy:
    """A loopback TCP relay in front of a server; ``drop()`` cuts every connection through it,
    as a desktop's network going away would."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.refusing = False

    async def start(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.refusing:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers.update((writer, up_writer))
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        with contextlib.suppress(Exception):
            writer.close()
        self._writers.discard(writer)

    def drop(self) -> None:
        for writer in list(self._writers):
            transport = writer.transport
            transport.abort()
        self._writers.clear()

    async def close(self) -> None:
        self.drop()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


class DeskProcess:
    """``python -m hkdesk.desk serve ...`` in a child process; ``role`` is its last stdout line."""

    def __init__(self, args: list[str]) -> None:
        import sys
        import threading

        self.lines: list[tuple[float, str]] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hkdesk.desk", "serve", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.stderr: list[str] = []
        threading.Thread(target=self._read, args=(self.process.stdout, self.lines), daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read(self, stream, into: list) -> None:
        for line in stream:
            into.append((time.time(), line.strip()))

    def _read_err(self) -> None:
        for line in self.process.stderr:  # type: ignore[union-attr]
            self.stderr.append(line)

    @property
    def role(self) -> str:
        return self.lines[-1][1] if self.lines else ""

    def became(self, role: str) -> float | None:
        """Wall time at which the process last said ``role``."""
        times = [at for at, line in self.lines if line == role]
        return times[-1] if times else None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode
