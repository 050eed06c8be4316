"""The simulated HKEX market: trades, books, quotes and K-lines, with no I/O.

Drive it with :meth:`MarketModel.advance` (exchange time moves forward; returns the trades that
happened) and, for load tests, :meth:`MarketModel.burst`. Prices are integers in thousandths of
a dollar ("milli") on the HKEX grid; volumes are shares (whole board lots, with the odd lot now
and then); a trade's turnover is exactly ``price * volume``.

The tape of a symbol on a date is a pure function of (seed, date, symbol): the daily closes
(:mod:`hkdesk.sim.series`), the day's price paths (:mod:`hkdesk.sim.paths`) and its trades
(:mod:`hkdesk.sim.tape`) each draw from generators keyed by those alone. Starting the model
later in the day (:meth:`MarketModel.start`) generates the day so far without returning it, so
K-lines and the latest trade cover the morning a late start missed, and a restart on the same
day gives exactly the same earlier trades (same seq, time, price and volume). A trade's seq is
``tick_time * 1000 + n`` (n counts a symbol's trades within one millisecond); only burst trades,
which are not part of the tape, take the next free seq and may push later ones along.

Each trade records the best bid and ask it met: a buy lifts the ask (price == ask), a sell hits
the bid (price == bid); auction trades and odd lots are neutral (direction 0). :meth:`book`
builds the 10-level book a trade met, so a depth push sent just before the trade agrees with it.
"""

from __future__ import annotations

import random
import time as _time
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

import numpy as np

from hkdesk.domain.sessions import HK_TZ, PRE_OPEN_START, Phase, is_trading_day, phase_at, to_hk
from hkdesk.domain.spread import MAX_MILLI, MIN_MILLI
from hkdesk.domain.symbols import SymbolInfo, default_universe
from hkdesk.sim.bars import Bar, DayBars
from hkdesk.sim.grid import grid_for, snap_bid
from hkdesk.sim.indices import IndexSet, default_membership
from hkdesk.sim.klines import KlineStore
from hkdesk.sim.params import SymbolParams, params_for
from hkdesk.sim.paths import DayFrame, StockDay, VcmTrigger, day_frame, stock_day
from hkdesk.sim.records import BUY, NEUTRAL, SELL, SimBook, SimTrade
from hkdesk.sim.series import ANCHOR, DailySeries
from hkdesk.sim.tape import Tape, TradeBatch, draw_trades, last_per_row


