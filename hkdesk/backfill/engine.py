"""The backfill engine: the whole day from the provider's K-lines, whenever the app starts.

- On start and for every symbol added, one ``/kline`` call fetches the latest trading day's
  1-minute bars (the focused symbol first, the others at the plan's pace); the complete minutes
  of the day go to the writer as provider bars, which fills the morning a late start missed and
  the time the app was closed. The writer keeps a minute our trades cover (``minute_bars``).
- After each gap the feed reports (a reconnect), and for the day's gaps a previous run left
  unfilled, the symbol's day is fetched again: the minutes inside the gap are stored and the gap
  is marked filled. Minutes missed while the app was closed or crashed are recorded as gaps of
  their own (reason ``closed``), stored filled.
- ``/batch-kline`` then keeps the latest complete minute of many symbols right, a call every
  few seconds (the plan's pace): the minute in which the stream started or came back holds only
  part of our trades, and symbols beyond the plan's streaming capacity have no trades at all.

Which minutes are over is judged on the exchange's clock (``clock``: epoch ms, None while
unknown); a minute not known to be over is never stored. ``live_since`` gives the exchange time
of the first trade this run's stream received (None before): minutes from then on may have
trades on their way to the database, so they are not taken as missed. The bars stored are handed to
``on_bars`` (symbol, bars), e.g. for a chart to draw. Qt-free, one asyncio task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from hkdesk.backfill.day import (
    bars_to_store,
    covers,
    current_every,
    day_of,
    day_start_ms,
    hk_date,
    missed_spans,
    trading_around,
)
from hkdesk.backfill.source import BarSource
from hkdesk.domain.bars import DAY, MINUTE
from hkdesk.domain.day_holes import DayFill
from hkdesk.domain.types import Bar, Gap
from hkdesk.feed.http_answers import MINUTE_KLINE
from hkdesk.feed.http_transport import TOKEN_INVALID, HttpError
from hkdesk.store.history import bars_between, unfilled_gaps
from hkdesk.store.writer import BatchWriter

log = logging.getLogger(__name__)

CODE_INVALID = 600
#: Tries of one symbol's day before it waits for the next trigger (a gap, a restart).
ATTEMPTS = 3
#: How far back a previous run's unfilled gaps are looked for (a weekend between).
UNFILLED_LOOKBACK_MS = 4 * DAY * 1000


@dataclass
class BackfillStats:
    """What the engine did since it started (bars handed to the writer, which keeps thicker ones)."""

    days_filled: int = 0
    bars_stored: int = 0
    gaps_filled: int = 0
    missed_spans: int = 0
    current_calls: int = 0
    errors: int = 0


class Backfill:
    """Fills the day of every watched symbol from the provider (module docstring)."""

    def __init__(
        self,
        http: BarSource,
        writer: BatchWriter | None,
        clock: Callable[[], int | None],
        *,
        live_since: Callable[[], int | None] = lambda: None,
        on_bars: Callable[[str, list[Bar]], None] | None = None,
        on_day: Callable[[str], None] | None = None,
        current_every: float | None = None,
        retry_wait: float = 5.0,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._writer = writer
        self._engine: Engine | None = writer.engine if writer is not None else None
        self._clock = clock
        self._live_since = live_since
        self._on_bars = on_bars
        self._on_day = on_day
        self._current_every = current_every
        self.retry_wait = retry_wait
        self._wall = wall
        self.stats = BackfillStats()
        self._watched: list[str] = []
        self._filled: set[str] = set()
        self._gave_up: set[str] = set()
        self._unknown: set[str] = set()  # codes the provider does not know: never asked again
        self._queue: dict[str, int] = {}  # symbol -> tries so far, in fill order
        self._gaps: dict[str, list[Gap]] = {}
        self._wake = asyncio.Event()
        self._rotation = 0

    # ------------------------------------------------------------------ what to fill

    def retarget(self, http: BarSource) -> None:
        self._http = http

    @property
    def source(self) -> BarSource:
        return self._http

    def detach(self) -> None:
        """Put nothing more into the writer (it is stopping): what is fetched from now is dropped
        and fetched again on the next start."""
        self._writer = None
        self._on_bars = None

    def watch(self, symbols: Iterable[str]) -> None:
        """The symbols watched now; those never filled in this run are queued."""
        self._watched = list(dict.fromkeys(symbols))
        watched = set(self._watched)
        for symbol in [s for s in self._queue if s not in watched]:
            del self._queue[symbol]
        for symbol in self._watched:
            if symbol not in self._filled and symbol not in self._unknown:
                self._queue.setdefault(symbol, 0)
        self._wake.set()

    def refill(self, symbols: Iterable[str]) -> None:
        """Read these watched symbols' days again (a source that fills behind the stream, as a
        desk's database does, may have more of them by now)."""
        for symbol in symbols:
            if symbol in self._watched and symbol not in self._unknown:
                self._queue.setdefault(symbol, 0)
        self._wake.set()

    def focus(self, symbol: str) -> None:
        """Fill ``symbol`` next (the chart shows it), if it was not filled yet."""
        if symbol in self._unknown or (symbol in self._filled and symbol not in self._queue):
            return
        self._queue = {symbol: self._queue.get(symbol, 0), **self._queue}
        self._wake.set()

    def day_fill(self, symbol: str) -> DayFill:
        """Whether the provider's minutes of ``symbol``'s day were stored once this run, are on
        their way, or are not to be had (a later gap's minutes are tracked as the gap)."""
        if symbol in self._filled:
            return DayFill.FILLED
        return DayFill.FAILED if symbol in self._gave_up else DayFill.PENDING

    def _day_changed(self, symbol: str) -> None:
        if self._on_day is not None:
            self._on_day(symbol)

    def gap_reported(self, gap: Gap) -> None:
        """A gap from the feed (``Pipeline``'s ``on_gap``): fill its minutes and mark it."""
        self._gaps.setdefault(gap.symbol, []).append(gap)
        self._queue.setdefault(gap.symbol, 0)
        self._wake.set()

    # ------------------------------------------------------------------ running

    async def run(self) -> None:
        """Fill as symbols and gaps come, and keep current bars (``/batch-kline``), until cancelled
        or the token is refused."""
        await self._adopt_unfilled_gaps()
        current = asyncio.create_task(self._keep_current(), name="hkdesk-backfill-current")
        try:
            while True:
                if not self._queue:
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                symbol = next(iter(self._queue))
                tries = self._queue.pop(symbol)
                try:
                    await self.fill_day(symbol)
                except HttpError as exc:
                    if not self._failed(symbol, tries, exc):
                        return
                except Exception:
                    self.stats.errors += 1
                    log.exception("backfill of %s failed", symbol)
        finally:
            current.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await current

    def _failed(self, symbol: str, tries: int, exc: HttpError) -> bool:
        """Handle a failed fill; False when nothing more can be fetched (token refused)."""
        self.stats.errors += 1
        if exc.ret == TOKEN_INVALID:
            log.error("backfill stopped: %s", exc)
            for other in [s for s in self._watched if s not in self._filled]:
                self._gave_up.add(other)
                self._day_changed(other)
            return False
        if exc.ret == CODE_INVALID:
            log.warning("backfill of %s: the provider does not know the code", symbol)
            self._gaps.pop(symbol, None)
            self._unknown.add(symbol)
            self._gave_up.add(symbol)
            self._day_changed(symbol)
        elif tries + 1 < ATTEMPTS:
            log.info("backfill of %s failed (%s); trying again", symbol, exc)
            asyncio.get_running_loop().call_later(self.retry_wait, self._requeue, symbol, tries + 1)
        else:
            log.warning("backfill of %s failed %d times: %s", symbol, ATTEMPTS, exc)
            self._gave_up.add(symbol)
            self._day_changed(symbol)
        return True

    def _requeue(self, symbol: str, tries: int) -> None:
        if symbol in self._watched:
            self._queue.setdefault(symbol, tries)
            self._wake.set()

    async def _adopt_unfilled_gaps(self) -> None:
        """Gaps a previous run recorded but did not fill (it stopped first): fill them now."""
        if self._engine is None:
            return
        now = self._clock() or int(self._wall() * 1000)
        try:
            found = await asyncio.to_thread(unfilled_gaps, self._engine, now - UNFILLED_LOOKBACK_MS, now + 1)
        except Exception as exc:  # a database without tables yet, or unreachable: nothing adopted
            log.info("backfill: no unfilled gaps read (%s)", exc)
            return
        for gap in found:
            if gap.symbol in self._watched or gap.symbol in self._queue:
                self._gaps.setdefault(gap.symbol, []).append(gap)

    # ------------------------------------------------------------------ one symbol's day

    async def fill_day(self, symbol: str) -> list[Bar]:
        """Fetch ``symbol``'s day (one ``/kline`` call), store its complete minutes, mark its gaps
        filled; return the bars stored (also handed to ``on_bars``)."""
        now = self._clock()
        klines = await self._http.minute_bars(symbol, now_ms=now or 0)
        self._filled.add(symbol)
        self._gave_up.discard(symbol)
        gaps = self._gaps.pop(symbol, [])
        day = day_of(klines, now)
        if day is None:
            if gaps:
                log.warning("%s: the provider has no bars for %d gap(s)", symbol, len(gaps))
            self._day_changed(symbol)
            return []
        bars = bars_to_store(klines, day, gaps)
        filled = [g for g in gaps if covers(klines, g)]
        if len(filled) < len(gaps):
            log.warning("%s: %d gap(s) older than the provider's bars", symbol, len(gaps) - len(filled))
        missed = await self._missed(symbol, day, bars, gaps)
        if self._writer is not None:
            self._writer.put_bars(list(bars))
            at = self._wall()
            for gap in filled:
                self._writer.put_gap(gap.symbol, gap.start_ts, gap.end_ts, filled_at=at)
            for start, end in missed:
                self._writer.put_gap(symbol, start, end, reason="closed", filled_at=at)
        stats = self.stats
        stats.days_filled += 1
        stats.bars_stored += len(bars)
        stats.gaps_filled += len(filled)
        stats.missed_spans += len(missed)
        if missed:
            log.info("%s: %d span(s) missed while the app was closed, filled", symbol, len(missed))
        if bars and self._on_bars is not None:
            self._on_bars(symbol, bars)
        self._day_changed(symbol)
        return bars

    async def _missed(
        self, symbol: str, day: date, bars: list[Bar], gaps: list[Gap]
    ) -> list[tuple[int, int]]:
        """Spans the app missed (``day.missed_spans``), judged against the minutes stored."""
        if self._engine is None or not bars:
            return []
        start = day_start_ms(day)
        end = start + DAY * 1000
        try:
            stored = await asyncio.to_thread(bars_between, self._engine, symbol, MINUTE, start, end)
        except Exception as exc:  # not readable yet: the writer makes the tables
            log.debug("backfill of %s: stored minutes not read (%s)", symbol, exc)
            return []
        return missed_spans((b.start for b in stored), bars, gaps, self._live_since())

    # ------------------------------------------------------------------ current bars

    async def _keep_current(self) -> None:
        every = self._current_every or current_every(self._http.limits)
        while True:
            await asyncio.sleep(every)
            now = self._clock()
            if not self._watched or now is None or not trading_around(now):
                continue
            try:
                await self.keep_current(now)
            except HttpError as exc:
                self.stats.errors += 1
                if exc.ret == TOKEN_INVALID:
                    log.error("current bars stopped: %s", exc)
                    return
                log.info("current bars: %s", exc)
            except Exception:
                self.stats.errors += 1
                log.exception("current bars failed")

    async def keep_current(self, now: int) -> list[Bar]:
        """One ``/batch-kline`` call for the next watched symbols in turn: their latest complete
        minute is stored; returns the bars stored."""
        size = self._http.limits.items_per_call
        if self._rotation >= len(self._watched):
            self._rotation = 0
        chunk = self._watched[self._rotation : self._rotation + size]
        self._rotation += size
        found = await self._http.current_bars(chunk, (MINUTE_KLINE,), count=2, now_ms=now)
        self.stats.current_calls += 1
        today = day_start_ms(hk_date(now))
        stored: list[Bar] = []
        for (symbol, _), klines in found.items():
            bars = [b for b in klines.complete if b.start >= today]
            if not bars:
                continue
            stored.extend(bars)
            if self._on_bars is not None:
                self._on_bars(symbol, bars)
        if stored and self._writer is not None:
            self._writer.put_bars(list(stored))
        return stored
