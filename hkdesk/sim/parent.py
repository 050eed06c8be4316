"""A simulator started by the app or the recorder exits when its parent dies, even by SIGKILL.

On Linux the kernel signals the child when its parent goes (``prctl(PR_SET_PDEATHSIG)``); the
signal also comes when only the parent's *thread* that started the child ends (the app starts
it from a worker thread), so the handler checks that the parent really is gone before stopping.
The parent is checked once more right after arming, in case it died before. Elsewhere, and if
``prctl`` is unavailable, a daemon thread looks at the parent twice a second.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
#: Sent by the kernel when the parent thread ends; handled, so it never kills the process itself.
PARENT_SIGNAL = signal.SIGUSR1 if hasattr(signal, "SIGUSR1") else None
POLL_INTERVAL = 0.5


def parent_alive(pid: int) -> bool:
    """Whether process ``pid`` is still this process's parent (on Windows: still running)."""
    if sys.platform == "win32":
        return _windows_process_running(pid)
    return os.getppid() == pid


def _windows_process_running(pid: int) -> bool:
    synchronize, wait_timeout = 0x00100000, 0x102
    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(synchronize, False, pid)
    if not handle:
        return False
    try:
        return kernel32.WaitForSingleObject(handle, 0) == wait_timeout
    finally:
        kernel32.CloseHandle(handle)


def _arm_death_signal(signum: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def watch_parent(parent_pid: int, on_gone: Callable[[], None]) -> Callable[[], None]:
    """Call ``on_gone`` on the running loop once ``parent_pid`` has gone; returns a function that
    ends the watch."""
    loop = asyncio.get_running_loop()
    fired = threading.Event()

    def check() -> None:
        if not fired.is_set() and not parent_alive(parent_pid):
            fired.set()
            log.warning("parent process %d has gone: stopping", parent_pid)
            loop.call_soon_threadsafe(on_gone)

    if sys.platform.startswith("linux") and PARENT_SIGNAL is not None:
        signum = PARENT_SIGNAL
        loop.add_signal_handler(signum, check)
        if _arm_death_signal(signum):
            check()
            return lambda: loop.remove_signal_handler(signum)
        loop.remove_signal_handler(signum)

    def poll() -> None:
        while not fired.wait(POLL_INTERVAL):
            check()

    threading.Thread(target=poll, name="sim-parent-watch", daemon=True).start()
    return fired.set
