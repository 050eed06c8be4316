"""The alerts behind the window: definitions, judging on every tick batch, the log, edits.

One service for the whole run (alerts belong to the user, not to a quote source, so they outlive
a change of feed). The pipeline hands each live batch to :attr:`AlertService.pump`, which has it
judged in a process of its own (:mod:`hkdesk.alerts.process_judge`; in the app, on a worker
thread, if that process cannot run); firings are written to the alert log by the recorder's worker
thread and announced through :attr:`fired` (the window marks the row, notifies, logs). Every read
and write of ``alerts.db`` runs on this service's own worker thread, never on the event loop.

``hkdesk alerts import`` may change the file while the app runs: every ``poll_ms`` the service
reads the file's revision (one small query, off the loop) and reloads the definitions when it
moved. A reload keeps the later firing time of each alert (see ``AlertEvaluator.set_alerts``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy import Engine

from hkdesk.alerts.csv_format import read_alerts, write_alerts
from hkdesk.alerts.model import Alert, Kind
from hkdesk.alerts.process_judge import ProcessJudge
from hkdesk.alerts.recorder import FiringRecorder
from hkdesk.alerts.rule import AlertEvent
from hkdesk.alerts.store import AlertStore, LogEntry
from hkdesk.domain.bars import DAY, MINUTE, bar_start
from hkdesk.store.errors import StoreError
from hkdesk.store.history import bars_between, newest_trade_ts

log = logging.getLogger(__name__)

POLL_MS = 3000
#: Firings change the alerts' states; those changes are announced at most this often.
STATES_MS = 250
T = TypeVar("T")


class AlertService(QObject):
    #: A tuple of :class:`AlertEvent`, in trade order, as they fire.
    fired = Signal(object)
    #: The definitions or their states changed (an edit or a reload at once; firings at most every
    #: STATES_MS).
    changed = Signal()
    #: Firings were written to the alert log (it can be read back now).
    logged = Signal()

    def __init__(
        self,
        config_dir: Path,
        *,
        poll_ms: int = POLL_MS,
        judge_command: list[str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.config_dir = Path(config_dir)
        self.pump = ProcessJudge(self._on_events, command=judge_command)
        self.store: AlertStore | None = None
        self.recorder: FiringRecorder | None = None
        #: Why the alerts file cannot be used, in words (empty when it can).
        self.problem = ""
        self._source = "simulator"
        self._revision = -1
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hkdesk-alerts")
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_ms)
        self.poll_timer.timeout.connect(self._check_revision)
        self._states_timer = QTimer(self)
        self._states_timer.setSingleShot(True)
        self._states_timer.setInterval(STATES_MS)
        self._states_timer.timeout.connect(self.changed.emit)
        self._check: asyncio.Task[None] | None = None
        self._symbols_listener: Callable[[list[str]], None] | None = None

    # ------------------------------------------------------------ lifecycle
    async def open(self) -> None:
        """Open (or create) the alerts file and start judging its alerts."""
        try:
            self.store = await self._run(AlertStore.in_folder, self.config_dir)
            self.recorder = FiringRecorder(self.store, self._source)
            await self.reload()
        except Exception as exc:  # an unreadable or locked file: the window runs without alerts
            self.problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            log.error("alerts unavailable: %s", self.problem)
            return
        self.poll_timer.start()

    async def close(self) -> None:
        """Judge what is queued, write the log, close the file (in that order)."""
        self.poll_timer.stop()
        self.pump.close()
        if self.recorder is not None:
            await self._run(self.recorder.close)
        if self.store is not None:
            await self._run(self.store.close)
        self.store = self.recorder = None
        self._executor.shutdown(wait=True)

    def set_source(self, source: str) -> None:
        """The quote source the next firings come from (written with them in the log)."""
        self._source = source
        if self.recorder is not None:
            self.recorder.source = source

    def restart(self) -> None:
        """Another quote source feeds the window: judge its trades afresh (sequence numbers and
        windows of the old source mean nothing there); each alert keeps its firing state."""
        self.pump.restart()

    def on_symbols(self, listener: Callable[[list[str]], None]) -> None:
        """``listener(symbols)``: the symbols with alerts, now and whenever they change."""
        self._symbols_listener = listener
        listener(self.symbols())

    # ------------------------------------------------------------ reading
    def alerts(self) -> list[Alert]:
        """Every alert with its present firing state, oldest first."""
        return sorted(self.pump.alerts(), key=lambda a: a.id)

    def alert(self, alert_id: int) -> Alert | None:
        return next((a for a in self.alerts() if a.id == alert_id), None)

    def symbols(self) -> list[str]:
        return sorted(self.pump.symbols())

    async def log_entries(self, since: float | None = None) -> list[LogEntry]:
        if self.store is None:
            return []
        return await self._run(self.store.log, since)

    def set_previous_close(self, symbol: str, price: Decimal) -> None:
        self.pump.set_previous_close(symbol, price)

    async def seed_from(self, engine: Engine) -> None:
        """Volume surges judged at once after a restart: the stored 1-minute bars of the day the
        database last traded, for the symbols with a volume-surge alert."""
        symbols = sorted({a.symbol for a in self.alerts() if a.kind is Kind.VOLUME_SURGE})
        if not symbols:
            return

        def read() -> dict[str, list]:
            newest = newest_trade_ts(engine)
            if newest is None:
                return {}
            start = bar_start(newest, DAY)
            return {s: bars_between(engine, s, MINUTE, start, start + DAY * 1000) for s in symbols}

        try:
            found = await self._run(read)
        except Exception as exc:  # a database without tables yet, or unreadable: judged live only
            log.info("volume surges start from live trades: %s", exc)
            return
        for symbol, bars in found.items():
            self.pump.seed_minute_bars(symbol, bars)

    # ------------------------------------------------------------ editing
    async def add(self, alerts: Sequence[Alert]) -> list[Alert]:
        store = self._store()
        added = await self._run(store.add, list(alerts))
        await self.reload()
        return added

    async def update(self, alert: Alert) -> None:
        """Store a changed alert. A changed rule is armed afresh; pausing keeps the firing state."""
        held = self.alert(alert.id)
        if held is not None and not held.same_rule(alert):
            alert = replace(alert, last_fired_ts=None)
        elif held is not None:
            alert = replace(alert, last_fired_ts=held.last_fired_ts)
        await self._run(self._store().update, alert)
        await self.reload()

    async def set_paused(self, ids: Sequence[int], paused: bool) -> None:
        store = self._store()
        changed = [replace(a, paused=paused) for a in self.alerts() if a.id in ids and a.paused != paused]
        await self._run(lambda: [store.update(a) for a in changed])
        await self.reload()

    async def delete(self, ids: Sequence[int]) -> None:
        store = self._store()
        await self._run(lambda: [store.delete(i) for i in ids])
        await self.reload()

    async def import_file(self, path: Path) -> tuple[int, int]:
        """Add the alerts of an alerts CSV (those already defined are skipped): (added, skipped).
        Raises ``AlertFileError`` (every bad line) or ``OSError``; nothing is stored then."""
        store = self._store()

        def read_and_add() -> tuple[int, int]:
            with open(path, newline="", encoding="utf-8-sig") as fh:
                new = read_alerts(fh)
            added, skipped = store.import_alerts(new)
            return len(added), skipped

        result = await self._run(read_and_add)
        await self.reload()
        return result

    async def export_file(self, path: Path) -> int:
        """Write every alert to an alerts CSV; the number written."""
        alerts = self.alerts()

        def write() -> int:
            with open(path, "w", newline="", encoding="utf-8") as fh:
                return write_alerts(alerts, fh)

        return await self._run(write)

    async def reload(self) -> None:
        """Read the definitions (and the revision they are at) and judge those from now on."""
        store = self._store()
        revision, alerts = await self._run(lambda: (store.revision(), store.alerts()))
        self.pump.flush()
        self.pump.set_alerts(alerts)
        self._revision = revision
        self.changed.emit()
        if self._symbols_listener is not None:
            self._symbols_listener(self.symbols())

    # ------------------------------------------------------------ internals
    def _store(self) -> AlertStore:
        if self.store is None:
            raise StoreError(self.problem or "the alerts file is not open")
        return self.store

    async def _run(self, fn: Callable[..., T], *args) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    def _on_events(self, events: Sequence[AlertEvent]) -> None:
        if self.recorder is not None:
            written = self.recorder.record(events)
            loop = asyncio.get_running_loop()
            written.add_done_callback(lambda _: _call_soon(loop, self.logged.emit))
        self.fired.emit(tuple(events))
        if not self._states_timer.isActive():  # a burst of firings redraws the alerts' list once
            self._states_timer.start()

    def _check_revision(self) -> None:
        if self.store is None or (self._check is not None and not self._check.done()):
            return
        self._check = asyncio.ensure_future(self._follow_revision())

    async def _follow_revision(self) -> None:
        try:
            store = self.store
            if store is not None and await self._run(store.revision) != self._revision:
                log.info("the alerts changed outside the window; reloading them")
                await self.reload()
        except Exception as exc:  # a locked or vanished file: try again at the next poll
            log.warning("alerts file not readable now: %s", exc)


def _call_soon(loop: asyncio.AbstractEventLoop, fn: Callable[[], None]) -> None:
    """From a worker thread: run ``fn`` on ``loop``, unless the loop has closed meanwhile."""
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(fn)
