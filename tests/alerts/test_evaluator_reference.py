"""The evaluator against a literal reading of the rules, on generated tapes cut into any batches."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import reference
from tapes import at

from hkdesk.alerts import windows
from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.alerts.model import Alert, Kind
from hkdesk.domain.types import Tick

SYMBOLS = ("700.HK", "5.HK")


@st.composite
def tapes(draw) -> list[Tick]:
    """Trades of two symbols from 09:25, with gaps that cross lunch and the night, and replays."""
    ts = at(9, 25)
    seqs = dict.fromkeys(SYMBOLS, 0)
    prices = dict.fromkeys(SYMBOLS, 1000)
    out: list[Tick] = []
    for _ in range(draw(st.integers(1, 160))):
        ts += draw(st.one_of(st.integers(0, 40_000), st.integers(0, 3_000_000), st.just(14 * 3_600_000)))
        if out and draw(st.integers(0, 15)) == 0:
            old = draw(st.sampled_from(out))
            out.append(Tick(old.symbol, old.seq, ts, old.price + 5, old.volume))  # a replay
            continue
        sym = draw(st.sampled_from(SYMBOLS))
        prices[sym] = max(1, prices[sym] + draw(st.integers(-12, 12)))
        seqs[sym] += 1
        volume = Decimal(draw(st.sampled_from([100, 200, 500, 1000, 5000, 20000])))
        out.append(Tick(sym, seqs[sym], ts, Decimal(prices[sym]) / 10, volume))
    return out


@st.composite
def alert_sets(draw) -> list[Alert]:
    alerts = []
    for i in range(1, draw(st.integers(1, 8)) + 1):
        kind = draw(st.sampled_from(list(Kind)))
        value = {
            Kind.ABOVE: st.integers(950, 1050).map(lambda n: Decimal(n) / 10),
            Kind.BELOW: st.integers(950, 1050).map(lambda n: Decimal(n) / 10),
            Kind.CHANGE_ABOVE: st.integers(-30, 30).map(lambda n: Decimal(n) / 10),
            Kind.CHANGE_BELOW: st.integers(-30, 30).map(lambda n: Decimal(n) / 10),
            Kind.MOVE: st.integers(1, 30).map(lambda n: Decimal(n) / 10),
            Kind.VOLUME_SURGE: st.integers(5, 40).map(lambda n: Decimal(n) / 10),
        }[kind]
        minutes = (
            draw(st.integers(1, 3 if kind is Kind.VOLUME_SURGE else 20))
            if kind in (Kind.MOVE, Kind.VOLUME_SURGE)
            else None
        )
        alerts.append(
            Alert(
                symbol=draw(st.sampled_from(SYMBOLS)),
                kind=kind,
                value=draw(value),
                minutes=minutes,
                cooldown_minutes=draw(st.one_of(st.none(), st.integers(1, 30))),
                paused=draw(st.integers(0, 9)) == 0,
                id=i,
            )
        )
    return alerts


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    alerts=alert_sets(),
    ticks=tapes(),
    cuts=st.lists(st.integers(0, 200), max_size=12),
    close=st.booleans(),
    trim=st.sampled_from([windows._TRIM_MIN, 2, 5]),
)
def test_fires_on_the_same_trades_as_the_reference(alerts, ticks, cuts, close, trim) -> None:
    """``trim``: how short a move window's trade lists may be cut (the shipped floor is longer
    than these tapes; a short one cuts them, and works the window out, every few trades)."""
    with mock.patch.object(windows, "_TRIM_MIN", trim):
        judge_like_the_reference(alerts, ticks, cuts, close)


def judge_like_the_reference(alerts: list[Alert], ticks: list[Tick], cuts: list[int], close: bool) -> None:
    closes = {"700.HK": Decimal("100.0")} if close else {}
    expected = reference(alerts, ticks, closes)
    ev = AlertEvaluator(alerts)
    for sym, price in closes.items():
        ev.set_previous_close(sym, price)
    position: dict[tuple[str, int, int], int] = {}
    for i, t in enumerate(ticks):
        position.setdefault((t.symbol, t.ts, t.seq), i)  # a replay may repeat a trade's key
    fired = []
    bounds = sorted({0, len(ticks), *(c for c in cuts if c < len(ticks))})
    for lo, hi in pairwise(bounds):
        for event in ev.evaluate(ticks[lo:hi]):
            i = position[(event.symbol, event.ts, event.seq)]
            assert lo <= i < hi and ticks[i].price == event.price
            fired.append((i, event.alert.id))
    assert sorted(fired) == sorted(expected)
