"""History queries the GUI uses, on both databases."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from storekit import T0, tick

from hkdesk.store import BatchWriter, make_engine
from hkdesk.store.history import (
    bars_between,
    close_before,
    count_ticks,
    gaps_between,
    last_trade,
    tick_arrays,
    ticks_between,
)


@pytest.fixture
def engine(db_url, tmp_path):
    eng = make_engine(db_url)
    w = BatchWriter(eng, spill_dir=tmp_path / "spill")
    w.put_ticks([tick(i, ts=T0 + i * 1000, price=f"{100 + i}.5") for i in range(10)])
    w.put_ticks([tick(1, "5.HK", ts=T0 + 500, price="60.05")])
    w.put_gap("700.HK", T0 + 2000, T0 + 4000, "reconnect", recorded_at=12.0)
    w.put_gap("5.HK", T0 + 9000, T0 + 9500, "restart", recorded_at=13.0)
    assert w.stop(10)
    yield eng
    eng.dispose()


def test_ticks_between_is_half_open_ascending_with_limits(engine):
    got = ticks_between(engine, "700.HK", T0 + 2000, T0 + 5000)
    assert [t.seq for t in got] == [2, 3, 4]
    assert got[0].price == Decimal("102.5") and got[0].received_at == 1.5
    assert [t.seq for t in ticks_between(engine, "700.HK", T0, T0 + 10**9, limit=3)] == [0, 1, 2]
    assert [t.seq for t in ticks_between(engine, "700.HK", T0, T0 + 10**9, limit=3, newest=True)] == [7, 8, 9]
    assert ticks_between(engine, "9999.HK", T0, T0 + 10**9) == []


def test_counts_and_last_trade(engine):
    assert count_ticks(engine) == 11
    assert count_ticks(engine, "5.HK") == 1
    assert last_trade(engine, "700.HK").seq == 9
    assert last_trade(engine, "5.HK").price == Decimal("60.05")
    assert last_trade(engine, "9999.HK") is None


def test_gaps_between_overlap(engine):
    assert [g.reason for g in gaps_between(engine, "700.HK", T0 + 3000, T0 + 3001)] == ["reconnect"]
    assert gaps_between(engine, "700.HK", T0 + 4001, T0 + 9000) == []
    everything = gaps_between(engine, None, T0, T0 + 10**6)
    assert [(g.symbol, g.recorded_at) for g in everything] == [("700.HK", 12.0), ("5.HK", 13.0)]


def test_bars_between(engine):
    (minute,) = bars_between(engine, "700.HK", 60, T0, T0 + 10**6)
    assert (minute.open, minute.high, minute.low, minute.close, minute.trades) == (
        Decimal("100.5"),
        Decimal("109.5"),
        Decimal("100.5"),
        Decimal("109.5"),
        10,
    )
    (hour,) = bars_between(engine, "700.HK", 3600, T0 + 10, T0 + 10**6)
    assert hour.interval_s == 3600 and hour.trades == 10 and hour.volume == Decimal(1000)
    with pytest.raises(ValueError):
        bars_between(engine, "700.HK", 7, T0, T0 + 1)


def test_tick_arrays(engine):
    ts, price, volume = tick_arrays(engine, "700.HK", T0, T0 + 3000)
    assert ts.dtype == np.int64 and price.dtype == np.float64 and volume.dtype == np.float64
    np.testing.assert_array_equal(ts, [T0, T0 + 1000, T0 + 2000])
    np.testing.assert_array_equal(price, [100.5, 101.5, 102.5])
    np.testing.assert_array_equal(volume, [100.0, 100.0, 100.0])
    empty = tick_arrays(engine, "700.HK", 0, 1)
    assert all(a.size == 0 for a in empty)


def test_close_before_is_the_last_stored_price_before_a_time(engine):
    minute = T0 - T0 % 60_000  # all ten trades fall in this minute
    assert close_before(engine, "700.HK", T0 + 10**6) == Decimal("109.5")
    assert close_before(engine, "700.HK", minute + 1) == Decimal("109.5")
    assert close_before(engine, "700.HK", minute) is None  # nothing before the first minute
    assert close_before(engine, "9999.HK", T0 + 10**6) is None
