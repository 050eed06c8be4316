"""Exception hooks: a bug in one slot, thread or callback is logged and the app keeps running."""

from __future__ import annotations


def test_exception_hooks_log_and_keep_running(caplog) -> None:
    import asyncio
    import sys
    import threading

    from hkdesk.app.diagnostics import ExceptionHooks

    loop = asyncio.new_event_loop()
    hooks = ExceptionHooks()
    hooks.install(loop)
    try:
        with caplog.at_level("ERROR", logger="hkdesk.errors"):
            try:
                raise RuntimeError("boom in a slot")
            except RuntimeError:
                sys.excepthook(*sys.exc_info())
            worker = threading.Thread(target=lambda: 1 / 0, name="worker-x")
            worker.start()
            worker.join()

            def fail() -> None:
                raise ValueError("boom in a callback")

            loop.call_soon(fail)
            loop.run_until_complete(asyncio.sleep(0.01))
    finally:
        hooks.uninstall()
        loop.close()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert hooks.count == 3
    assert "boom in a slot" in text and "worker-x" in text and "boom in a callback" in text
