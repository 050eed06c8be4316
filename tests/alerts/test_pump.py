"""The pump judges every batch whole and in order on its worker, and hands firings to the loop."""

from __future__ import annotations

import asyncio
import threading
import time

from support.waits import wait_until
from tapes import Tape, alert, at

from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.alerts.pump import AlertPump


class SpyEvaluator(AlertEvaluator):
    """Records each slice it judges and the thread that judged it; can take its time."""

    def __init__(self, alerts, log: list, *, pause: float = 0.0) -> None:
        super().__init__(alerts)
        self.log = log
        self.pause = pause
        self.threads: set[int] = set()

    def evaluate(self, ticks):
        ticks = list(ticks)
        self.threads.add(threading.get_ident())
        if self.pause:
            time.sleep(self.pause)
        self.log.append(("slice", ticks[0].ts, len(ticks)))
        return super().evaluate(ticks)


def zigzag(n: int, start_ts: int, step_ms: int = 100) -> Tape:
    tape = Tape()
    for i in range(n):
        tape.trade(start_ts + i * step_ms, "401" if i % 7 == 6 else "399")
    return tape


async def test_batches_are_judged_off_the_loop_in_slices_and_in_order() -> None:
    log: list = []
    evaluator = SpyEvaluator([alert("above", "400")], log)
    pump = AlertPump(evaluator, lambda events: None, slice_ticks=10)
    first, second = zigzag(35, at(10, 0)).ticks, zigzag(5, at(11, 0)).ticks
    pump.put(first)
    pump.put(second)
    pump.flush()
    assert [(ts, n) for _, ts, n in log] == [
        (first[0].ts, 10),
        (first[10].ts, 10),
        (first[20].ts, 10),
        (first[30].ts, 5),
        (second[0].ts, 5),
    ]
    assert evaluator.threads and threading.get_ident() not in evaluator.threads
    assert pump.pending == 0
    pump.close()


async def test_the_loop_runs_while_the_worker_judges() -> None:
    log: list = []
    slow = SpyEvaluator([alert("above", "400")], log, pause=0.05)
    pump = AlertPump(slow, lambda events: None, slice_ticks=10)
    pump.put(zigzag(100, at(10, 0)).ticks)  # ten slices of 50 ms
    assert pump.pending == 100
    ticks_of_the_loop = 0
    while pump.pending:
        ticks_of_the_loop += 1
        await asyncio.sleep(0.01)
    assert ticks_of_the_loop >= 10 and len(log) == 10
    pump.close()


async def test_firings_reach_the_loop_thread_in_trade_order_the_same_as_judged_in_one_go() -> None:
    tape = zigzag(3000, at(10, 0), step_ms=1000)
    rules = [alert("above", "400", repeat=1, id=1), alert("move", "0.5", minutes=1, repeat=1, id=2)]
    expected = AlertEvaluator(rules).evaluate(tape.ticks)
    got: list = []
    threads: set[int] = set()

    def on_events(events) -> None:
        threads.add(threading.get_ident())
        got.extend(events)

    pump = AlertPump(AlertEvaluator(rules), on_events, slice_ticks=64)
    for i in range(0, 3000, 700):
        pump.put(tape.ticks[i : i + 700])
        await asyncio.sleep(0)
    await wait_until(lambda: len(got) == len(expected), what="every firing handed on")
    assert len(expected) > 20 and got == list(expected)
    assert threads == {threading.get_ident()}
    pump.close()


async def test_flush_hands_on_the_firings_before_it_returns() -> None:
    tape = zigzag(70, at(10, 0))
    got: list = []
    pump = AlertPump(AlertEvaluator([alert("above", "400", repeat=1)]), got.extend)
    pump.put(tape.ticks)
    pump.flush()
    assert [e.ts for e in got] == [tape.ticks[6].ts]
    pump.close()


async def test_a_failing_slice_is_logged_and_the_next_batches_are_judged(caplog) -> None:
    class Flaky(AlertEvaluator):
        calls = 0

        def evaluate(self, ticks):
            Flaky.calls += 1
            if Flaky.calls == 1:
                raise ValueError("a bad trade")
            return super().evaluate(ticks)

    got: list = []
    pump = AlertPump(Flaky([alert("above", "400")]), got.extend)
    pump.put(zigzag(7, at(10, 0)).ticks)
    pump.put(zigzag(7, at(10, 5)).ticks)
    pump.flush()
    assert len(got) == 1 and got[0].ts == at(10, 5) + 600
    assert "could not be judged" in caplog.text
    pump.close()


async def test_an_evaluator_without_alerts_is_not_fed() -> None:
    pump = AlertPump(AlertEvaluator(), lambda events: None)
    pump.put(zigzag(5, at(10, 0)).ticks)
    assert pump.pending == 0
    pump.close()


async def test_close_stops_the_worker() -> None:
    pump = AlertPump(AlertEvaluator([alert("above", "400")]), lambda events: None)
    pump.put(zigzag(5, at(10, 0)).ticks)
    worker = pump._thread
    pump.close()
    assert worker is not None and not worker.is_alive() and pump.pending == 0


class Exploding:
    """A trade of a watched symbol that breaks the evaluator half-way through a slice."""

    symbol = "700.HK"

    @property
    def ts(self) -> int:
        raise RuntimeError("a broken trade")


async def test_firings_before_a_failure_in_the_same_slice_are_still_handed_on(caplog) -> None:
    tape = zigzag(7, at(10, 0))
    got: list = []
    pump = AlertPump(AlertEvaluator([alert("above", "400")]), got.extend)
    pump.put([*tape.ticks, Exploding()])  # type: ignore[list-item]
    pump.flush()
    assert [e.ts for e in got] == [tape.ticks[6].ts]  # fired, spent, and told
    assert "could not be judged" in caplog.text
    pump.close()


async def test_nothing_is_judged_after_close() -> None:
    log: list = []
    pump = AlertPump(SpyEvaluator([alert("above", "400")], log), lambda events: None)
    pump.close()
    pump.put(zigzag(5, at(10, 0)).ticks)
    assert pump._thread is None and pump.pending == 0 and log == []
