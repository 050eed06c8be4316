"""The panels that follow one selected symbol: chart, depth ladder and time & sales.

They read the quote hub on the window's frame timer (never per tick): new trades from the
symbol's tape go to the tape and the chart, a changed book to the ladder. On a new selection
the chart starts from the hub's tape at once and is completed from today's stored trades,
read off the GUI thread.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Protocol

import numpy as np
from PySide6.QtCore import QObject, Signal, SignalInstance

from hkdesk.domain.bars import DAY, bar_start
from hkdesk.domain.day_holes import Hole
from hkdesk.domain.freshness import Freshness
from hkdesk.domain.quotes import Quote, QuoteHub
from hkdesk.domain.symbols import display_code
from hkdesk.domain.types import Tick
from hkdesk.ui.chart import ChartPanel
from hkdesk.ui.chart_holes import ChartHoles
from hkdesk.ui.colours import Palette
from hkdesk.ui.depth import DepthLadder
from hkdesk.ui.freshness_text import tooltip
from hkdesk.ui.tape import TapeModel, TapePanel

log = logging.getLogger("hkdesk.ui.main_window")


class DayReads(Protocol):
    """The stored day the panels draw, read off the GUI thread (``app.store_reads.StoreReads``)."""

    async def load_today(self, symbol: str) -> tuple[np.ndarray, ...] | None:
        """Today's line as (epoch seconds, price, volume, turnover), or None."""

    async def load_past_days(self, symbol: str, before_ms: int) -> np.ndarray:
        """Daily candles before then, (k, 6)."""

    async def day_holes(self, symbol: str, first_ts: int | None) -> list[Hole]:
        """Where the day whose first point is at ``first_ts`` may be missing trades."""


