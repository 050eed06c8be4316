"""Move and volume-surge alerts over scripted tapes: the exact trade, the window edges, lunch."""

from __future__ import annotations

from decimal import Decimal as D

from tapes import HALF_DAY, NEXT_DAY, Tape, alert, at, fired_at

from hkdesk.alerts import windows
from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.domain.types import Bar


def run(ev: AlertEvaluator, tape: Tape) -> list:
    """Feed a tape one trade per batch (the frames a spike could fall between)."""
    out = []
    for tick in tape.ticks:
        out += ev.evaluate([tick])
    return out


def test_move_up_fires_when_the_rise_from_the_window_low_reaches_the_percent() -> None:
    tape = Tape()
    tape.trade(at(10, 0), "400.0")
    tape.trade(at(10, 3), "404.0")  # +1 %
    tape.trade(at(10, 4), "407.8")  # +1.95 %
    tape.trade(at(10, 5), "408.0")  # +2 % from 400.0 exactly 5 minutes earlier: still inside
    tape.trade(at(10, 5, 1), "409.0")
    events = run(AlertEvaluator([alert("move", "2", minutes=5)]), tape)
    assert fired_at(events) == [(D("408.0"), at(10, 5))]
    assert events[0].condition == "move ≥ 2% within 5 min: up 2.00% from 400.0"


def test_a_trade_more_than_the_window_ago_no_longer_counts() -> None:
    tape = Tape()
    tape.trade(at(10, 0), "400.0")
    tape.trade(at(10, 3), "404.0")
    tape.trade(at(10, 5, 0, 1), "408.0")  # 400.0 left the window 1 ms ago; +0.99 % from 404.0
    assert run(AlertEvaluator([alert("move", "2", minutes=5)]), tape) == []


def test_move_down_fires_from_the_window_high() -> None:
    tape = Tape()
    for ts, price in [(at(10, 0), "400.0"), (at(10, 1), "401.0"), (at(10, 2), "393.2"), (at(10, 3), "392.8")]:
        tape.trade(ts, price)
    events = run(AlertEvaluator([alert("move", "2", minutes=5)]), tape)
    assert fired_at(events) == [(D("392.8"), at(10, 3))]  # 401.0 × 0.98 = 392.98
    assert "down 2.04% from 401.0" in events[0].condition


def test_lunch_is_not_counted_in_a_move_window() -> None:
    inside = Tape()
    inside.trade(at(11, 58), "400.0")
    inside.trade(at(13, 2), "408.0")  # four trading minutes later
    assert fired_at(run(AlertEvaluator([alert("move", "2", minutes=5)]), inside)) == [(D("408.0"), at(13, 2))]
    outside = Tape()
    outside.trade(at(11, 56), "400.0")
    outside.trade(at(13, 2), "408.0")  # six trading minutes later
    assert run(AlertEvaluator([alert("move", "2", minutes=5)]), outside) == []


def test_a_half_day_has_no_lunch_to_remove() -> None:
    tape = Tape()
    tape.trade(at(11, 59, day=HALF_DAY), "400.0")
    tape.trade(at(12, 8, day=HALF_DAY), "408.0")  # closing auction, 9 minutes later
    assert run(AlertEvaluator([alert("move", "2", minutes=5)]), tape) == []


def test_move_windows_start_empty_each_day_and_re_arm_after_the_cooldown() -> None:
    tape = Tape()
    tape.trade(at(15, 58), "400.0")
    tape.seq = 0
    tape.trade(at(9, 30, day=NEXT_DAY), "408.0")  # +2 % overnight is not a move within 5 minutes
    tape.trade(at(9, 31, day=NEXT_DAY), "416.2")  # +2.01 %: fires
    tape.trade(at(9, 32, day=NEXT_DAY), "425.0")  # cooling down
    tape.trade(at(9, 33, day=NEXT_DAY), "416.0")
    tape.trade(at(9, 34, day=NEXT_DAY), "407.6")  # re-armed (3 min), -4.1 % from 425.0: fires
    events = run(AlertEvaluator([alert("move", "2", minutes=5, repeat=3)]), tape)
    assert fired_at(events) == [(D("416.2"), at(9, 31, day=NEXT_DAY)), (D("407.6"), at(9, 34, day=NEXT_DAY))]


