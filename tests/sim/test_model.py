import itertools
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
import pytest

from hkdesk.domain.sessions import HK_TZ, Phase, phase_at
from hkdesk.domain.spread import MilliGrid, is_on_grid, milli_to_decimal
from hkdesk.domain.symbols import default_universe
from hkdesk.sim import paths, series
from hkdesk.sim.model import MarketModel
from hkdesk.sim.records import BUY, NEUTRAL, SELL
from hkdesk.sim.wire import trade_data

DAY = date(2026, 3, 2)  # a Monday
DAY_CODES = ["700.HK", "2.HK", "1299.HK", "939.HK", "HSI"]
CODES = ["700.HK", "5.HK", "9988.HK", "3690.HK", "939.HK", "2318.HK", "1299.HK", "HSI", "HSTECH"]


def universe(codes=CODES):
    full = default_universe()
    return {c: full[c] for c in codes}


def hk(hh, mm, ss=0, day=DAY):
    return datetime.combine(day, time(hh, mm, ss), HK_TZ)


def run_day(model, start=None, end=None, step=1.0):
    start = start or hk(9, 0)
    end = end or hk(16, 20)
    model.start(start)
    now, trades = start, []
    while now < end:
        now += timedelta(seconds=step)
        trades += model.advance(now)
    return trades


@pytest.fixture(scope="module")
def day_trades():
    model = MarketModel(universe(DAY_CODES), seed=3)
    return model, run_day(model, step=5.0)


def test_volumes_are_board_lots_with_rare_odd_lots(day_trades):
    model, trades = day_trades
    odd = 0
    for t in trades:
        lot = model.lot_size(t.symbol)
        if model.is_index(t.symbol):
            assert t.volume == 0
        elif t.volume % lot:
            odd += 1
            assert 0 < t.volume < lot and t.direction == NEUTRAL
        else:
            assert t.volume >= lot
    stock_trades = sum(1 for t in trades if not model.is_index(t.symbol))
    assert odd < stock_trades * 0.02


def test_prices_on_grid_and_trades_meet_the_book(day_trades):
    model, trades = day_trades
    grid = MilliGrid.for_date(DAY)
    for t in trades:
        if model.is_index(t.symbol):
            continue
        assert t.bid < t.ask
        assert grid.floor(t.price) == t.price
        if t.direction != NEUTRAL:
            assert grid.up(t.bid) == t.ask  # continuous trading: one tick wide
        if t.direction == BUY:
            assert t.price == t.ask
        elif t.direction == SELL:
            assert t.price == t.bid
    for t in trades[:2000:7]:
        assert is_on_grid(milli_to_decimal(t.price), DAY) or model.is_index(t.symbol)


def test_books_agree_with_the_trade_they_precede(day_trades):
    model, trades = day_trades
    grid = MilliGrid.for_date(DAY)
    checked = 0
    for t in trades[::97]:
        book = model.book(t)
        if model.is_index(t.symbol):
            assert book is None
            continue
        lot = model.lot_size(t.symbol)
        assert len(book.bids) == 10 and len(book.asks) == 10
        assert book.bids[0][0] == t.bid and book.asks[0][0] == t.ask
        assert book.bids[0][0] < book.asks[0][0]
        for side, step in ((book.bids, grid.down), (book.asks, grid.up)):
            for (p1, v1), (p2, _) in itertools.pairwise(side):
                assert step(p1) == p2
                assert v1 > 0
            assert all(v % lot == 0 for _, v in side)
        if t.direction == BUY:
            assert book.asks[0][1] >= t.volume
        if t.direction == SELL:
            assert book.bids[0][1] >= t.volume
        checked += 1
    assert checked > 50


def test_turnover_is_exactly_price_times_volume(day_trades):
    _, trades = day_trades
    for t in trades[::13]:
        d = trade_data(t)
        assert Decimal(d.turnover) == Decimal(d.price) * Decimal(d.volume)


