"""Chart buffers and bars: growing, ordering, and bucketing on the Hong Kong clock."""

from __future__ import annotations

import numpy as np
import pytest

from hkdesk.ui.chart_data import BarSeries, TickBuffer, aggregate, bucket_start


def test_tick_buffer_grows_without_losing_order_and_drops_oldest_half() -> None:
    buf = TickBuffer(capacity=4, max_capacity=16)
    for i in range(10):
        buf.append(float(i), 100.0 + i, 10.0)
    assert buf.n == 10 and list(buf.t[:3]) == [0.0, 1.0, 2.0]
    assert buf.vwap[buf.n - 1] == pytest.approx(np.mean(100.0 + np.arange(10)))
    buf.extend(np.arange(10, 20, dtype=float), np.full(10, 50.0), np.full(10, 1.0))
    assert buf.n <= 16
    assert buf.t[buf.n - 1] == 19.0
    assert np.all(np.diff(buf.t[: buf.n]) > 0)


def test_bars_align_to_hong_kong_clock_and_track_the_forming_bar() -> None:
    # 09:30:00 HKT on 2026-11-27 = 01:30 UTC
    t0 = 1_795_743_000.0
    assert bucket_start(t0 + 299, 300) == t0
    t = t0 + np.array([0, 10, 70, 130, 301])
    p = np.array([10.0, 11.0, 9.0, 10.5, 12.0])
    v = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    bars = aggregate(t, p, v, 60)
    assert bars.shape == (4, 6)
    assert list(bars[0]) == [t0, 10.0, 11.0, 10.0, 11.0, 3.0]
    series = BarSeries(60)
    series.load(t, p, v)
    assert series.n == 3 and series.forming is not None and series.forming[0] == t0 + 300
    assert not series.add(t0 + 330, 13.0, 1.0)
    assert series.forming[2] == 13.0 and series.forming[5] == 6.0
    assert series.add(t0 + 400, 12.5, 1.0)
    assert series.n == 4
    assert series.bar_at(t0 + 65)[4] == 9.0
