"""A simulated day is reproducible: the tape of a symbol is a function of (seed, date, symbol)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np

from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.symbols import default_universe
from hkdesk.sim.model import MarketModel

DAY = date(2026, 3, 3)
CODES = ["700.HK", "5.HK", "9988.HK", "1299.HK", "3690.HK", "HSI", "HSTECH"]


def universe(codes):
    full = default_universe()
    return {c: full[c] for c in codes}


def hk(hh, mm, ss=0):
    return datetime.combine(DAY, time(hh, mm, ss), HK_TZ)


def run(model, start, end, step):
    model.start(start)
    now, out = start, []
    while now < end:
        now = min(now + timedelta(seconds=step), end)
        out += model.advance(now)
    return out


def fields(trades, symbol, since=None):
    since_ms = since.timestamp() * 1000 if since else 0
    return [
        (t.seq, t.ts, t.price, t.volume, t.direction)
        for t in trades
        if t.symbol == symbol and t.ts > since_ms
    ]


def test_a_late_start_and_other_cycle_lengths_give_the_same_trades():
    early_model = MarketModel(universe(CODES), seed=9)
    early = run(early_model, hk(9, 0), hk(10, 40), 0.7)
    late_model = MarketModel(universe(CODES), seed=9)
    late = run(late_model, hk(10, 15), hk(10, 40), 13.0)
    for code in CODES:
        assert fields(late, code) == fields(early, code, since=hk(10, 15)), code
        assert len(fields(late, code)) > 5
    # the late start made the morning too: its K-lines cover the minutes it never pushed
    cut = hk(10, 15).timestamp()
    for code in ("700.HK", "HSI"):
        missed = [b for b in late_model.kline(code, 1, 500) if b.timestamp < cut]
        assert missed == [b for b in early_model.kline(code, 1, 500) if b.timestamp < cut]
        assert len(missed) > 40


def test_a_symbols_tape_does_not_depend_on_the_other_symbols():
    alone = run(MarketModel(universe(["700.HK"]), seed=4), hk(9, 15), hk(10, 0), 5.0)
    among = run(MarketModel(default_universe(), seed=4), hk(9, 15), hk(10, 0), 5.0)
    assert fields(alone, "700.HK") == fields(among, "700.HK")
    assert len(fields(alone, "700.HK")) > 100
    other_seed = run(MarketModel(universe(["700.HK"]), seed=5), hk(9, 15), hk(10, 0), 5.0)
    assert fields(other_seed, "700.HK") != fields(alone, "700.HK")


def test_the_previous_close_does_not_depend_on_the_start_date():
    a = MarketModel(universe(CODES), seed=2)
    a.start(datetime.combine(date(2026, 3, 2), time(9, 0), HK_TZ))
    a.advance(hk(9, 0))  # through Monday into Tuesday
    b = MarketModel(universe(CODES), seed=2)
    b.start(hk(9, 0))
    for code in CODES:
        assert a.prev_close(code) == b.prev_close(code), code
        assert a.daily_bars(code, 1)[-1].close == b.prev_close(code)


def test_each_index_print_is_its_basket_of_the_members_last_prices():
    model = MarketModel(universe(CODES), seed=6)
    trades = run(model, hk(9, 0), hk(10, 30), 3.0)
    last = np.array([model.prev_close(s) for s in model.symbols], dtype=np.int64)
    indices = {model.row("HSI"): 0, model.row("HSTECH"): 0}
    for t in trades:
        row = model.row(t.symbol)
        if row in indices:
            assert t.price == model.indices.level(row, last), t
            assert t.volume == 0 and t.direction == 0
            indices[row] += 1
        else:
            last[row] = t.price
    assert all(count > 1500 for count in indices.values())  # every 2 s from 09:30
    for row in indices:
        members = model.indices.members[row]
        assert {model.symbols[m] for m in members} <= set(CODES) and len(members) >= 3
        weights = model.indices.quantities[row] * np.array(
            [model.series.close(m, date(2025, 12, 31)) for m in members]
        )
        assert (weights > 0).all()  # every member's rise lifts the index
        assert abs(weights.sum() / model.indices.base[row] - 1) < 1e-9


def test_index_membership_comes_from_the_symbols_file(tmp_path):
    from hkdesk.sim.indices import load_membership

    shipped = load_membership()
    assert {"HSI", "HSCEI", "HSTECH"} <= set(shipped)
    assert "700.HK" in shipped["HSTECH"] and "5.HK" not in shipped["HSTECH"]
    assert "1288.HK" not in shipped["HSI"] and "1288.HK" in shipped["HSCEI"]
    mine = tmp_path / "mine.csv"
    mine.write_text(
        "code,name_en,name_zh,lot_size,approx_price,in_hsi\n700,TENCENT,騰訊控股,100,550,1\n", "utf-8"
    )
    assert load_membership(mine) == {"HSI": frozenset({"700.HK"})}
