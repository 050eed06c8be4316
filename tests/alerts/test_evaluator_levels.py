"""Price and change alerts fire on exactly the trade that meets them, never before (scripted tapes)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from tapes import NEXT_DAY, Tape, alert, at, fired_at

from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.domain.types import Tick


def test_above_fires_on_the_first_trade_at_or_above_the_value_and_once_only() -> None:
    tape = Tape()
    for i, price in enumerate(["399.8", "400.0", "400.2", "400.4", "401.0"]):
        tape.trade(at(10, 0, i), price)
    ev = AlertEvaluator([alert("above", "400.2")])
    events = ev.evaluate(tape.ticks)
    assert fired_at(events) == [(D("400.2"), at(10, 0, 2))]
    assert events[0].symbol == "700.HK" and events[0].condition == "price ≥ 400.2"
    assert ev.alerts()[0].last_fired_ts == at(10, 0, 2) and ev.alerts()[0].spent
    assert ev.evaluate([tape.trade(at(10, 1), "402.0")]) == ()


def test_below_fires_on_the_first_trade_at_or_below_the_value() -> None:
    tape = Tape()
    for i, price in enumerate(["400.4", "400.2", "400.0", "399.8"]):
        tape.trade(at(10, 0, i), price)
    events = AlertEvaluator([alert("below", "400.0")]).evaluate(tape.ticks)
    assert fired_at(events) == [(D("400.0"), at(10, 0, 2))]


def test_a_spike_inside_one_batch_is_not_missed() -> None:
    tape = Tape()
    tape.trade(at(10, 0, 0, 0), "399.8")
    tape.trade(at(10, 0, 0, 10), "401.0")
    tape.trade(at(10, 0, 0, 20), "399.8")
    events = AlertEvaluator([alert("above", "400.6")]).evaluate(tape.ticks)
    assert fired_at(events) == [(D("401.0"), at(10, 0, 0, 10))]


def test_a_level_already_met_fires_on_the_next_trade() -> None:
    ev = AlertEvaluator([alert("above", "300")])
    assert fired_at(ev.evaluate([Tape().trade(at(10, 0), "400.0")])) == [(D("400.0"), at(10, 0))]


def test_re_arming_alert_fires_again_only_from_the_cooldown_on_and_only_when_met() -> None:
    tape = Tape()
    ev = AlertEvaluator([alert("above", "400.2", repeat=5)])
    got = []
    for ts, price in [
        (at(10, 0), "400.2"),  # fires
        (at(10, 1), "401.0"),  # cooling down
        (at(10, 4, 59, 999), "401.0"),  # 1 ms short of the cooldown
        (at(10, 5), "400.4"),  # re-armed at exactly 5 minutes, and met: fires
        (at(10, 10, 30), "400.0"),  # re-armed, not met
        (at(10, 11), "399.8"),
        (at(10, 12), "400.2"),  # met: fires
    ]:
        got += ev.evaluate([tape.trade(ts, price)])
    assert fired_at(got) == [(D("400.2"), at(10, 0)), (D("400.4"), at(10, 5)), (D("400.2"), at(10, 12))]


def test_change_above_compares_with_the_previous_close_exactly() -> None:
    ev = AlertEvaluator([alert("change_above", "3")])
    tape = Tape()
    assert ev.evaluate([tape.trade(at(10, 0), "420.0")]) == ()  # no previous close yet: not judged
    ev.set_previous_close("700.HK", D("388.6"))  # level 388.6 × 1.03 = 400.258
    assert ev.evaluate([tape.trade(at(10, 1), "400.2")]) == ()
    events = ev.evaluate([tape.trade(at(10, 2), "400.4")])
    assert fired_at(events) == [(D("400.4"), at(10, 2))]
    assert (D("400.4") - D("388.6")) * 100 / D("388.6") >= 3 > (D("400.2") - D("388.6")) * 100 / D("388.6")
    assert events[0].condition == "change ≥ +3% vs previous close 388.6 (price level 400.258)"


def test_change_below_fires_at_exactly_the_percent() -> None:
    ev = AlertEvaluator([alert("change_below", "-2.5")])
    ev.set_previous_close("700.HK", D("400"))
    tape = Tape()
    for i, price in enumerate(["395.0", "390.2", "390.0", "389.8"]):
        tape.trade(at(10, 0, i), price)
    assert fired_at(ev.evaluate(tape.ticks)) == [(D("390.0"), at(10, 0, 2))]


def test_the_previous_close_rolls_to_the_last_price_on_a_new_day() -> None:
    ev = AlertEvaluator([alert("change_above", "1")])
    tape = Tape()
    assert ev.evaluate([tape.trade(at(15, 59), "400.0")]) == ()
    tape.seq = 0  # sequence numbers restart with the day
    day2 = [tape.trade(at(9, 30, day=NEXT_DAY), "403.8"), tape.trade(at(9, 31, day=NEXT_DAY), "404.0")]
    assert fired_at(ev.evaluate(day2)) == [(D("404.0"), at(9, 31, day=NEXT_DAY))]


def test_replayed_and_earlier_day_trades_are_ignored() -> None:
    ev = AlertEvaluator([alert("above", "500")])
    tape = Tape()
    tape.trade(at(10, 0), "400.0")
    tape.trade(at(10, 1), "400.2")
    replay = Tick("700.HK", 1, at(10, 0), D("600"), D("100"))  # seq 1 again, after seq 2
    earlier = Tick("700.HK", 99, at(15, 0, day=NEXT_DAY.replace(day=1)), D("600"), D("100"))
    assert ev.evaluate([*tape.ticks, replay, earlier]) == ()


def test_paused_alerts_are_not_judged_and_resume_at_once() -> None:
    paused = alert("above", "400", paused=True)
    ev = AlertEvaluator([paused])
    tape = Tape()
    assert ev.evaluate([tape.trade(at(10, 0), "401.0")]) == ()
    ev.set_alerts([replace(paused, paused=False)])
    assert fired_at(ev.evaluate([tape.trade(at(10, 1), "400.0")])) == [(D("400.0"), at(10, 1))]


def test_only_the_alert_symbol_and_only_the_levels_met_fire() -> None:
    ev = AlertEvaluator(
        [
            alert("above", "400.2", id=1),
            alert("above", "401.0", id=2),
            alert("above", "50", symbol="5.HK", id=3),
        ]
    )
    a, b = Tape("700.HK"), Tape("9988.HK")
    events = ev.evaluate([b.trade(at(10, 0), "900"), a.trade(at(10, 0, 1), "400.6")])
    assert [e.alert.id for e in events] == [1]
    events = ev.evaluate([a.trade(at(10, 0, 2), "401.0"), b.trade(at(10, 0, 3), "901")])
    assert [e.alert.id for e in events] == [2]
    assert ev.symbols() == {"700.HK", "5.HK"}


def test_a_reload_that_has_not_seen_a_firing_cannot_make_a_once_alert_fire_again() -> None:
    stored = alert("above", "400")
    ev = AlertEvaluator([stored])
    tape = Tape()
    assert len(ev.evaluate([tape.trade(at(10, 0), "400.0")])) == 1
    ev.set_alerts([stored])  # the storage copy, written before the firing was recorded
    assert ev.evaluate([tape.trade(at(10, 1), "401.0")]) == ()


def test_firing_state_survives_a_restart() -> None:
    spent = alert("above", "400", id=1, last_fired_ts=at(9, 45))
    cooling = alert("below", "400", repeat=30, id=2, last_fired_ts=at(10, 0))
    ev = AlertEvaluator([spent, cooling])
    tape = Tape()
    assert ev.evaluate([tape.trade(at(10, 29, 59), "500"), tape.trade(at(10, 29, 59, 1), "300")]) == ()
    events = ev.evaluate([tape.trade(at(10, 30), "300")])
    assert [(e.alert.id, e.ts) for e in events] == [(2, at(10, 30))]
