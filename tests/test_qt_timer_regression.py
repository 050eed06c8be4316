"""Regression guard for PySide6 6.12.0 on Python 3.11, which aborts with
"Fatal Python error: none_dealloc" after ~10^4 Qt timer callbacks. Under qasync every
asyncio callback is a Qt timer, so an app on that pair dies within minutes of trading.
The check runs in a child process because the failure is a hard abort."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from PySide6.QtWidgets import QApplication
    import qasync

    N = int(sys.argv[1])
    app = QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    async def main():
        for _ in range(N):
            await asyncio.sleep(0)
        done = asyncio.Event()
        count = 0
        def tick():
            nonlocal count
            count += 1
            if count < N:
                loop.call_soon(tick)
            else:
                done.set()
        loop.call_soon(tick)
        await done.wait()
        return count

    with loop:
        result = loop.run_until_complete(main())
    print("callbacks", result)
    """
)


def test_twenty_thousand_timer_callbacks_exit_cleanly(tmp_path) -> None:
    script = tmp_path / "timers.py"
    script.write_text(CHILD)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, str(script), "20000"], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, f"child died ({proc.returncode}): {proc.stderr[-2000:]}"
    assert "callbacks 20000" in proc.stdout
    assert "Fatal Python error" not in proc.stderr
