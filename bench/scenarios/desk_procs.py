"""The desk benchmark's processes: the source, the desktops, and the CPU they and NATS spend.

See :mod:`bench.scenarios.desk` for what is measured; this module starts the processes of
:mod:`bench.scenarios.desk_source` and :mod:`bench.scenarios.desk_desktop`, speaks their line
protocol and reads what they measured.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from array import array
from dataclasses import dataclass


@dataclass
class Reached:
    """What reached one desktop process."""

    latencies: array
    seen: int
    duplicates: int
    cpu: float
    taken_live: int


def _cpu_seconds(pid: int | None) -> float:
    """A process's CPU time so far (user + system), from /proc; 0 where there is none."""
    if pid is None:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _nats_server_pid() -> int | None:
    """The local nats-server's process, to count its CPU (Linux); None elsewhere."""
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                with contextlib.suppress(OSError), open(f"/proc/{entry}/comm") as file:
                    if file.read().strip() == "nats-server":
                        return int(entry)
    return None


@dataclass
class Spent:
    """The CPU seconds the source and NATS spent over a run's wall seconds (the desktops count
    their own)."""

    wall: float = 0.0
    source: float = 0.0
    nats: float = 0.0


class Meter:
    """Counts the source's and the NATS server's CPU from ``go`` to the last desktop's settle."""

    def __init__(self, source: Source) -> None:
        self._source_pid = source.proc.pid
        self._nats_pid = _nats_server_pid()
        self._start = (time.monotonic(), _cpu_seconds(self._source_pid), _cpu_seconds(self._nats_pid))

    def stop(self) -> Spent:
        wall, source, nats = self._start
        return Spent(
            time.monotonic() - wall,
            _cpu_seconds(self._source_pid) - source,
            _cpu_seconds(self._nats_pid) - nats,
        )


class Desktops:
    """The desktop processes of one run (see :mod:`bench.scenarios.desk_desktop`)."""

    def __init__(self, procs: list[asyncio.subprocess.Process], folder: str) -> None:
        self.procs = procs
        self.folder = folder

    @classmethod
    async def start(cls, mode: str, name: str, count: int, folder: str) -> Desktops:
        procs = []
        desktops = cls(procs, folder)
        try:
            for i in range(count):
                procs.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        "-m",
                        "bench.scenarios.desk_desktop",
                        mode,
                        name,
                        str(i),
                        desktops._latencies_file(i),
                        stdin=asyncio.subprocess.PIPE,
                        stdout=asyncio.subprocess.PIPE,
                    )
                )
            # fifty interpreters starting on two cores take a while
            await asyncio.gather(*(_expect(p, "ready", 300) for p in procs))
        except BaseException:
            await desktops.kill()
            raise
        return desktops

    def _latencies_file(self, index: int) -> str:
        """Where desktop ``index`` leaves its latencies (float64 seconds)."""
        return os.path.join(self.folder, f"{index}.f64")

    def go(self) -> None:
        for proc in self.procs:
            _say(proc, "go")

    async def settle(self, sent: int) -> list[Reached]:
        """Every desktop's share once each holds ``sent`` trades or has stalled."""
        for proc in self.procs:
            _say(proc, f"settle {sent}")
        lines = await asyncio.gather(*(_expect(p, "done", 600) for p in self.procs))
        reached = []
        for i, line in enumerate(lines):
            seen, duplicates, cpu, taken = line.split()[1:]
            latencies = array("d")
            with open(self._latencies_file(i), "rb") as file:
                latencies.frombytes(file.read())
            reached.append(Reached(latencies, int(seen), int(duplicates), float(cpu), int(taken)))
        return reached

    async def closed(self) -> None:
        """Wait for the desktops to close their connections and exit (after :meth:`settle`)."""
        await asyncio.gather(*(asyncio.wait_for(p.wait(), 60) for p in self.procs))

    async def kill(self) -> None:
        for proc in self.procs:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()


async def _expect(proc: asyncio.subprocess.Process, word: str, timeout: float = 60) -> str:
    line = (await asyncio.wait_for(proc.stdout.readline(), timeout)).decode().strip()  # type: ignore[union-attr]
    if not line.startswith(word):
        raise RuntimeError(f"a process of the desk benchmark said {line!r}, not {word!r}")
    return line


def _say(proc: asyncio.subprocess.Process, word: str) -> None:
    proc.stdin.write(f"{word}\n".encode())  # type: ignore[union-attr]


class Source:
    """The child process that takes the trades (see :mod:`bench.scenarios.desk_source`)."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls, mode: str, name: str, seconds: float, burst: int) -> Source:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.scenarios.desk_source",
            mode,
            name,
            str(seconds),
            str(burst),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        source = cls(proc)
        try:
            await source._expect("ready")
        except BaseException:
            await source.kill()
            raise
        return source

    async def _expect(self, word: str) -> str:
        return await _expect(self.proc, word)

    def _say(self, word: str) -> None:
        _say(self.proc, word)

    async def run(self) -> int:
        """Start handing trades; returns how many were handed once it is done."""
        self._say("go")
        return int((await self._expect("sent")).split()[1])

    async def close(self) -> None:
        """Let the child close its connections; killed if it cannot."""
        if self.proc.returncode is None:
            try:
                self._say("stop")
                await self._expect("closed")
                await asyncio.wait_for(self.proc.wait(), 30)
            except (OSError, RuntimeError, TimeoutError):
                pass
        await self.kill()

    async def kill(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
