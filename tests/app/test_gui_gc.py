"""Cycles are collected on the GUI thread only while the desk runs."""

from __future__ import annotations

import gc
import threading

from hkdesk.app.gui_gc import GuiThreadCollector


class _Cycle:
    def __init__(self, log: list[str]) -> None:
        self.me = self
        self.log = log

    def __del__(self) -> None:
        self.log.append(threading.current_thread().name)


def test_cycles_made_anywhere_die_on_the_gui_thread(qtbot):
    collector = GuiThreadCollector()
    gc.collect()
    collector.start()
    try:
        assert not gc.isenabled()
        died: list[str] = []

        kept: list[list[int]] = []

        def churn() -> None:
            _Cycle(died)
            kept.extend([] for _ in range(5_000))  # live objects: far past the threshold

        worker = threading.Thread(target=churn, name="worker")
        worker.start()
        worker.join()
        assert died == [], "the worker thread must not collect"
        qtbot.waitUntil(lambda: bool(died), timeout=5000)
        assert died == [threading.main_thread().name]
        assert collector.collections[0] >= 1
    finally:
        collector.stop()
    assert gc.isenabled()


def test_stop_restores_a_disabled_collector(qtbot):
    gc.disable()
    try:
        collector = GuiThreadCollector()
        collector.start()
        collector.stop()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_full_collections_are_spaced(qtbot, monkeypatch):
    now = [100.0]
    collector = GuiThreadCollector(clock=lambda: now[0])
    calls: list[int] = []
    monkeypatch.setattr(gc, "get_count", lambda: (10_000, 100, 100))
    monkeypatch.setattr(gc, "collect", lambda generation=2: calls.append(generation) or 0)
    collector._last_full = 0.0
    collector.check()
    collector.check()
    now[0] += 31
    collector.check()
    assert calls == [2, 1, 2]
