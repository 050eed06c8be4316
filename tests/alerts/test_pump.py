"""The pump judges every batch whole and in order, a slice per loop callback, and keeps pace."""

from __future__ import annotations

import asyncio

from tapes import Tape, alert, at

from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.alerts.pump import AlertPump


class SpyEvaluator(AlertEvaluator):
    def __init__(self, alerts, log: list) -> None:
        super().__init__(alerts)
        self.log = log

    def evaluate(self, ticks):
        ticks = list(ticks)
        self.log.append(("slice", len(ticks)))
        return super().evaluate(ticks)


def zigzag(n: int, start_ts: int, step_ms: int = 100) -> Tape:
    tape = Tape()
    for i in range(n):
        tape.trade(start_ts + i * step_ms, "401" if i % 7 == 6 else "399")
    return tape


def spy_pump(log: list) -> AlertPump:
    return AlertPump(SpyEvaluator([alert("above", "400")], log), lambda events: None, slice_ticks=10)


async def test_a_big_batch_is_judged_a_slice_per_callback_with_the_loop_running_between() -> None:
    log: list = []
    pump = spy_pump(log)
    pump.put(zigzag(35, at(10, 0)).ticks)
    assert pump.pending == 35 and log == []  # nothing judged on the receive path
    asyncio.get_running_loop().call_soon(log.append, ("other callback",))
    for _ in range(10):
        await asyncio.sleep(0)
    assert log == [("slice", 10), ("other callback",), ("slice", 10), ("slice", 10), ("slice", 5)]
    assert pump.pending == 0


async def test_slices_grow_instead_of_the_queue_when_batches_keep_coming() -> None:
    log: list = []
    pump = spy_pump(log)
    queued = []
    for i in range(50):
        pump.put(zigzag(100, at(10, 0) + i * 10_000).ticks)  # 100 trades per loop iteration
        await asyncio.sleep(0)
        queued.append(pump.pending)
    assert max(queued) <= 5 * 100
    assert max(n for _, n in log) <= max(queued) // 4 + 100
    pump.flush()
    assert pump.pending == 0 and sum(n for _, n in log) == 5000


async def test_slicing_changes_nothing_that_fires() -> None:
    tape = zigzag(3000, at(10, 0), step_ms=1000)
    rules = [alert("above", "400", repeat=1, id=1), alert("move", "0.5", minutes=1, repeat=1, id=2)]
    expected = AlertEvaluator(rules).evaluate(tape.ticks)
    got: list = []
    pump = AlertPump(AlertEvaluator(rules), got.extend, slice_ticks=64)
    for i in range(0, 3000, 700):
        pump.put(tape.ticks[i : i + 700])
        await asyncio.sleep(0)
    pump.flush()
    assert len(expected) > 20 and got == list(expected)


async def test_an_evaluator_without_alerts_is_not_fed() -> None:
    pump = AlertPump(AlertEvaluator(), lambda events: None)
    pump.put(zigzag(5, at(10, 0)).ticks)
    assert pump.pending == 0
