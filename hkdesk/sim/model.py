"""The simulated HKEX market: trades, books and daily history, with no I/O.

Drive it with :meth:`MarketModel.advance` (exchange time moves forward; returns the trades that
happened) and, for load tests, :meth:`MarketModel.burst`. Prices are integers in thousandths of
a dollar ("milli") on the HKEX grid; volumes are shares (whole board lots, with the odd lot now
and then); a trade's turnover is exactly ``price * volume``.

Each trade records the best bid and ask it met: a buy lifts the ask (price == ask), a sell hits
the bid (price == bid); auction trades and odd lots are neutral (direction 0). :meth:`book`
builds the 10-level book a trade met, so a depth push sent just before the trade agrees with
it. Everything random comes from the seed: the same calls give the same trades.
"""

from __future__ import annotations

import random
import time as _time
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

import numpy as np

from hkdesk.domain.sessions import (
    HK_TZ,
    PRE_OPEN_START,
    Phase,
    is_trading_day,
    phase_at,
    to_hk,
)
from hkdesk.domain.spread import MAX_MILLI, MIN_MILLI, MilliGrid
from hkdesk.domain.symbols import SymbolInfo, default_universe
from hkdesk.sim.history import DailyBar, synthetic_daily_bars
from hkdesk.sim.params import SymbolParams, params_for, symbol_rng
from hkdesk.sim.paths import DayPlan, VcmTrigger, next_up, plan_day, snap_bid
from hkdesk.sim.records import BUY, NEUTRAL, SELL, SimBook, SimTrade

#: Seconds between two index values (the Hang Seng indexes are published every 2 s).
INDEX_INTERVAL_S = 2.0
BLOCK_PROB = 0.03
ODD_LOT_PROB = 0.004
MAX_LOTS = 3000


