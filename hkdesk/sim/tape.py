"""The tape of one simulated trading day: every trade, made chunk by chunk in time order.

A stock's trades in one five-minute chunk come from a generator seeded by (seed, date, symbol,
chunk): arrival times follow the intraday activity curve, sizes are board lots (blocks and odd
lots now and then), and each trade meets the bid or the ask of its second (a buy lifts the ask,
a sell hits the bid), so the tape is the same however it is read: from the open or from a late
start, in 20 ms cycles or in one call. The two auctions print one neutral trade per stock.
Indices print every 2 s and at each auction the level of their members' last trade prices.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime

import numpy as np

from hkdesk.domain.sessions import HK_TZ, PRE_OPEN_START
from hkdesk.domain.spread import MilliGrid
from hkdesk.sim.grid import next_up
from hkdesk.sim.indices import IndexSet
from hkdesk.sim.params import SymbolParams
from hkdesk.sim.paths import DayFrame, StockDay
from hkdesk.sim.records import BUY, NEUTRAL, SELL

CHUNK_S = 300
#: Seconds between two index values (the Hang Seng indexes are published every 2 s).
INDEX_INTERVAL_S = 2.0
BLOCK_PROB = 0.03
ODD_LOT_PROB = 0.004
MAX_LOTS = 3000
#: After the random close nothing trades; the tape ends this long after the closing window.
_END_MARGIN_S = 60.0


@dataclass(slots=True)
class TradeBatch:
    """Trades as parallel arrays, in time order (rows are the model's symbol rows)."""

    rows: np.ndarray
    times: np.ndarray  # epoch seconds (float)
    ts: np.ndarray  # epoch milliseconds
    seq: np.ndarray
    price: np.ndarray  # milli
    volume: np.ndarray
    direction: np.ndarray
    bid: np.ndarray
    ask: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def empty(cls) -> TradeBatch:
        return cls(*(np.zeros(0, dtype=np.float64 if f.name == "times" else np.int64) for f in fields(cls)))

    @classmethod
    def concat(cls, batches: Sequence[TradeBatch]) -> TradeBatch:
        if not batches:
            return cls.empty()
        return cls(*(np.concatenate([getattr(b, f.name) for b in batches]) for f in fields(cls)))

    def select(self, index: np.ndarray | slice) -> TradeBatch:
        return TradeBatch(*(getattr(self, f.name)[index] for f in fields(self)))


def draw_trades(
    rng: np.random.Generator, bid: np.ndarray, ask: np.ndarray, before: np.ndarray, lots: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(price, volume, direction)`` of trades meeting ``bid``/``ask``; ``before`` is the bid a
    second earlier (a rising bid draws more buyers). Lots of 0 (indices) give neutral, zero-size
    trades at the bid."""
    k = len(bid)
    p_buy = np.where(bid > before, 0.68, np.where(bid < before, 0.32, 0.5))
    buy = rng.random(k) < p_buy
    count = rng.geometric(0.45, k)
    blocks = rng.random(k) < BLOCK_PROB
    count[blocks] *= rng.integers(8, 60, int(blocks.sum()))
    np.minimum(count, MAX_LOTS, out=count)
    volume = count * lots
    direction = np.where(buy, BUY, SELL)
    price = np.where(buy, ask, bid)
    odd = (rng.random(k) < ODD_LOT_PROB) & (lots > 1)
    if odd.any():
        volume[odd] = rng.integers(1, lots[odd])
        direction[odd] = NEUTRAL
        price[odd] = bid[odd]
    index = lots == 0
    if index.any():
        direction[index] = NEUTRAL
        price[index] = bid[index]
    return price, volume, direction


def tape_seqs(rows: np.ndarray, ts: np.ndarray) -> np.ndarray:
    """``ts * 1000 + n``, n counting a symbol's trades within one millisecond (time-ordered input)."""
    order = np.lexsort((np.arange(len(rows)), ts, rows))
    key = rows[order] * (1 << 44) + ts[order]
    first = np.searchsorted(key, key, side="left")
    seq = np.empty(len(rows), dtype=np.int64)
    seq[order] = ts[order] * 1000 + (np.arange(len(rows)) - first)
    return seq


class Tape:
    """One trading day's trades for the universe, generated lazily in time order."""

    def __init__(
        self,
        frame: DayFrame,
        params: Sequence[SymbolParams],
        stocks: Mapping[int, StockDay],
        indices: IndexSet,
        prev_prices: np.ndarray,
        seed: int,
    ) -> None:
        self.frame = frame
        self._params = params
        self._stocks = stocks
        self._indices = indices
        self._seed = int(seed) & 0xFFFFFFFF
        self._last_price = prev_prices.astype(np.int64).copy()
        start = datetime.combine(frame.day, PRE_OPEN_START, HK_TZ).timestamp()
        self._chunk0 = start - start % CHUNK_S
        self._next = self._chunk0
        self.end = frame.close_match + _END_MARGIN_S
        self._pending = TradeBatch.empty()
        self.cursor = float("-inf")

    def until(self, t1: float) -> TradeBatch:
        """The trades with ``cursor < time <= t1`` (each trade is returned once)."""
        parts = [self._pending]
        while self._next <= t1 and self._next < self.end:
            parts.append(self._chunk(self._next))
            self._next += CHUNK_S
        pending = TradeBatch.concat(parts) if len(parts) > 1 else self._pending
        cut = int(np.searchsorted(pending.times, t1, side="right"))
        self._pending = pending.select(slice(cut, None))
        self.cursor = max(self.cursor, t1)
        return pending.select(slice(0, cut))

    # ------------------------------------------------------------------ one chunk

    def _chunk(self, c0: float) -> TradeBatch:
        c1 = c0 + CHUNK_S
        number = round((c0 - self._chunk0) / CHUNK_S)
        parts = [self._stock_chunk(row, day, c0, c1, number) for row, day in self._stocks.items()]
        stocks = TradeBatch.concat([p for p in parts if len(p)])
        index = self._index_prints(stocks, c0, c1)
        batch = TradeBatch.concat([stocks, index]) if len(index) else stocks
        is_index = np.isin(batch.rows, self._indices.rows)
        order = np.lexsort((batch.rows, is_index, batch.times))
        batch = batch.select(order)
        batch.seq = tape_seqs(batch.rows, batch.ts)
        return batch

    def _stock_chunk(self, row: int, day: StockDay, c0: float, c1: float, number: int) -> TradeBatch:
        frame = self.frame
        p = self._params[row]
        rng = np.random.default_rng(
            [self._seed, zlib.crc32(p.symbol.encode()), frame.day.toordinal(), 43, number]
        )
        seconds = np.arange(len(frame.activity_cum), dtype=np.float64)
        a0, a1 = np.interp([c0 - frame.t0, c1 - frame.t0], seconds, frame.activity_cum)
        count = int(rng.poisson(p.trade_rate * (a1 - a0))) if a1 > a0 else 0
        offsets = np.sort(np.interp(rng.uniform(a0, a1, count), frame.activity_cum, seconds))
        times = frame.t0 + offsets
        sec = np.clip(offsets.astype(np.int64), 0, frame.seconds)
        bid = day.bid[sec].astype(np.int64)
        ask = next_up(bid, frame.grid)
        before = day.bid[np.maximum(sec - 1, 0)].astype(np.int64)
        lots = np.full(count, max(p.lot, 0), dtype=np.int64)
        price, volume, direction = draw_trades(rng, bid, ask, before, lots)
        batch = _batch(row, times, price, volume, direction, bid, ask)
        auctions = [
            _auction(row, at, auction_price, auction_volume, int(day.bid[second]), frame.grid)
            for at, auction_price, auction_volume, second in (
                (frame.open_match, day.open_price, day.open_volume, 0),
                (frame.close_match, day.close_price, day.close_volume, frame.seconds),
            )
            if c0 <= at < c1
        ]
        if not auctions:
            return batch
        merged = TradeBatch.concat([batch, *auctions])
        return merged.select(np.argsort(merged.times, kind="stable"))

    def _index_prints(self, stocks: TradeBatch, c0: float, c1: float) -> TradeBatch:
        """Each index's level every 2 s of continuous trading and at the auctions in ``[c0, c1)``."""
        frame = self.frame
        first = np.ceil(c0 / INDEX_INTERVAL_S) * INDEX_INTERVAL_S
        grid = np.arange(first, c1, INDEX_INTERVAL_S)
        inside = np.zeros(len(grid), dtype=bool)
        for a, b in frame.sessions:
            inside |= (grid >= a) & (grid < b)
        auctions = [t for t in (frame.open_match, frame.close_match) if c0 <= t < c1]
        times = np.sort(np.concatenate((grid[inside], auctions)))
        last = self._last_price
        if not len(times):
            self._carry(stocks)
            return TradeBatch.empty()
        member_rows = sorted({int(r) for m in self._indices.members.values() for r in m})
        prices = {r: np.full(len(times), last[r], dtype=np.int64) for r in member_rows}
        for r in member_rows:
            mine = stocks.rows == r
            if mine.any():
                at = np.searchsorted(stocks.times[mine], times, side="right") - 1
                prices[r] = np.where(at >= 0, stocks.price[mine][np.maximum(at, 0)], last[r])
        self._carry(stocks)
        batches = []
        for index_row in self._indices.rows:
            members = self._indices.members[index_row]
            table = np.array([prices[int(r)] for r in members]).reshape(len(members), len(times))
            level = self._indices.levels(index_row, table)
            zero = np.zeros(len(times), dtype=np.int64)
            batches.append(_batch(index_row, times, level, zero, zero, level, level))
            last[index_row] = level[-1]
        return TradeBatch.concat(batches)

    def _carry(self, stocks: TradeBatch) -> None:
        """Remember each stock's last price for the next chunk's index levels."""
        rows, last = last_per_row(stocks.rows)
        self._last_price[rows] = stocks.price[last]


def last_per_row(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows and the position of each one's last entry."""
    distinct, first_from_end = np.unique(rows[::-1], return_index=True)
    return distinct, len(rows) - 1 - first_from_end


def _batch(
    row: int,
    times: np.ndarray,
    price: np.ndarray,
    volume: np.ndarray,
    direction: np.ndarray,
    bid: np.ndarray,
    ask: np.ndarray,
) -> TradeBatch:
    """Trades of one row (seqs are set once the chunk is merged)."""
    n = len(times)
    ts = (times * 1000).astype(np.int64)
    return TradeBatch(
        np.full(n, row, dtype=np.int64), times, ts, np.zeros(n, np.int64), price, volume, direction, bid, ask
    )


def _auction(row: int, at: float, price: int, volume: int, bid: int, grid: MilliGrid) -> TradeBatch:
    """One neutral auction trade; the quote it met is widened to contain its price."""
    quote_bid = min(bid, grid.down(price))
    quote_ask = max(grid.up(bid), grid.up(price))

    def one(value: int) -> np.ndarray:
        return np.array([value], dtype=np.int64)

    return _batch(row, np.array([at]), one(price), one(volume), one(NEUTRAL), one(quote_bid), one(quote_ask))
