"""Indicators against hand-computed values and the properties their definitions imply."""

from __future__ import annotations

from decimal import Decimal as D
from decimal import localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hkdesk.domain.indicators import bollinger, closes, ema, macd, rsi, sma
from hkdesk.domain.types import Bar


def ds(*values) -> list[D]:
    return [D(str(v)) for v in values]


def test_sma_is_the_mean_of_the_last_n_closes() -> None:
    assert sma(ds(1, 2, 3, 4, 5), 3) == [None, None, D(2), D(3), D(4)]
    assert sma(ds(1, 2), 3) == [None, None]


def test_ema_is_seeded_with_the_sma_and_then_smoothed() -> None:
    assert ema(ds(1, 2, 3, 4, 5, 6), 3) == [None, None, D(2), D(3), D(4), D(5)]  # α = 1/2
    got = ema(ds(10, 11, 13), 2)  # α = 2/3: seed 10.5, then 10.5 + 2/3 × 2.5
    assert got[:2] == [None, D("10.5")]
    assert abs(got[2] - (D("10.5") + D(5) / 3)) < D("1e-26")


def test_bollinger_uses_the_population_deviation() -> None:
    bands = bollinger(ds(2, 4, 4, 4, 5, 5, 7, 9), n=8, k=2)  # mean 5, σ 2
    assert (bands.middle[-1], bands.upper[-1], bands.lower[-1]) == (D(5), D(9), D(1))
    assert bands.middle[:7] == [None] * 7


def test_rsi_with_wilder_smoothing_by_hand() -> None:
    values = rsi(ds(10, 11, "10.5", "11.5", 12, 11), n=3)
    assert values[:3] == [None, None, None]
    assert values[3] == D(80)  # gains 2/3, losses 1/6
    assert abs(values[4] - (D(100) - D(100) / D("6.5"))) < D("1e-25")  # 11/18 vs 1/9
    assert values[5] == D(50)  # 11/27 each


def test_rsi_edges() -> None:
    assert rsi(ds(*range(1, 20)), 14)[-1] == D(100)
    assert rsi([D(5)] * 20, 14)[-1] == D(50)
    assert rsi(ds(*range(20, 1, -1)), 14)[-1] == D(0)
    assert rsi(ds(*range(14)), 14) == [None] * 14


def test_macd_warm_up_and_a_straight_line() -> None:
    line = ds(*range(100, 160))
    result = macd(line)
    assert result.line[24] is None and result.line[25] is not None
    assert result.signal[32] is None and result.signal[33] is not None
    # on a straight line every EMA(n) lags by exactly (n-1)/2: the MACD line is 12.5 - 5.5 = 7
    for t in range(25, 60):
        assert abs(result.line[t] - 7) < D("1e-20")
    for t in range(33, 60):
        assert abs(result.signal[t] - 7) < D("1e-20") and abs(result.histogram[t]) < D("1e-20")
    flat = macd([D("388.6")] * 40)
    assert flat.line[39] == 0 and flat.signal[39] == 0 and flat.histogram[39] == 0


def test_the_callers_decimal_context_does_not_matter() -> None:
    values = ds(1, 2, 4, 8, 16, 32, 64)
    expected = sma(values, 3), ema(values, 3), rsi(values, 3), bollinger(values, 3)
    with localcontext() as ctx:
        ctx.prec = 3
        assert (sma(values, 3), ema(values, 3), rsi(values, 3), bollinger(values, 3)) == expected


def test_bad_periods_are_refused() -> None:
    with pytest.raises(ValueError):
        sma(ds(1, 2), 0)
    with pytest.raises(ValueError):
        macd(ds(1, 2), fast=26, slow=12)


def test_closes_of_bars() -> None:
    bar = Bar("700.HK", 0, 60, D(1), D(2), D("0.5"), D("1.5"), D(10), D(15), 2)
    assert closes([bar, bar]) == [D("1.5"), D("1.5")]


prices = st.lists(st.integers(1, 10**6).map(lambda n: D(n) / 1000), min_size=1, max_size=80)


@given(prices, st.integers(1, 30))
def test_sma_equals_the_direct_mean_and_bands_are_symmetric(values, n) -> None:
    got = sma(values, n)
    bands = bollinger(values, n)
    for t in range(len(values)):
        if t < n - 1:
            assert got[t] is None and bands.upper[t] is None
            continue
        window = values[t - n + 1 : t + 1]
        assert got[t] == sum(window) / n
        above, below = bands.upper[t] - bands.middle[t], bands.middle[t] - bands.lower[t]
        assert above >= 0 and abs(above - below) <= D("1e-24")  # each band rounds once, at 28 digits
        assert min(window) - D("1e-20") <= bands.middle[t] <= max(window) + D("1e-20")


@given(prices, st.integers(1, 20))
def test_rsi_stays_within_0_and_100(values, n) -> None:
    for value in rsi(values, n)[n:]:
        assert 0 <= value <= 100