class MarketModel:
    """Market state for a universe of symbols; see the module docstring."""

    def __init__(
        self,
        universe: Mapping[str, SymbolInfo] | None = None,
        seed: int = 0,
        seq_base: int | None = None,
        history_days: int = 260,
    ) -> None:
        universe = dict(universe if universe is not None else default_universe())
        if not universe:
            raise ValueError("the simulator needs at least one symbol")
        self.seed = int(seed)
        self.symbols: tuple[str, ...] = tuple(universe)
        self.infos: dict[str, SymbolInfo] = universe
        self.params: list[SymbolParams] = [params_for(universe[s], self.seed) for s in self.symbols]
        self._row = {s: i for i, s in enumerate(self.symbols)}
        self._lots = [max(p.lot, 0) for p in self.params]
        self._is_index = np.array([p.is_index for p in self.params])
        self._stock_rows = np.nonzero(~self._is_index)[0]
        self._index_rows = np.nonzero(self._is_index)[0]
        self._rates = np.array([p.trade_rate for p in self.params])
        self._rng = np.random.default_rng([self.seed & 0xFFFFFFFF, 7])
        self._book_rng = random.Random(self.seed * 7919 + 1)
        if seq_base is None:
            seq_base = int(_time.time() * 1000) * 1000
        self._seq = [seq_base] * len(self.symbols)
        self._book_seq = [seq_base] * len(self.symbols)
        self._history_days = history_days
        self._first_prev_close = self._initial_prev_close()
        self._prev_close = self._first_prev_close.copy()
        self._completed: list[list[DailyBar]] = [[] for _ in self.symbols]
        self._synthetic: dict[int, list[DailyBar]] = {}
        self._last: dict[str, SimTrade] = {}
        self._date: date | None = None
        self._first_date: date | None = None
        self._plan: DayPlan | None = None
        self._grid = MilliGrid.for_date(None)
        self._cursor: float | None = None
        self._reset_day_stats()

    # ------------------------------------------------------------------ set-up

    def _initial_prev_close(self) -> np.ndarray:
        out = np.empty(len(self.symbols), dtype=np.int64)
        grid = MilliGrid.for_date(None)
        for i, s in enumerate(self.symbols):
            price = float(self.infos[s].approx_price) * 1000.0
            if self.params[i].is_index:
                out[i] = round(price / 10) * 10
            else:
                out[i] = snap_bid(np.array([price]), grid)[0]
        return out

    def _reset_day_stats(self) -> None:
        n = len(self.symbols)
        self._day_volume = np.zeros(n, dtype=np.int64)
        self._day_turnover = np.zeros(n, dtype=np.int64)
        self._day_high = np.zeros(n, dtype=np.int64)
        self._day_low = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)

    def has(self, symbol: str) -> bool:
        return symbol in self._row

    def is_index(self, symbol: str) -> bool:
        return bool(self._is_index[self._row[symbol]])

    def lot_size(self, symbol: str) -> int:
        return self._lots[self._row[symbol]]

    @property
    def day(self) -> date | None:
        return self._date

    @property
    def plan(self) -> DayPlan | None:
        return self._plan

    def start(self, now: datetime) -> None:
        """Place the model at ``now`` without producing the trades before it."""
        now = to_hk(now)
        self._first_date = now.date()
        self._begin_day(now.date())
        self._cursor = now.timestamp()

    def _begin_day(self, day: date) -> None:
        self._date = day
        self._grid = MilliGrid.for_date(day)
        self._reset_day_stats()
        self._plan = plan_day(day, self.params, self._prev_close, self.seed) if is_trading_day(day) else None

    def _finish_day(self) -> None:
        plan = self._plan
        if plan is None:
            return
        for i in range(len(self.symbols)):
            traded = self._day_volume[i] > 0 or self._day_high[i] > 0
            high = int(self._day_high[i]) if traded else int(plan.ask[i].max())
            low = int(self._day_low[i]) if traded else int(plan.bid[i].min())
            close = int(plan.close_price[i])
            opening = int(plan.open_price[i])
            self._completed[i].append(
                DailyBar(
                    plan.day,
                    opening,
                    max(high, opening, close),
                    min(low, opening, close),
                    close,
                    int(self._day_volume[i]),
                    int(self._day_turnover[i]),
                )
            )
        self._prev_close = plan.close_price.copy()

    # ------------------------------------------------------------------ time

    def advance(self, now: datetime) -> list[SimTrade]:
        """Move exchange time forward to ``now``; return the trades in between, oldest first."""
        now = to_hk(now)
        if self._cursor is None or self._date is None:
            self.start(now)
            return []
        t1 = now.timestamp()
        if t1 <= self._cursor:
            return []
        out: list[SimTrade] = []
        while now.date() > self._date:
            end_of_day = datetime.combine(self._date + timedelta(days=1), time(0), HK_TZ).timestamp()
            out += self._advance_within_day(end_of_day)
            self._finish_day()
            self._begin_day(self._date + timedelta(days=1))
        out += self._advance_within_day(t1)
        return out

    def _advance_within_day(self, t1: float) -> list[SimTrade]:
        plan = self._plan
        t0 = self._cursor
        assert t0 is not None
        self._cursor = max(t0, t1)
        if plan is None or t1 <= t0:
            return []
        out: list[SimTrade] = []
        if t0 < plan.open_match <= t1:
            out += self._auction(plan, plan.open_match, plan.open_price, plan.open_volume, 0)
        for a, b in plan.sessions:
            lo, hi = max(a, t0), min(b, t1)
            if hi > lo:
                out += self._continuous(plan, lo, hi)
        if t0 < plan.close_match <= t1:
            out += self._auction(plan, plan.close_match, plan.close_price, plan.close_volume, plan.seconds)
        return out

    def _auction(
        self, plan: DayPlan, at: float, prices: np.ndarray, volumes: np.ndarray, sec: int
    ) -> list[SimTrade]:
        """One neutral trade per stock at the auction price (indices print their level)."""
        ts = int(at * 1000)
        out = []
        for i, symbol in enumerate(self.symbols):
            price = int(prices[i])
            volume = 0 if self._is_index[i] else int(volumes[i])
            bid = int(plan.bid[i, sec])
            ask = int(plan.ask[i, sec])
            if not self._is_index[i]:
                bid = min(bid, self._grid.down(price))
                ask = max(ask, self._grid.up(price))
            out.append(self._record(i, symbol, ts, price, volume, NEUTRAL, bid, ask))
        return out

    def _record(
        self, row: int, symbol: str, ts: int, price: int, volume: int, direction: int, bid: int, ask: int
    ) -> SimTrade:
        seq = self._seq[row] + 1
        self._seq[row] = seq
        trade = SimTrade(symbol, seq, ts, price, volume, direction, bid, ask)
        self._last[symbol] = trade
        self._day_volume[row] += volume
        self._day_turnover[row] += price * volume
        if price > self._day_high[row]:
            self._day_high[row] = price
        if price < self._day_low[row]:
            self._day_low[row] = price
        return trade

    def _activity_between(self, plan: DayPlan, lo: float, hi: float) -> float:
        """Integral of the activity profile over ``[lo, hi)`` (in activity-seconds)."""
        x = np.array([lo - plan.t0, hi - plan.t0])
        grid = np.arange(len(plan.activity_cum), dtype=np.float64)
        a, b = np.interp(x, grid, plan.activity_cum)
        return float(b - a)

    def _continuous(self, plan: DayPlan, lo: float, hi: float) -> list[SimTrade]:
        rng = self._rng
        stock_rows = self._stock_rows
        lam = self._rates[stock_rows] * self._activity_between(plan, lo, hi)
        counts = rng.poisson(lam)
        rows = np.repeat(stock_rows, counts)
        times = rng.uniform(lo, hi, len(rows))
        first = np.ceil(lo / INDEX_INTERVAL_S) * INDEX_INTERVAL_S
        index_times = np.arange(first, hi, INDEX_INTERVAL_S)
        if len(self._index_rows) and len(index_times):
            rows = np.concatenate((rows, np.repeat(self._index_rows, len(index_times))))
            times = np.concatenate((times, np.tile(index_times, len(self._index_rows))))
        if not len(rows):
            return []
        order = np.argsort(times, kind="stable")
        return self._make_trades(plan, rows[order], times[order])

    def _make_trades(self, plan: DayPlan | None, rows: np.ndarray, times: np.ndarray) -> list[SimTrade]:
        rng = self._rng
        k = len(rows)
        if plan is not None:
            sec = np.clip((times - plan.t0).astype(np.int64), 0, plan.seconds)
            bid = plan.bid[rows, sec]
            ask = plan.ask[rows, sec]
            before = plan.bid[rows, np.maximum(sec - 1, 0)]
            p_buy = np.where(bid > before, 0.68, np.where(bid < before, 0.32, 0.5))
        else:
            bid = self._prev_close[rows]
            ask = np.where(self._is_index[rows], bid, next_up(bid, self._grid))
            p_buy = np.full(k, 0.5)
        buy = rng.random(k) < p_buy
        lots = rng.geometric(0.45, k)
        blocks = rng.random(k) < BLOCK_PROB
        lots[blocks] *= rng.integers(8, 60, int(blocks.sum()))
        np.minimum(lots, MAX_LOTS, out=lots)
        lot_sizes = np.array(self._lots, dtype=np.int64)[rows]
        volume = lots * lot_sizes
        direction = np.where(buy, BUY, SELL)
        price = np.where(buy, ask, bid)
        odd = (rng.random(k) < ODD_LOT_PROB) & (lot_sizes > 1)
        if odd.any():
            volume[odd] = rng.integers(1, lot_sizes[odd])
            direction[odd] = NEUTRAL
            price[odd] = bid[odd]
        index = self._is_index[rows]
        if index.any():
            volume[index] = 0
            direction[index] = NEUTRAL
            price[index] = bid[index]
        ts = (times * 1000).astype(np.int64)

        symbols = self.symbols
        seqs = self._seq
        last = self._last
        out: list[SimTrade] = []
        append = out.append
        for r, t, p, v, d, b, a in zip(
            rows.tolist(),
            ts.tolist(),
            price.tolist(),
            volume.tolist(),
            direction.tolist(),
            bid.tolist(),
            ask.tolist(),
            strict=True,
        ):
            s = seqs[r] + 1
            seqs[r] = s
            trade = SimTrade(symbols[r], s, t, p, v, d, b, a)
            last[trade.symbol] = trade
            append(trade)
        np.add.at(self._day_volume, rows, volume)
        np.add.at(self._day_turnover, rows, price * volume)
        np.maximum.at(self._day_high, rows, price)
        np.minimum.at(self._day_low, rows, price)
        return out

    def burst(self, count: int, symbols: Iterable[str], now: datetime | None = None) -> list[SimTrade]:
        """``count`` extra trades spread evenly over ``symbols``, stamped ``now`` (load tests).

        They are ordinary trades (on the grid, whole lots, seq increasing), drawn at the current
        quotes whatever the session phase.
        """
        rows = np.array([self._row[s] for s in dict.fromkeys(symbols) if s in self._row], dtype=np.int64)
        if count <= 0 or not len(rows):
            return []
        t = to_hk(now).timestamp() if now is not None else (self._cursor or _time.time())
        picks = rows[np.arange(count) % len(rows)]
        return self._make_trades(self._plan, picks, np.full(count, t))

    # ------------------------------------------------------------------ views

    def quote(self, symbol: str, now: datetime | None = None) -> tuple[int, int]:
        """Best bid and ask (milli) at ``now`` (default: the model's current time)."""
        i = self._row[symbol]
        plan = self._plan
        if plan is None:
            bid = int(self._prev_close[i])
            return bid, (bid if self._is_index[i] else self._grid.up(bid))
        t = to_hk(now).timestamp() if now is not None else (self._cursor or plan.t0)
        sec = plan.index_at(t)
        return int(plan.bid[i, sec]), int(plan.ask[i, sec])

    def book(self, trade: SimTrade, levels: int = 10) -> SimBook | None:
        """The book ``trade`` met: best bid/ask as recorded, enough size for it at the touch."""
        i = self._row[trade.symbol]
        if self._is_index[i]:
            return None
        return self._build_book(i, trade.symbol, trade.ts, trade.bid, trade.ask, levels, trade)

    def current_book(self, symbol: str, levels: int = 10, now: datetime | None = None) -> SimBook | None:
        i = self._row[symbol]
        if self._is_index[i]:
            return None
        bid, ask = self.quote(symbol, now)
        ts = int((to_hk(now).timestamp() if now is not None else (self._cursor or _time.time())) * 1000)
        return self._build_book(i, symbol, ts, bid, ask, levels, None)

    def _build_book(
        self, i: int, symbol: str, ts: int, bid: int, ask: int, levels: int, trade: SimTrade | None
    ) -> SimBook:
        rnd = self._book_rng.random
        lot = self._lots[i]
        depth = 2.0 + 2.5 * self.params[i].trade_rate
        grid = self._grid
        bids: list[tuple[int, int]] = []
        asks: list[tuple[int, int]] = []
        p = bid
        for k in range(levels):
            if p < MIN_MILLI:
                break
            bids.append((p, (int(-depth * (1 + 0.4 * k) * np.log(1.0 - rnd())) + 1) * lot))
            p = grid.down(p)
        p = ask
        for k in range(levels):
            if p > MAX_MILLI:
                break
            asks.append((p, (int(-depth * (1 + 0.4 * k) * np.log(1.0 - rnd())) + 1) * lot))
            p = grid.up(p)
        if trade is not None and trade.direction == BUY and asks:
            asks[0] = (asks[0][0], asks[0][1] + trade.volume)
        elif trade is not None and trade.direction == SELL and bids:
            bids[0] = (bids[0][0], bids[0][1] + trade.volume)
        seq = self._book_seq[i] + 1
        self._book_seq[i] = seq
        return SimBook(symbol, seq, ts, bids, asks)

    def last_trade(self, symbol: str) -> SimTrade:
        """The latest trade, or a zero-volume stand-in at the current bid before the first one."""
        trade = self._last.get(symbol)
        if trade is not None:
            return trade
        i = self._row[symbol]
        bid, ask = self.quote(symbol)
        ts = int((self._cursor or _time.time()) * 1000)
        return SimTrade(symbol, self._seq[i], ts, bid, 0, NEUTRAL, bid, ask)

    def prev_close(self, symbol: str) -> int:
        plan = self._plan
        i = self._row[symbol]
        return int(plan.prev_close[i]) if plan is not None else int(self._prev_close[i])

    def indicative_price(self, symbol: str, now: datetime) -> int | None:
        """The indicative equilibrium price during the pre-opening session, else None."""
        plan = self._plan
        now = to_hk(now)
        if plan is None or phase_at(now) is not Phase.PRE_OPEN or now.timestamp() >= plan.open_match:
            return None
        i = self._row[symbol]
        start = datetime.combine(plan.day, PRE_OPEN_START, HK_TZ).timestamp()
        progress = min(max((now.timestamp() - start) / (plan.open_match - start), 0.0), 1.0)
        prev, opening = float(plan.prev_close[i]), float(plan.open_price[i])
        value = prev + (opening - prev) * progress**0.5
        if self._is_index[i]:
            return int(round(value / 10) * 10)
        return self._grid.floor(int(value))

    def vcm_active(self, now: datetime) -> list[VcmTrigger]:
        plan = self._plan
        if plan is None:
            return []
        ms = int(to_hk(now).timestamp() * 1000)
        return [v for v in plan.vcm if v.start_ms <= ms < v.end_ms]

    def daily_bars(self, symbol: str, count: int) -> list[DailyBar]:
        """Up to ``count`` completed days, oldest first, ending with the previous close."""
        i = self._row[symbol]
        bars = self._synthetic_history(i) + self._completed[i]
        return bars[-count:] if count > 0 else []

    def _synthetic_history(self, i: int) -> list[DailyBar]:
        cached = self._synthetic.get(i)
        if cached is None:
            last_day = self._first_date or datetime.now(HK_TZ).date()
            cached = self._synthetic[i] = synthetic_daily_bars(
                self.params[i],
                symbol_rng(self.seed, self.symbols[i], salt=1),
                last_day,
                self._history_days,
                int(self._first_prev_close[i]),
            )
        return cached
