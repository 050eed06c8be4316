"""The day from the provider for the window: the backfill engine's task, and word of new minutes.

The engine (:mod:`hkdesk.backfill`) stores the provider's minutes wherever our trades leave the
day short; once the writer has had time to commit them (or a fill failed, or a gap opened),
``history_changed`` names the symbol, so a chart showing it reads its day and its holes again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from hkdesk.backfill import Backfill
from hkdesk.domain.day_holes import DayFill
from hkdesk.domain.types import Gap
from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.task_stop import stop_task
from hkdesk.store.writer import BatchWriter

#: The writer commits within its flush interval (0.2 s): read the new minutes after that.
COMMIT_WAIT_MS = 600


class DayFiller(QObject):
    history_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine: Backfill | None = None
        self._task: asyncio.Task[None] | None = None
        self._symbols: list[str] = []
        self._focus: str | None = None
        self._http_missing = False

    def start(
        self,
        http: QuoteHttp | None,
        writer: BatchWriter | None,
        exchange_now: Callable[[], int | None],
        live_since: Callable[[], int | None],
    ) -> None:
        """Start filling (nothing to do without an HTTP client: a shared desk fills its own days)."""
        self._http_missing = http is None
        if http is None:
            return
        self.engine = Backfill(http, writer, exchange_now, live_since=live_since, on_day=self._changed)
        self.engine.watch(self._symbols)
        if self._focus is not None:
            self.engine.focus(self._focus)
        self._task = asyncio.get_running_loop().create_task(self.engine.run(), name="hkdesk-backfill")

    async def stop(self) -> None:
        """Before the writer stops: nothing more is put."""
        if self._task is not None and not await stop_task(self._task) and self.engine is not None:
            self.engine.detach()  # still running: whatever it fetches now is not put
        self._task = None
        self.engine = None

    def watch(self, symbols: Iterable[str]) -> None:
        self._symbols = list(symbols)
        if self.engine is not None:
            self.engine.watch(self._symbols)

    def focus(self, symbol: str) -> None:
        self._focus = symbol
        if self.engine is not None:
            self.engine.focus(symbol)

    def gap(self, gap: Gap) -> None:
        """A gap the feed reported: fetched when there is a provider, shown as a hole meanwhile."""
        if self.engine is not None:
            self.engine.gap_reported(gap)
        self._changed(gap.symbol)

    def day_fill(self, symbol: str) -> DayFill:
        """How far ``symbol``'s day from the provider is stored (NONE with no provider)."""
        if self._http_missing:
            return DayFill.NONE
        return self.engine.day_fill(symbol) if self.engine is not None else DayFill.PENDING

    def retarget(self, http: QuoteHttp | None) -> None:
        if self.engine is not None and http is not None:
            self.engine.retarget(http)

    def _changed(self, symbol: str) -> None:
        QTimer.singleShot(COMMIT_WAIT_MS, self, lambda: self.history_changed.emit(symbol))
