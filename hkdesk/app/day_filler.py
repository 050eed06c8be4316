"""The day from the provider for the window: the backfill engine's task, and word of new minutes.

The engine (:mod:`hkdesk.backfill`) stores the provider's minutes wherever our trades leave the
day short; once the writer has had time to commit them (or a fill failed, or a gap opened),
``history_changed`` names the symbol, so a chart showing it reads its day and its holes again.
On a shared desk the source is the desk's database (``--desk-db``), which fills behind the
desk's stream: days read without their open are read again every ``REREAD_S`` seconds, up to
``REREADS`` times.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from hkdesk.backfill import Backfill
from hkdesk.backfill.source import BarSource
from hkdesk.desk.history import DeskHistory
from hkdesk.domain.day_holes import DayFill
from hkdesk.domain.types import Gap
from hkdesk.feed.task_stop import stop_task
from hkdesk.store.writer import BatchWriter

#: The writer commits within its flush interval (0.2 s): read the new minutes after that.
COMMIT_WAIT_MS = 600
#: A desk's database: how often, and how many times, a day read without its open is read again.
REREAD_S = 15.0
REREADS = 20


class DayFiller(QObject):
    history_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine: Backfill | None = None
        self._task: asyncio.Task[None] | None = None
        self._reread: asyncio.Task[None] | None = None
        self._symbols: list[str] = []
        self._focus: str | None = None
        self._http_missing = False

    def start(
        self,
        source: BarSource | None,
        writer: BatchWriter | None,
        exchange_now: Callable[[], int | None],
        live_since: Callable[[], int | None],
        *,
        reread_every: float = REREAD_S,
    ) -> None:
        """Start filling from ``source`` (nothing to do without one: a desktop on a shared desk
        with no ``--desk-db`` has the desk's stream only)."""
        self._http_missing = source is None
        if source is None:
            return
        self.engine = Backfill(source, writer, exchange_now, live_since=live_since, on_day=self._changed)
        self.engine.watch(self._symbols)
        if self._focus is not None:
            self.engine.focus(self._focus)
        loop = asyncio.get_running_loop()
        self._task = loop.create_task(self.engine.run(), name="hkdesk-backfill")
        if isinstance(source, DeskHistory):
            self._reread = loop.create_task(
                self._reread_short_days(source, reread_every), name="hkdesk-reread"
            )

    async def _reread_short_days(self, source: DeskHistory, every: float) -> None:
        rereads: Counter[str] = Counter()
        while True:
            await asyncio.sleep(every)
            short = [s for s in source.short_days() if rereads[s] < REREADS]
            if short and self.engine is not None:
                rereads.update(short)
                self.engine.refill(short)

    async def stop(self) -> None:
        """Before the writer stops: nothing more is put."""
        if self._reread is not None:
            await stop_task(self._reread)
            self._reread = None
        engine, self.engine = self.engine, None
        if self._task is not None and not await stop_task(self._task) and engine is not None:
            engine.detach()  # still running: whatever it fetches now is not put
        self._task = None
        if engine is not None and isinstance(engine.source, DeskHistory):
            engine.source.dispose()

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

    def retarget(self, http: BarSource | None) -> None:
        if self.engine is not None and http is not None:
            self.engine.retarget(http)

    def _changed(self, symbol: str) -> None:
        QTimer.singleShot(COMMIT_WAIT_MS, self, lambda: self.history_changed.emit(symbol))
