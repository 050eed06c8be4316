"""Pure bar aggregation: live builder, batch aggregation, HK daily bars, numpy resampling."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
import pytest
from storekit import T0, tick

from hkdesk.domain.bars import (
    DAY,
    BarBuilder,
    aggregate,
    bar_start,
    bars_to_arrays,
    merge_bars,
    resample_arrays,
)
from hkdesk.store.minute_bars import deltas_from_ticks

MIN = 60_000


def test_bar_start_aligns_intraday_to_clock_and_days_to_hong_kong_midnight():
    ts = T0 + 123_456
    assert bar_start(ts, 60) % MIN == 0 and 0 <= ts - bar_start(ts, 60) < MIN
    assert bar_start(ts, 3600) % 3_600_000 == 0
    # 2023-11-14 16:00 UTC is 2023-11-15 00:00 in Hong Kong.
    hk_midnight = 1_700_064_000_000
    assert bar_start(hk_midnight, DAY) == hk_midnight
    assert bar_start(hk_midnight - 1, DAY) == hk_midnight - 86_400_000
    assert bar_start(hk_midnight + 86_399_999, DAY) == hk_midnight


def test_bad_interval_rejected():
    with pytest.raises(ValueError):
        BarBuilder(7)
    with pytest.raises(ValueError):
        aggregate([], 0)


def test_builder_closes_bars_on_exchange_time_and_exposes_the_forming_one():
    b = BarBuilder(60)
    base = bar_start(T0, 60)
    assert b.add(tick(1, ts=base + 1_000, price="10")) == []
    assert b.add(tick(2, ts=base + 2_000, price="12", volume="5")) == []
    assert b.add(tick(3, ts=base + 59_999, price="9")) == []
    forming = b.forming("700.HK")
    assert forming is not None and forming.close == Decimal("9") and forming.trades == 3
    forming.close = Decimal("1")  # a copy: the builder is not affected
    closed = b.add(tick(4, ts=base + 60_000, price="11"))
    assert len(closed) == 1
    bar = closed[0]
    assert (bar.start, bar.open, bar.high, bar.low, bar.close) == (base, 10, 12, 9, 9)
    assert bar.volume == Decimal(205) and bar.trades == 3
    assert bar.turnover == Decimal(10 * 100 + 12 * 5 + 9 * 100)
    # A late tick cannot reopen the closed bar.
    assert b.add(tick(5, ts=base + 30_000, price="100")) == [] and b.late == 1
    assert b.forming("700.HK").high == Decimal("11")
    assert [x.start for x in b.flush()] == [base + 60_000]
    assert b.forming("700.HK") is None


def test_builder_keeps_symbols_apart():
    b = BarBuilder(300)
    b.add(tick(1, "700.HK", ts=T0))
    b.add(tick(1, "5.HK", ts=T0))
    closed = b.add(tick(2, "700.HK", ts=T0 + 300_000))
    assert [x.symbol for x in closed] == ["700.HK"]
    assert {x.symbol for x in b.forming_bars()} == {"700.HK", "5.HK"}


def _random_ticks(n: int, seed: int = 7) -> list:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sym = rng.choice(["700.HK", "5.HK", "9988.HK"])
        ts = T0 + rng.randrange(0, 2 * 86_400_000)
        out.append(
            tick(
                i,
                sym,
                ts=ts,
                price=f"{rng.randint(1000, 2000) / 10:.1f}",
                volume=str(rng.randint(1, 9) * 100),
            )
        )
    return out


def _brute(ticks, interval_s):
    groups: dict = {}
    for t in ticks:
        groups.setdefault((t.symbol, bar_start(t.ts, interval_s)), []).append(t)
    out = {}
    for key, ts in groups.items():
        ts.sort(key=lambda t: (t.ts, t.seq))
        out[key] = (
            ts[0].price,
            max(t.price for t in ts),
            min(t.price for t in ts),
            ts[-1].price,
            sum(t.volume for t in ts),
            sum(t.turnover for t in ts),
            len(ts),
        )
    return out


@pytest.mark.parametrize("interval_s", [60, 300, 900, 3600, DAY])
def test_aggregate_and_builder_match_brute_force(interval_s):
    data = _random_ticks(3000)
    expected = _brute(data, interval_s)
    got = {
        (b.symbol, b.start): (b.open, b.high, b.low, b.close, b.volume, b.turnover, b.trades)
        for b in aggregate(reversed(data), interval_s)
    }
    assert got == expected
    builder = BarBuilder(interval_s)
    live = builder.add_many(sorted(data, key=lambda t: (t.ts, t.seq))) + builder.flush()
    assert {
        (b.symbol, b.start): (b.open, b.high, b.low, b.close, b.volume, b.turnover, b.trades) for b in live
    } == expected
    assert builder.late == 0


def test_merge_bars_rolls_minutes_up_exactly():
    data = _random_ticks(2000, seed=3)
    minutes = aggregate(data, 60)
    for interval_s in (300, 3600, DAY):
        assert merge_bars(minutes, interval_s) == aggregate(data, interval_s)
    with pytest.raises(ValueError):
        merge_bars(aggregate(data, 3600), 900)


def test_resample_arrays_matches_exact_aggregation():
    data = [t for t in _random_ticks(4000, seed=11) if t.symbol == "700.HK"]
    minute = bars_to_arrays(aggregate(data, 60))
    for interval_s in (300, 900, 3600, DAY):
        expected = bars_to_arrays(aggregate(data, interval_s))
        got = resample_arrays(minute, interval_s)
        np.testing.assert_array_equal(got.start, expected.start)
        for name in ("open", "high", "low", "close"):
            np.testing.assert_array_equal(getattr(got, name), getattr(expected, name))
        np.testing.assert_allclose(got.volume, expected.volume)
    empty = resample_arrays(bars_to_arrays([]), 300)
    assert empty.start.dtype == np.int64 and empty.start.size == 0


@pytest.mark.parametrize("order", ["time", "late ones", "shuffled"])
def test_writer_minute_deltas_match_brute_force(order):
    """The writer's per-batch minute bars (which remember each symbol's current minute) agree
    with exact aggregation whatever the arrival order, across minute boundaries."""
    rng = random.Random(11)
    data = [
        tick(
            i,
            rng.choice(["700.HK", "5.HK", "9988.HK"]),
            ts=T0 + rng.randrange(0, 5 * MIN),
            price=f"{rng.randint(1000, 2000) / 10:.1f}",
            volume=str(rng.randint(1, 9) * 100),
        )
        for i in range(3000)
    ]
    data.sort(key=lambda t: (t.ts, t.seq))
    if order == "late ones":
        for _ in range(300):
            i, j = rng.randrange(len(data)), rng.randrange(len(data))
            data[i], data[j] = data[j], data[i]
    elif order == "shuffled":
        rng.shuffle(data)
    got = {
        key: (d.open, d.high, d.low, d.close, d.volume, d.turnover, d.trades)
        for key, d in deltas_from_ticks(data).items()
    }
    assert got == _brute(data, 60)
