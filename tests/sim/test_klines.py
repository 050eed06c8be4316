"""K-lines are the truth of the simulated tape (property test over random days)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hkdesk.domain.sessions import HK_TZ, is_half_day, is_trading_day, next_trading_day, phase_at
from hkdesk.domain.symbols import default_universe
from hkdesk.sim.bars import Bar
from hkdesk.sim.model import MarketModel

CODES = ["700.HK", "5.HK", "2.HK", "9988.HK", "HSI"]
INTERVALS = {1: 1, 2: 5, 3: 15, 4: 30, 5: 60}
TRADING_DAYS = [
    d
    for d in (date(2025, 9, 1) + timedelta(days=i) for i in range(500))
    if is_trading_day(d) and is_trading_day(next_trading_day(d))
]
HALF_DAYS = [d for d in TRADING_DAYS if is_half_day(d)]


def universe():
    full = default_universe()
    return {c: full[c] for c in CODES}


def aggregate(trades, seconds: int) -> list[Bar]:
    bars: dict[int, list[int]] = {}
    for t in trades:
        start = t.ts // 1000 // seconds * seconds
        bar = bars.get(start)
        if bar is None:
            bars[start] = [t.price, t.price, t.price, t.price, t.volume, t.price * t.volume]
        else:
            bar[1] = max(bar[1], t.price)
            bar[2] = min(bar[2], t.price)
            bar[3] = t.price
            bar[4] += t.volume
            bar[5] += t.price * t.volume
    return [Bar(start, *values) for start, values in sorted(bars.items())]


def on(day: date, bar: Bar) -> bool:
    return datetime.fromtimestamp(bar.timestamp, HK_TZ).date() == day


def hk(day: date, hh: int, mm: int) -> float:
    return datetime.combine(day, time(hh, mm), HK_TZ).timestamp()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    day=st.one_of(st.sampled_from(TRADING_DAYS), st.sampled_from(HALF_DAYS)),
    seed=st.integers(0, 2**16),
    steps=st.lists(st.floats(0.2, 1800.0), min_size=1, max_size=12),
    burst_at=st.integers(0, 60),
)
def test_bars_are_exactly_the_trades_made_and_the_close_is_the_next_previous_close(
    day, seed, steps, burst_at
):
    model = MarketModel(universe(), seed=seed)
    now = datetime.combine(day, time(9, 0), HK_TZ)
    model.start(now)
    previous_close = {code: model.prev_close(code) for code in CODES}
    end = datetime.combine(day, time(17, 0), HK_TZ)
    trades, k = [], 0
    while now < end:
        now = min(now + timedelta(seconds=steps[k % len(steps)]), end)
        trades += model.advance(now)
        if k == burst_at and phase_at(now).is_continuous:
            trades += model.burst(300, ["700.HK", "HSI"], now)  # burst trades make bars too
        k += 1
    next_day = next_trading_day(day)
    trades += model.advance(datetime.combine(next_day, time(9, 0), HK_TZ))
    quiet = (hk(day, 12, 0), hk(day, 12, 8) if is_half_day(day) else hk(day, 13, 0))
    for code in CODES:
        mine = [t for t in trades if t.symbol == code]
        assert mine, code
        for kline_type, minutes in INTERVALS.items():
            got = [b for b in model.kline(code, kline_type, 500) if on(day, b)]
            assert got == aggregate(mine, minutes * 60), (code, kline_type)
        assert not [b for b in model.kline(code, 1, 500) if quiet[0] <= b.timestamp < quiet[1]]
        daily = model.daily_bars(code, 3)
        assert on(day, daily[-1])
        assert daily[-1] == aggregate(mine, 86400)[0]._replace(timestamp=daily[-1].timestamp)
        assert daily[-1].close == model.prev_close(code)  # what the next day starts from
        assert daily[-2].close == previous_close[code]