class MarketModel:
    """Market state for a universe of symbols; see the module docstring.

    ``members`` maps an index code to its member codes (default: the shipped symbols file's
    ``in_<code>`` columns); ``seq_base`` is added to every seq.
    """

    def __init__(
        self,
        universe: Mapping[str, SymbolInfo] | None = None,
        seed: int = 0,
        seq_base: int = 0,
        members: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        universe = dict(universe if universe is not None else default_universe())
        if not universe:
            raise ValueError("the simulator needs at least one symbol")
        self.seed = int(seed)
        self.symbols: tuple[str, ...] = tuple(universe)
        self.infos: dict[str, SymbolInfo] = universe
        self.params: list[SymbolParams] = [params_for(universe[s], self.seed) for s in self.symbols]
        self._row = {s: i for i, s in enumerate(self.symbols)}
        self._lots = np.array([max(p.lot, 0) for p in self.params], dtype=np.int64)
        self._is_index = np.array([p.is_index for p in self.params])
        self._stock_rows = [i for i, p in enumerate(self.params) if not p.is_index]
        anchor_grid = grid_for(ANCHOR)
        anchor = [
            int(info.approx_price * 1000)
            if info.is_index
            else int(snap_bid(np.array([float(info.approx_price) * 1000.0]), anchor_grid)[0])
            for info in (universe[s] for s in self.symbols)
        ]
        self.series = DailySeries(self.seed, self.params, anchor)
        self.indices = IndexSet(self.symbols, universe, anchor, members or default_membership())
        self.klines = KlineStore(self.series, self.indices, len(self.symbols))
        self._seq_base = int(seq_base)
        self._last_seq = np.zeros(len(self.symbols), dtype=np.int64)
        self._last: dict[str, SimTrade] = {}
        self._rng = np.random.default_rng([self.seed & 0xFFFFFFFF, 7])
        self._book_rng = random.Random(self.seed * 7919 + 1)
        self._book_seq = [0] * len(self.symbols)
        self._date: date | None = None
        self._cursor: float | None = None
        self._frame: DayFrame | None = None
        self._stocks: dict[int, StockDay] = {}
        self._tape: Tape | None = None
        self._prev_close = np.zeros(len(self.symbols), dtype=np.int64)

    def has(self, symbol: str) -> bool:
        return symbol in self._row

    def is_index(self, symbol: str) -> bool:
        return bool(self._is_index[self._row[symbol]])

    def lot_size(self, symbol: str) -> int:
        return int(self._lots[self._row[symbol]])

    def row(self, symbol: str) -> int:
        return self._row[symbol]

    @property
    def day(self) -> date | None:
        return self._date

    @property
    def frame(self) -> DayFrame | None:
        """The current trading day's shared paths and times (None on a closed day)."""
        return self._frame

    def stock_day(self, symbol: str) -> StockDay | None:
        return self._stocks.get(self._row[symbol])

    # ------------------------------------------------------------------ time

    def start(self, now: datetime) -> None:
        """Place the model at ``now``: the day's trades before it are made (for K-lines and the
        latest trade) but not returned."""
        now = to_hk(now)
        self._begin_day(now.date())
        self._cursor = now.timestamp()
        if self._tape is not None:
            self._absorb(self._tape.until(self._cursor))

    def _begin_day(self, day: date) -> None:
        self._date = day
        self._frame, self._stocks, self._tape = None, {}, None
        self._prev_close = self._previous_closes(day)
        if not is_trading_day(day):
            self.klines.begin(day, None)
            return
        market, tech = self.series.market(day)
        frame = self._frame = day_frame(day, self.seed, market, tech)
        self._stocks = {i: stock_day(frame, self.series, i, self.seed) for i in self._stock_rows}
        self._tape = Tape(frame, self.params, self._stocks, self.indices, self._prev_close, self.seed)
        self.klines.begin(day, DayBars(day, len(self.symbols)))

    def _previous_closes(self, day: date) -> np.ndarray:
        prev = np.zeros(len(self.symbols), dtype=np.int64)
        for i in self._stock_rows:
            prev[i] = self.series.prev_close(i, day) if is_trading_day(day) else self._last_close(i, day)
        for i in self.indices.rows:
            prev[i] = self.indices.level(i, prev)
        return prev

    def _last_close(self, row: int, day: date) -> int:
        """Close of the last trading day before ``day`` (a closed day)."""
        d = day - timedelta(days=1)
        while not is_trading_day(d):
            d -= timedelta(days=1)
        return self.series.close(row, d)

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
            midnight = datetime.combine(self._date + timedelta(days=1), time(0), HK_TZ).timestamp()
            out += self._take(midnight)
            self.klines.finish()
            self._begin_day(self._date + timedelta(days=1))
        out += self._take(t1)
        self._cursor = t1
        return out

    def _take(self, t1: float) -> list[SimTrade]:
        if self._tape is None:
            return []
        batch = self._tape.until(t1)
        self._absorb(batch)
        return self._trades(batch)

    def _absorb(self, batch: TradeBatch) -> None:
        """Number the trades, aggregate them into bars and remember each symbol's latest."""
        if not len(batch):
            return
        batch.seq = self._numbered(batch.rows, batch.seq + self._seq_base)
        if self.klines.current is not None:
            self.klines.current.add(batch.rows, batch.ts, batch.price, batch.volume)
        rows, last = last_per_row(batch.rows)
        for r, k in zip(rows.tolist(), last.tolist(), strict=True):
            self._last[self.symbols[r]] = self._trade_at(batch, k)

    def _numbered(self, rows: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """Seqs as ``wanted`` where that keeps each symbol's seqs rising, else the next free one."""
        seq = wanted.copy()
        order = np.argsort(rows, kind="stable")
        sorted_rows = rows[order]
        starts = np.flatnonzero(np.concatenate(([True], sorted_rows[1:] != sorted_rows[:-1])))
        ends = np.concatenate((starts[1:], [len(rows)]))
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            where = order[a:b]
            rank = np.arange(b - a)
            floor = np.maximum.accumulate(wanted[where] - rank)
            seq[where] = rank + np.maximum(floor, self._last_seq[sorted_rows[a]] + 1)
            self._last_seq[sorted_rows[a]] = seq[where[-1]]
        return seq

    def _trade_at(self, batch: TradeBatch, k: int) -> SimTrade:
        return SimTrade(
            self.symbols[int(batch.rows[k])],
            int(batch.seq[k]),
            int(batch.ts[k]),
            int(batch.price[k]),
            int(batch.volume[k]),
            int(batch.direction[k]),
            int(batch.bid[k]),
            int(batch.ask[k]),
        )

    def _trades(self, batch: TradeBatch) -> list[SimTrade]:
        symbols = self.symbols
        return [
            SimTrade(symbols[r], s, t, p, v, d, b, a)
            for r, s, t, p, v, d, b, a in zip(
                batch.rows.tolist(),
                batch.seq.tolist(),
                batch.ts.tolist(),
                batch.price.tolist(),
                batch.volume.tolist(),
                batch.direction.tolist(),
                batch.bid.tolist(),
                batch.ask.tolist(),
                strict=True,
            )
        ]

    def burst(self, count: int, symbols: Iterable[str], now: datetime | None = None) -> list[SimTrade]:
        """``count`` extra trades spread evenly over ``symbols``, stamped ``now`` (load tests).

        They are ordinary trades (on the grid, whole lots, seq increasing) at the current quotes
        whatever the session phase, but not part of the day's tape.
        """
        rows = np.array([self._row[s] for s in dict.fromkeys(symbols) if s in self._row], dtype=np.int64)
        if count <= 0 or not len(rows):
            return []
        t = to_hk(now).timestamp() if now is not None else (self._cursor or _time.time())
        picks = rows[np.arange(count) % len(rows)]
        quotes = np.array([self._quote_at(int(r), t) for r in rows.tolist()], dtype=np.int64)
        before = np.array([self._quote_at(int(r), t - 1.0)[0] for r in rows.tolist()], dtype=np.int64)
        slot = np.arange(count) % len(rows)
        bid, ask = quotes[slot, 0], quotes[slot, 1]
        price, volume, direction = draw_trades(self._rng, bid, ask, before[slot], self._lots[picks])
        times = np.full(count, t)
        ts = (times * 1000).astype(np.int64)
        batch = TradeBatch(picks, times, ts, np.zeros(count, np.int64), price, volume, direction, bid, ask)
        self._absorb(batch)
        return self._trades(batch)

    # ------------------------------------------------------------------ views

    def _quote_at(self, row: int, t: float) -> tuple[int, int]:
        if self._is_index[row]:
            last = self._last.get(self.symbols[row])
            level = last.price if last is not None else int(self._prev_close[row])
            return level, level
        day = self._stocks.get(row)
        frame = self._frame
        if day is None or frame is None:
            bid = int(self._prev_close[row])
            return bid, grid_for(self._date).up(bid)
        bid = int(day.bid[frame.index_at(t)])
        return bid, frame.grid.up(bid)

    def quote(self, symbol: str, now: datetime | None = None) -> tuple[int, int]:
        """Best bid and ask (milli) at ``now`` (default: the model's current time)."""
        t = to_hk(now).timestamp() if now is not None else (self._cursor or _time.time())
        return self._quote_at(self._row[symbol], t)

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
        lot = int(self._lots[i])
        depth = 2.0 + 2.5 * self.params[i].trade_rate
        grid = grid_for(self._date)
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
        seq = max(self._book_seq[i] + 1, ts * 1000)
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
        return SimTrade(symbol, int(self._last_seq[i]), ts, bid, 0, NEUTRAL, bid, ask)

    def prev_close(self, symbol: str) -> int:
        """The close of the last trading day before the current one (milli)."""
        return int(self._prev_close[self._row[symbol]])

    def indicative_price(self, symbol: str, now: datetime) -> int | None:
        """The indicative equilibrium price during the pre-opening session, else None."""
        frame = self._frame
        now = to_hk(now)
        if frame is None or phase_at(now) is not Phase.PRE_OPEN or now.timestamp() >= frame.open_match:
            return None
        i = self._row[symbol]
        start = datetime.combine(frame.day, PRE_OPEN_START, HK_TZ).timestamp()
        progress = min(max((now.timestamp() - start) / (frame.open_match - start), 0.0), 1.0)
        prev = float(self._prev_close[i])
        opening = float(self._opening_prices()[i])
        value = prev + (opening - prev) * progress**0.5
        if self._is_index[i]:
            return int(round(value / 10) * 10)
        return frame.grid.floor(int(value))

    def _opening_prices(self) -> np.ndarray:
        prices = self._prev_close.copy()
        for i, day in self._stocks.items():
            prices[i] = day.open_price
        for i in self.indices.rows:
            prices[i] = self.indices.level(i, prices)
        return prices

    def vcm_active(self, now: datetime) -> list[VcmTrigger]:
        ms = int(to_hk(now).timestamp() * 1000)
        return [v for day in self._stocks.values() for v in day.vcm if v.start_ms <= ms < v.end_ms]

    def kline(self, symbol: str, kline_type: int, count: int) -> list[Bar]:
        """The last ``count`` K-lines of ``kline_type`` (AllTick's numbering), oldest first."""
        return self.klines.klines(self._row[symbol], kline_type, count)

    def daily_bars(self, symbol: str, count: int) -> list[Bar]:
        """Up to ``count`` daily bars, oldest first (today's in progress last, once it traded)."""
        return self.kline(symbol, 8, count)