def test_seq_strictly_increasing_and_times_within_sessions(day_trades):
    model, trades = day_trades
    last_seq, last_ts = {}, {}
    frame = model.frame
    auctions = (int(frame.open_match * 1000), int(frame.close_match * 1000))
    sessions = [(int(a * 1000), int(b * 1000)) for a, b in frame.sessions]
    assert [(phase_at(hk(9, 30)), phase_at(hk(13, 0)))] == [(Phase.MORNING, Phase.AFTERNOON)]
    assert sessions == [
        (int(hk(9, 30).timestamp() * 1000), int(hk(12, 0).timestamp() * 1000)),
        (int(hk(13, 0).timestamp() * 1000), int(hk(16, 0).timestamp() * 1000)),
    ]
    for t in trades:
        assert t.seq > last_seq.get(t.symbol, 0)
        assert t.ts >= last_ts.get(t.symbol, 0)
        assert t.ts * 1000 <= t.seq < (t.ts + 1) * 1000  # the tape's seq: tick_time * 1000 + n
        last_seq[t.symbol], last_ts[t.symbol] = t.seq, t.ts
        assert t.ts in auctions or any(a <= t.ts < b for a, b in sessions), t


def test_one_opening_and_one_closing_auction_trade_per_stock(day_trades):
    model, trades = day_trades
    frame = model.frame
    open_ms, close_ms = int(frame.open_match * 1000), int(frame.close_match * 1000)
    assert hk(9, 20).timestamp() <= frame.open_match <= hk(9, 22).timestamp()
    assert hk(16, 8).timestamp() <= frame.close_match <= hk(16, 10).timestamp()
    stocks = [c for c in DAY_CODES if not model.is_index(c)]
    opens = Counter(t.symbol for t in trades if t.ts == open_ms)
    closes = {t.symbol: t for t in trades if t.ts == close_ms}
    for code in stocks:
        assert opens[code] == 1
        assert closes[code].direction == NEUTRAL
        assert closes[code].volume > 10 * model.lot_size(code)
        assert closes[code].price == model.stock_day(code).close_price
        assert opens[code] == 1 and model.stock_day(code).open_price == model.stock_day(code).bid[0]


