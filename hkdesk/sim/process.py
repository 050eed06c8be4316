"""Run the simulator in a child process (the app and the recorder reach it only over the wire).

The child is told this process's pid (``--parent-pid``) and exits when this process dies, even
when it is killed outright (see :mod:`hkdesk.sim.parent`).
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import threading
from collections import deque
from collections.abc import Sequence
from types import TracebackType

from hkdesk.own_command import own_command
from hkdesk.sim.cli import URL_PREFIX
from hkdesk.sim.server import CONTROL_PREFIX, HTTP_PREFIX, WS_PATH


class SimulatorStartError(RuntimeError):
    """The child process exited or stayed silent instead of printing its URL."""


class SimProcess:
    """A running ``python -m hkdesk.sim`` child; ``stop()`` it or use it as a context manager."""

    def __init__(self, process: subprocess.Popen[str], ws_url: str, stderr_tail: deque[str]) -> None:
        self.process = process
        self.ws_url = ws_url
        self._stderr_tail = stderr_tail
        base = ws_url.removeprefix("ws://").removesuffix(WS_PATH)
        self.http_url = f"http://{base}{HTTP_PREFIX}"
        self.control_url = f"http://{base}{CONTROL_PREFIX}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def stderr_tail(self) -> str:
        return "".join(self._stderr_tail)

    def stop(self, timeout: float = 5.0) -> int | None:
        """Ask the child to exit (SIGTERM), kill it if it does not; return its exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        return self.process.returncode

    def __enter__(self) -> SimProcess:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"SimProcess(pid={self.pid}, ws_url={self.ws_url!r})"


def _pump(stream, lines: queue.Queue[str | None] | None, tail: deque[str] | None) -> None:
    with contextlib.suppress(ValueError, OSError):
        for line in stream:
            if lines is not None:
                lines.put(line)
            if tail is not None:
                tail.append(line)
    if lines is not None:
        lines.put(None)


def simulator_entry() -> list[str]:
    """The command that runs ``hkdesk.sim`` (the app binary's ``sim`` sub-command when frozen)."""
    return own_command("sim", "hkdesk.sim")


def start_simulator_process(
    extra_args: Sequence[str] = (),
    host: str = "127.0.0.1",
    startup_timeout: float = 30.0,
) -> SimProcess:
    """Start ``simulator_entry() --host HOST --port 0 *extra_args`` and wait for its URL."""
    cmd = [*simulator_entry(), "--host", host, "--port", "0", "--parent-pid", str(os.getpid()), *extra_args]
    process = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    lines: queue.Queue[str | None] = queue.Queue()
    tail: deque[str] = deque(maxlen=50)
    threading.Thread(target=_pump, args=(process.stdout, lines, None), daemon=True).start()
    threading.Thread(target=_pump, args=(process.stderr, None, tail), daemon=True).start()
    try:
        first = lines.get(timeout=startup_timeout)
    except queue.Empty:
        first = None
        problem = f"no URL within {startup_timeout} s"
    else:
        problem = "exited before printing its URL"
    if first is None or not first.startswith(URL_PREFIX + " "):
        process.kill()
        process.wait()
        detail = "".join(tail).strip()
        raise SimulatorStartError(f"simulator {problem} (exit {process.returncode}): {first or detail!s}")
    return SimProcess(process, first.split(" ", 1)[1].strip(), tail)