def minute_trades(tape: Tape, first_minute: int, volumes: list[str]) -> None:
    """One trade per trading minute from ``first_minute`` (minute 0 = 09:30)."""
    for i, volume in enumerate(volumes):
        m = first_minute + i
        hh, mm = divmod(9 * 60 + 30 + m + (60 if m >= 150 else 0), 60)
        tape.trade(at(hh, mm, 10), "400.0", volume)


def test_volume_surge_fires_on_the_trade_that_takes_the_window_to_the_multiple() -> None:
    tape = Tape()
    minute_trades(tape, 0, ["1000"] * 10)  # minutes 0-9: five 2-minute windows, average 2000
    tape.trade(at(9, 40, 5), "400.0", "1500")  # minute 10
    tape.trade(at(9, 41, 5), "400.0", "2400")  # minute 11: window 3900
    tape.trade(at(9, 41, 6), "400.2", "100")  # window 4000 = 2 × 2000: fires
    tape.trade(at(9, 41, 7), "400.4", "5000")
    events = run(AlertEvaluator([alert("volume_surge", "2", minutes=2)]), tape)
    assert fired_at(events) == [(D("400.2"), at(9, 41, 6))]
    assert events[0].condition == "volume in 2 min ≥ 2× its recent average: 4000 vs average 2000"


def test_volume_surge_is_not_judged_before_five_windows_of_history() -> None:
    tape = Tape()
    minute_trades(tape, 0, ["1000"] * 9)  # minutes 0-8
    tape.trade(at(9, 39, 30), "400.0", "900000")  # minute 9: only four and a half windows before
    tape.trade(at(9, 40, 30), "400.0", "100")  # minute 10: window 9-10 holds the spike, history 0-8 only
    assert run(AlertEvaluator([alert("volume_surge", "2", minutes=2)]), tape) == []


def test_volume_surge_needs_volume_in_its_history() -> None:
    tape = Tape()
    tape.trade(at(9, 35), "400.0", "1000")  # minute 5: the history (minutes 0-4) is empty
    assert run(AlertEvaluator([alert("volume_surge", "2", minutes=1)]), tape) == []


def test_volume_history_runs_across_lunch_and_ignores_the_pre_opening_auction() -> None:
    tape = Tape()
    tape.trade(at(9, 20), "400.0", "99999999")  # auction match: not counted
    minute_trades(tape, 0, ["1000"] * 150)  # 09:30-11:59
    tape.trade(at(13, 0, 1), "400.0", "2999")  # minute 150
    tape.trade(at(13, 0, 2), "400.0", "1")  # 3000 = 3 × average 1000
    events = run(AlertEvaluator([alert("volume_surge", "3", minutes=1)]), tape)
    assert fired_at(events) == [(D("400.0"), at(13, 0, 2))]


def test_stored_minute_bars_seed_the_volume_history() -> None:
    bars = [
        Bar("700.HK", at(9, 30 + m), 60, D("400"), D("400"), D("400"), D("400"), D("1000"), D("400000"), 3)
        for m in range(5)
    ]
    ev = AlertEvaluator([alert("volume_surge", "3", minutes=1)])
    ev.seed_minute_bars("700.HK", bars)
    tape = Tape()
    tape.trade(at(9, 35, 1), "400.0", "2900")
    tape.trade(at(9, 35, 2), "400.0", "100")
    assert fired_at(run(ev, tape)) == [(D("400.0"), at(9, 35, 2))]


def test_a_move_window_keeps_about_twice_its_trades_and_one_per_run_of_a_price() -> None:
    """The window keeps its trades between the times it works them out: a long quiet day must
    not pile them up, and a run of trades at one price is kept as one."""
    ev = AlertEvaluator([alert("move", "50", minutes=1)])  # never fires on this tape
    tape = Tape()
    start = at(10, 0)
    for i in range(20_000):  # 100 trades a second for 200 s, a new price every other trade
        tape.trade(start + 10 * i, "400.0" if i % 4 < 2 else "400.2")
    run(ev, tape)
    window = ev._watches["700.HK"].moves[1]
    runs_in_a_minute = 6000 // 2
    assert len(window._times) == len(window._prices) <= 2 * runs_in_a_minute + windows._TRIM_MIN
    assert len(window._times) >= runs_in_a_minute  # the last minute is all there