def test_activity_is_u_shaped_with_a_lunch_gap(day_trades):
    model, trades = day_trades
    t0 = hk(9, 30).timestamp()
    per_minute = Counter(
        int((t.ts / 1000 - t0) // 60) for t in trades if not model.is_index(t.symbol)
    )  # minutes from 09:30

    def rate(a, b):
        def minute(hhmm):
            return int(hhmm[:2]) * 60 + int(hhmm[3:]) - 9 * 60 - 30

        return sum(per_minute[m] for m in range(minute(a), minute(b))) / (minute(b) - minute(a))

    opening, midday, closing = rate("09:30", "09:45"), rate("11:00", "12:00"), rate("15:40", "16:00")
    assert opening > 2.0 * midday
    assert closing > 1.5 * midday
    assert rate("12:00", "13:00") == 0


def test_same_seed_same_market_other_seed_other_market():
    def trades(seed):
        model = MarketModel(universe(CODES[:3]), seed=seed)
        return run_day(model, hk(9, 29), hk(9, 40), step=0.5)

    a, b, c = trades(11), trades(11), trades(12)
    assert a == b and len(a) > 100
    assert a != c


def test_daily_moves_realistic_and_indices_co_move():
    codes = ["700.HK", "9988.HK", "5.HK", "2.HK", "3690.HK", "1810.HK", "HSI", "HSTECH"]
    model = MarketModel(universe(codes), seed=5)
    days = [d for d in model.series.days.days if date(2025, 1, 1) <= d < date(2026, 1, 1)]
    closes = {}
    for c in codes[:-2]:
        closes[c] = np.array([model.series.close(model.row(c), d) for d in days], dtype=np.int64)
    for c in ("HSI", "HSTECH"):
        row = model.row(c)
        table = np.array([closes[model.symbols[m]] for m in model.indices.members[row]])
        closes[c] = model.indices.levels(row, table)
    returns = {c: np.diff(np.log(v.astype(float))) for c, v in closes.items()}
    for c in codes:
        vol = float(np.std(returns[c]))
        p = model.params[model.row(c)]
        assert 0.5 * p.daily_vol < vol < 2.0 * p.daily_vol, (c, vol, p.daily_vol)
    assert np.corrcoef(returns["HSI"], returns["700.HK"])[0, 1] > 0.5
    assert np.corrcoef(returns["HSTECH"], returns["9988.HK"])[0, 1] > 0.3


def test_intraday_ranges_are_realistic(day_trades):
    _, trades = day_trades
    for code in ("700.HK", "2.HK", "939.HK"):
        prices = [t.price for t in trades if t.symbol == code]
        assert 0.003 < (max(prices) - min(prices)) / prices[0] < 0.12, code


def test_vcm_triggers_once_per_session_outside_quiet_times():
    spans = [(0, 9000), (12600, 23400)]  # seconds from 09:30: morning, afternoon
    fair = np.full(23401, 100.0)
    fair[3000:] = 115.0  # +15 % at 10:20
    fair[4000:] = 135.0  # another jump in the same session: no second trigger
    triggers = paths.find_vcm(fair, spans)
    assert triggers == [(3000, 3300, 100.0)]
    assert fair[3000:3300].max() == pytest.approx(110.0)
    assert fair[3300] == 115.0
    quiet = np.full(23401, 100.0)
    quiet[300:] = 120.0  # 09:35, inside the first 15 minutes
    quiet[12600 + 300 :] = 140.0  # 13:05, first 15 minutes of the afternoon
    assert paths.find_vcm(quiet, spans) == []
    late = np.full(23401, 100.0)
    late[22300:] = 120.0  # 15:41:40, after 15:40
    assert paths.find_vcm(late, spans) == []


def test_vcm_clamps_simulated_prices(monkeypatch):
    monkeypatch.setattr(series, "STOCK_JUMP_PROB", 1.0)  # every stock has a 3-13 % news jump every day
    codes = [c for c in CODES if not c.startswith("HS")]
    found = []
    for seed in range(4):
        model = MarketModel(universe(codes), seed=seed)
        model.start(hk(9, 0))
        frame = model.frame
        for code in codes:
            day = model.stock_day(code)
            for v in day.vcm:
                start = int((v.start_ms / 1000) - frame.t0)
                end = int((v.end_ms / 1000) - frame.t0)
                assert day.bid[start:end].min() >= v.lower
                assert max(frame.grid.up(int(b)) for b in day.bid[start:end]) <= v.upper
                assert datetime.fromtimestamp(v.start_ms / 1000, HK_TZ).time() >= time(9, 45)
                found.append(v)
    assert found, "a 3-13 % jump on every stock should trigger the VCM somewhere"


def test_pre_open_indicative_price_and_history_end_at_previous_close():
    model = MarketModel(universe(["700.HK", "HSI"]), seed=2)
    model.start(hk(9, 5))
    assert model.indicative_price("700.HK", hk(9, 10)) is not None
    assert model.indicative_price("HSI", hk(9, 10)) is not None
    assert model.indicative_price("700.HK", hk(9, 25)) is None
    assert model.advance(hk(9, 19)) == []
    bars = model.daily_bars("700.HK", 30)
    assert len(bars) == 30
    assert bars[-1].close == model.prev_close("700.HK")
    assert datetime.fromtimestamp(bars[-1].timestamp, HK_TZ).date() < DAY
    assert all(b.low <= min(b.open, b.close) <= max(b.open, b.close) <= b.high for b in bars)
    # finish the day and step into the next one: the finished day becomes the last bar
    model.advance(hk(16, 30))
    close_700 = model.stock_day("700.HK").close_price
    model.advance(hk(9, 0, day=DAY + timedelta(days=1)))
    last = model.daily_bars("700.HK", 5)[-1]
    assert datetime.fromtimestamp(last.timestamp, HK_TZ).date() == DAY
    assert last.close == close_700 == model.prev_close("700.HK")
    assert last.volume > 0 and last.low <= last.open <= last.high


def test_burst_gives_valid_trades_for_the_requested_symbols():
    model = MarketModel(universe(), seed=4)
    model.start(hk(10, 0))
    burst = model.burst(5000, ["700.HK", "5.HK", "HSI"], hk(10, 0, 1))
    assert len(burst) == 5000
    assert Counter(t.symbol for t in burst) == {"700.HK": 1667, "5.HK": 1667, "HSI": 1666}
    seqs = defaultdict(list)
    for t in burst:
        seqs[t.symbol].append(t.seq)
        if t.symbol != "HSI":
            assert t.volume % model.lot_size(t.symbol) == 0 or t.direction == NEUTRAL
            assert t.bid < t.ask
    for s in seqs.values():
        assert s == sorted(set(s))
    after = [t for t in model.advance(hk(10, 0, 20)) if t.symbol in seqs]
    assert {t.symbol for t in after} == {"700.HK", "5.HK", "HSI"}
    for t in after:  # the tape goes on above the burst's seqs
        assert t.seq > seqs[t.symbol][-1]