class SymbolPanels(QObject):
    #: A symbol is shown (the panels' symbol changed, or the same one was shown afresh).
    shown = Signal(str)

    def __init__(
        self,
        hub: QuoteHub,
        palette: Palette,
        reads: DayReads,
        history_changed: SignalInstance,
        parent: QObject,
    ) -> None:
        """``history_changed(symbol)``: a symbol's stored day changed (minutes filled from the
        provider); the panels read it again when they show that symbol."""
        super().__init__(parent)
        self._hub = hub
        self._reads = reads
        history_changed.connect(self.reload)
        self.symbol: str | None = None
        self.chart = ChartPanel(palette)
        self.holes = ChartHoles(self.chart, palette)
        self.depth = DepthLadder(palette)
        self.tape_model = TapeModel(palette=palette, parent=self)
        self.tape = TapePanel(self.tape_model)
        self._last_tape_tick: Tick | None = None
        self._day = -1
        self._is_index = False
        self._history_task: asyncio.Task[None] | None = None

    def show(self, sym: str, title: str, *, is_index: bool) -> None:
        self.symbol = sym
        self._is_index = is_index
        hub = self._hub
        self._day = hub.day
        self.depth.set_symbol(sym, is_index=is_index)
        self.depth.set_book(hub.books.get(sym))
        tape = hub.tape(sym)
        self.tape_model.reset(tape, is_index=is_index)
        self._last_tape_tick = tape[-1] if tape else None
        self.chart.set_symbol(sym, title, is_index=is_index)
        self.holes.clear()
        self._load_chart_from_tape(sym)
        q = hub.quotes.get(sym)
        self.chart.set_previous_close(float(q.prev_close) if q and q.prev_close is not None else None)
        self._show_freshness(sym, q)
        self.chart.redraw(force=True)
        self.stop()
        self._history_task = asyncio.ensure_future(self._load_history(sym))
        self.shown.emit(sym)

    def clear(self) -> None:
        self.symbol = None
        for badge in (self.chart.freshness, self.tape.freshness):
            badge.show_state(None)

    def _show_freshness(self, sym: str, q: Quote | None) -> None:
        info = self._hub.freshness(sym)
        last_ts = q.last_ts if q is not None else 0
        self.chart.freshness.show_state(info, last_ts)
        self.tape.freshness.show_state(info, last_ts)
        self.tape_model.set_live(info.state is Freshness.LIVE)
        if q is not None and q.book_streaming:
            self.depth.set_state(None)
        else:
            book = Freshness.STALE if sym in self._hub.books else info.state
            self.depth.set_state(book, tooltip(info, time.time(), last_ts))

    def stop(self) -> None:
        if self._history_task is not None and not self._history_task.done():
            self._history_task.cancel()

    def refresh(self, dirty_books: set[str]) -> None:
        """One frame: new trades, previous close, the book and the freshness of the shown symbol."""
        sym = self.symbol
        if sym is None:
            return
        hub = self._hub
        if hub.day != self._day:
            self._day = hub.day  # a new trading day: the intraday view starts afresh
            self.show(sym, self.chart.title.text(), is_index=self._is_index)
            return
        self._pull_trades(sym)
        q = hub.quotes.get(sym)
        self._show_freshness(sym, q)
        if q is not None and q.prev_close is not None:
            pc = float(q.prev_close)
            if pc != self.chart.prev_close:
                self.chart.set_previous_close(pc)
        if sym in dirty_books:
            self.depth.set_book(hub.books.get(sym))
        self.chart.redraw()

    def set_palette(self, palette: Palette) -> None:
        self.tape_model.set_palette(palette)
        self.depth.set_palette(palette)
        self.chart.set_palette(palette)
        self.holes.set_palette(palette)
        self.chart.redraw(force=True)

    def _pull_trades(self, sym: str) -> None:
        tape = self._hub.tapes.get(sym)
        if not tape:
            return
        fresh: list[Tick] = []
        last = self._last_tape_tick
        for t in reversed(tape):
            if t is last:
                break
            fresh.append(t)
        if not fresh:
            return
        fresh.reverse()
        self._last_tape_tick = tape[-1]
        self.tape_model.prepend(fresh)
        self.chart.append([(t.ts / 1000, float(t.price), float(t.volume)) for t in fresh])

    def reload(self, sym: str) -> None:
        """The stored day of ``sym`` changed (the provider's minutes arrived): read it again."""
        if sym == self.symbol:
            self.stop()
            self._history_task = asyncio.ensure_future(self._load_history(sym))

    def _load_chart_from_tape(self, sym: str, after_ts: int = -1, base=None) -> None:
        ticks = [t for t in self._hub.tape(sym) if t.ts > after_ts]
        t = np.fromiter((x.ts / 1000 for x in ticks), float, len(ticks))
        p = np.fromiter((float(x.price) for x in ticks), float, len(ticks))
        v = np.fromiter((float(x.volume) for x in ticks), float, len(ticks))
        turnover = p * v
        if base is not None:
            t, p, v, turnover = (
                np.concatenate((b, a)) for b, a in zip(base, (t, p, v, turnover), strict=True)
            )
        self.chart.load(t, p, v, turnover)

    async def _load_history(self, sym: str) -> None:
        """Today's stored trades for the chart, read off the GUI thread, joined to the live tape."""
        try:
            arrays = await self._reads.load_today(sym)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("could not load today's history for %s: %s", sym, exc)
            return
        if arrays is not None and sym == self.symbol and len(arrays[0]):
            last_ms = round(float(arrays[0][-1]) * 1000)
            self._load_chart_from_tape(sym, after_ts=last_ms, base=arrays)
            self.chart.redraw(force=True)
            log.info("chart %s: %d stored points loaded", display_code(sym), len(arrays[0]))
        if sym != self.symbol:
            return
        chart = self.chart
        first_ts = round(chart.axis.to_time(float(chart.ticks.t[0])) * 1000) if chart.ticks.n else None
        holes = await self._reads.day_holes(sym, first_ts)
        if sym == self.symbol:
            self.holes.set(holes)
        today = self._hub.quotes.get(sym)
        ref = today.last_ts if today is not None and today.last_ts else int(time.time() * 1000)
        days = await self._reads.load_past_days(sym, bar_start(ref, DAY))
        if sym == self.symbol:
            chart.set_past_days(days)
            chart.redraw(force=True)
