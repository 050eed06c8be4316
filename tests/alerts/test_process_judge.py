"""Alerts judged in a child process: the same firings as judged in one go, and none lost when it dies."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import sys
import threading
from decimal import Decimal

import msgspec
import pytest
from support.waits import wait_until
from tapes import Tape, alert, at

from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.alerts.judge_child import serve
from hkdesk.alerts.judge_wire import (
    Flush,
    Flushed,
    FromJudge,
    Judged,
    Problem,
    SetAlerts,
    Trades,
    frame,
    read_frame,
)
from hkdesk.alerts.process_judge import ProcessJudge
from hkdesk.domain.types import Bar
from hkdesk.feed.alltick.protocol import TradePush, decode_batch
from hkdesk.feed.read_ticks import ReadTicks
from hkdesk.sim.records import SimBook, SimTrade
from hkdesk.sim.wire import encode_book, encode_reply, encode_trade


def busy_tape(n: int = 3000) -> list:
    """Two symbols, a zigzag with a climb now and then: every kind below fires more than once."""
    a, b = Tape("700.HK"), Tape("5.HK")
    for i in range(n):
        ts = at(10, 0) + i * 1000
        a.trade(ts, str(Decimal(395) + Decimal(i % 97) / 10), volume="500" if i % 300 < 5 else "100")
        b.trade(ts + 1, "61.5" if i % 11 == 10 else "60")
    return [t for pair in zip(a.ticks, b.ticks, strict=True) for t in pair]


RULES = [
    alert("above", "400", repeat=1, id=1),
    alert("move", "1", minutes=2, repeat=1, id=2),
    alert("volume_surge", "3", minutes=1, repeat=2, id=3),
    alert("change_above", "2", repeat=1, id=4, symbol="5.HK"),
    alert("below", "60", repeat=5, id=5, symbol="5.HK"),
]


def reference(rules, ticks, closes=(("5.HK", Decimal(60)),)) -> list:
    evaluator = AlertEvaluator(rules)
    for symbol, price in closes:
        evaluator.set_previous_close(symbol, price)
    return list(evaluator.evaluate(ticks))


def judge(got: list, **kw) -> ProcessJudge:
    j = ProcessJudge(got.extend, slice_ticks=64, **kw)
    j.set_alerts(RULES)
    j.set_previous_close("5.HK", Decimal(60))
    return j


async def test_the_judge_process_fires_exactly_what_judging_in_one_go_fires() -> None:
    ticks = busy_tape()
    expected = reference(RULES, ticks)
    got: list = []
    threads: set[int] = set()
    j = ProcessJudge(lambda events: (threads.add(threading.get_ident()), got.extend(events)), slice_ticks=64)
    j.set_alerts(RULES)
    j.set_previous_close("5.HK", Decimal(60))
    for i in range(0, len(ticks), 700):
        j.put(ticks[i : i + 700])
        await asyncio.sleep(0)
    await wait_until(lambda: j.pending == 0 and len(got) == len(expected), what="every firing handed on")
    assert {e.alert.kind for e in expected} == {a.kind for a in RULES} and len(expected) > 30
    assert got == expected
    assert threads == {threading.get_ident()}
    assert j._process is not None and j._process.pid != os.getpid()
    j.flush()
    assert j.judge_cpu_s > 0 and j.problem == ""
    process = j._process
    j.close()
    assert process.wait(5) == 0


async def test_the_app_keeps_the_firing_states_and_a_reload_cannot_make_a_spent_alert_fire_again() -> None:
    once = alert("above", "400", id=7)
    tape = Tape()
    for i in range(10):
        tape.trade(at(10, 0) + i * 1000, "401" if i == 3 else "399")
    got: list = []
    j = ProcessJudge(got.extend)
    j.set_alerts([once])
    j.put(tape.ticks)
    j.flush()
    assert [e.ts for e in got] == [tape.ticks[3].ts]
    assert j.alerts()[0].last_fired_ts == tape.ticks[3].ts
    j.set_alerts([once])  # as stored before the firing was written: the later firing is kept
    assert j.alerts()[0].last_fired_ts == tape.ticks[3].ts
    j.put([tape.trade(at(10, 1), "402")])
    j.flush()
    assert len(got) == 1 and j.symbols() == {"700.HK"}
    j.close()


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="stopping a process needs POSIX signals")
async def test_a_killed_judge_hands_over_to_the_app_and_no_firing_is_lost(caplog) -> None:
    ticks = busy_tape()
    levels = [r for r in RULES if r.kind.value in ("above", "below", "change_above")]
    expected = reference(levels, ticks)
    got: list = []
    j = ProcessJudge(got.extend, slice_ticks=64)
    j.set_alerts(levels)
    j.set_previous_close("5.HK", Decimal(60))
    third = len(ticks) // 3
    j.put(ticks[:third])
    j.flush()
    told_by_the_child = len(got)
    assert told_by_the_child > 0
    process = j._process
    os.kill(process.pid, signal.SIGSTOP)  # these are sent and never answered
    j.put(ticks[third : 2 * third - 100])
    j.put(read_of(ticks[2 * third - 100 : 2 * third]))  # a feed's read: sent as its frames
    await wait_until(lambda: len(j._unanswered) > 1, what="slices sent to the stopped judge")
    os.kill(process.pid, signal.SIGKILL)
    await wait_until(lambda: j.problem != "", what="the judge's death noticed")
    j.put(ticks[2 * third :])
    j.flush()
    assert [(e.alert.id, e.price, e.ts, e.seq) for e in got] == [
        (e.alert.id, e.price, e.ts, e.seq) for e in expected
    ]
    assert "the alert judge stopped" in caplog.text and "judging them in the app" in caplog.text
    assert f"exit {-signal.SIGKILL}" in j.problem
    assert j.pending == 0
    j.close()


EXITS = "import sys; print('no judge here', file=sys.stderr); sys.exit(3)"
#: Answers a frame that is no message, then stays: the app must not trust it, nor wait for it.
GARBLES = (
    "import sys, time; sys.stdout.buffer.write(bytes([5, 0, 0, 0]) + b'hello'); sys.stdout.flush();"
    " time.sleep(60)"
)


@pytest.mark.parametrize(
    "command, said",
    [
        ([sys.executable, "-c", EXITS], "exit 3"),
        (["/nonexistent/hkdesk-judge"], "could not be started"),
        ([sys.executable, "-c", GARBLES], "could not be read"),
    ],
)
async def test_a_judge_that_cannot_run_means_alerts_judged_in_the_app(command, said, caplog) -> None:
    ticks = busy_tape(600)
    got: list = []
    j = judge(got, command=command)
    j.put(ticks)
    await wait_until(lambda: j.problem != "", what="the judge's failure noticed")
    j.flush()
    assert got == reference(RULES, ticks)
    assert said in j.problem and said in caplog.text
    if said == "exit 3":
        assert "no judge here" in j.problem
    if j._process is not None:
        assert j._process.wait(10) is not None  # a garbling judge is killed, not waited for
    before = j.alerts()
    j.close()
    last = {e.alert.id: e.ts for e in got}  # the states follow the firings judged in the app
    assert {a.id: a.last_fired_ts for a in before} == {r.id: last.get(r.id) for r in RULES}


async def test_closes_told_before_the_first_alert_reach_the_judge() -> None:
    got: list = []
    j = ProcessJudge(got.extend)
    j.set_previous_close("5.HK", Decimal(60))  # the snapshots come before any alert exists
    assert j._process is None
    j.set_alerts([alert("change_above", "2", id=4, symbol="5.HK")])
    tape = Tape("5.HK")
    j.put([tape.trade(at(10, 0), "61"), tape.trade(at(10, 0, 1), "61.2")])
    j.flush()
    assert [e.price for e in got] == [Decimal("61.2")]
    j.close()


async def test_restart_judges_another_source_afresh_and_keeps_the_states() -> None:
    got: list = []
    j = ProcessJudge(got.extend)
    j.set_alerts([alert("above", "400", repeat=1, id=1)])
    first, second = Tape(), Tape()  # the second source numbers its trades from 1 again
    j.put([first.trade(at(10, 0), "401"), first.trade(at(10, 0, 30), "399")])
    j.flush()
    j.restart()
    j.put([second.trade(at(10, 0, 40), "402")])  # within the cooldown: quiet
    j.put([second.trade(at(10, 1, 1), "403")])  # seq 2, a minute on: fires
    j.flush()
    assert [(e.price, e.seq) for e in got] == [(Decimal(401), 1), (Decimal(403), 2)]
    j.close()


async def test_seeded_minute_bars_reach_the_judge() -> None:
    surge = alert("volume_surge", "2", minutes=1, id=3)
    bars = [
        Bar("700.HK", at(9, 30) + m * 60_000, 60, *(Decimal(400),) * 4, Decimal(1000), Decimal(400_000), 10)
        for m in range(10)
    ]
    live = Tape()
    live.seq = 500
    ticks = [live.trade(at(9, 40, 5), "400", volume="2500")]
    evaluator = AlertEvaluator([surge])
    evaluator.seed_minute_bars("700.HK", bars)
    expected = list(evaluator.evaluate(ticks))
    got: list = []
    j = ProcessJudge(got.extend)
    j.set_alerts([surge])
    j.seed_minute_bars("700.HK", bars)
    j.put(ticks)
    j.flush()
    assert len(expected) == 1 and got == expected
    j.close()


async def test_no_judge_is_started_while_there_are_no_alerts() -> None:
    j = ProcessJudge(lambda events: None)
    j.put(busy_tape(10))
    j.set_previous_close("5.HK", Decimal(60))
    j.flush()
    assert j._process is None and j.pending == 0
    j.close()


def test_the_child_answers_each_batch_and_stops_at_a_message_it_cannot_read() -> None:
    encode = msgspec.msgpack.Encoder().encode
    tape = Tape()
    rows = [(t.symbol, t.seq, t.ts, t.price, t.volume) for t in (tape.trade(at(10, 0), "401"),)]
    later = [(t.symbol, t.seq, t.ts, t.price, t.volume) for t in (tape.trade(at(10, 1), "402"),)]
    stdin = io.BytesIO(
        frame(encode(SetAlerts([alert("above", "400", repeat=1)])))
        + frame(encode(Trades(rows)))  # type: ignore[arg-type]
        + frame(encode(Flush(9)))
        + frame(b"\xc1 not msgpack")  # the stream is corrupt: nothing after it is trusted
        + frame(encode(Trades(later)))  # type: ignore[arg-type]
    )
    stdout = io.BytesIO()
    assert serve(stdin, stdout) == 2
    stdout.seek(0)
    decode = msgspec.msgpack.Decoder(FromJudge).decode
    answers = []
    while (body := read_frame(stdout)) is not None:
        answers.append(decode(body))
    judged, flushed, problem = answers
    assert isinstance(judged, Judged) and judged.count == 1 and judged.events[0].price == Decimal(401)
    assert isinstance(flushed, Flushed) and flushed.token == 9
    assert isinstance(problem, Problem) and "could not be read" in problem.text


async def test_trades_of_symbols_without_alerts_are_not_sent_to_the_judge() -> None:
    got: list = []
    j = ProcessJudge(got.extend)
    j.set_alerts([alert("above", "400", id=1)])  # 700.HK only
    other, ours = Tape("5.HK"), Tape("700.HK")
    j.put([other.trade(at(10, 0, s), "500") for s in range(40)])
    j.put([ours.trade(at(10, 1), "401"), other.trade(at(10, 1, 1), "500")])
    j.flush()
    assert j._skipped == 40 and j._judged == 2 and j.pending == 0
    assert [e.price for e in got] == [Decimal(401)]
    j.close()


def read_of(ticks: list, *, book_every: int = 50) -> ReadTicks:
    """What a feed session hands on for one socket read of ``ticks``: the trades decoded from
    the frames as sent (with a book and a heartbeat reply among them), carrying those frames."""
    frames: list[bytes] = [encode_reply(22000, seq_id=1)]
    for i, t in enumerate(ticks):
        milli = int(t.price * 1000)
        frames.append(encode_trade(SimTrade(t.symbol, t.seq, t.ts, milli, int(t.volume), 1, milli, milli)))
        if i % book_every == 0:
            frames.append(encode_book(SimBook(t.symbol, t.seq, t.ts, [(milli - 1, 100)], [(milli + 1, 100)])))
    read = ReadTicks(frames)
    read.extend(f.data for f in decode_batch(frames) if isinstance(f, TradePush))
    return read


async def test_a_feed_reads_frames_go_to_the_judge_as_they_came_and_fire_the_same() -> None:
    ticks = busy_tape(1200)
    reads = [read_of(ticks[i : i + 300]) for i in range(0, len(ticks), 300)]
    assert [t.price for r in reads for t in r] == [t.price for t in ticks]
    expected = reference(RULES, [t for r in reads for t in r])  # as decoded: "399.000"
    got: list = []
    j = judge(got)
    for read in reads:
        j.put(read)
    j.flush()
    assert got == expected and j.pending == 0
    j.close()


async def test_the_judge_judges_a_reads_frames_not_the_objects_beside_them() -> None:
    tape = Tape()
    sent = [tape.trade(at(10, 0), "401")]
    read = read_of(sent)
    read[:] = [Tape().trade(at(10, 0), "399")]  # a list that disagrees with its frames
    got: list = []
    j = ProcessJudge(got.extend)
    j.set_alerts([alert("above", "400")])
    j.put(read)
    j.flush()
    assert [e.price for e in got] == [Decimal(401)]  # what the frames say
    j.close()
