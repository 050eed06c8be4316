"""The batch writer: the only code that touches the database, on its own thread.

Producers (the asyncio/GUI thread) call ``put_ticks``/``put_books``/``put_gap`` (and, for the
backfill, ``put_bars``/``put_symbol_info``): an append to a deque under a lock held for a few
instructions, never any I/O. The writer thread wakes when
``flush_rows`` units are queued or ``flush_interval`` has passed since its last flush, then takes
**everything** queued and commits it in one transaction: under load the batch grows with the
rate instead of latency growing with a backlog. A transaction inserts the ticks (duplicates by
``(symbol, ts, seq)`` are skipped), folds the ticks that were really inserted into the 1-minute
bars, and adds depth snapshots and gaps, so a crash leaves either the whole batch or none of it.

When the database fails with a transient error (locked, gone, timed out) nothing is dropped:
the batch stays in memory and is retried with exponential backoff while puts continue. Once
more than ``memory_limit`` units are held in memory, they move to a spill file
(``spill_keeper``), replayed first when the database answers again, and also when the next
writer starts after a crash. Data the database refuses for good (a constraint it cannot
meet) is isolated by bisection and parked in a ``rejected-*`` file with a logged reason.

A writer that falls behind a burst gets the interpreter back: while more than half of
``memory_limit`` units wait in the queue, each put releases the GIL once. Otherwise the receive
path, which always has the next socket read ready, kept the GIL for most of every switch
interval, and the writer, waiting up to 5 ms for it after each SQLite step, fell behind and
spilled. A put then costs the producer up to one switch interval (README, Storage).

``run()`` is the blocking loop (the app runs it in a QThread); ``start()`` runs it in a plain
thread; ``stop()`` asks it to commit everything (or spill it, if the database is down) and exit.
One writer per database and spill folder.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from pathlib import Path

from sqlalchemy import Engine

from hkdesk.domain.bars import MINUTE
from hkdesk.domain.static_info import StaticInfo
from hkdesk.domain.types import Bar, Book, Gap, Tick
from hkdesk.store.commit import Committed, Committer
from hkdesk.store.engine import make_engine
from hkdesk.store.errors import StoreError, redact_url
from hkdesk.store.failures import describe, is_transient
from hkdesk.store.file_guard import DatabaseFileReplaced
from hkdesk.store.schema import migrate
from hkdesk.store.spill_keeper import BARS, BOOKS, GAP, INFO, TICKS, Entry, SpillKeeper, default_spill_dir
from hkdesk.store.writer_stats import WriterStats

log = logging.getLogger(__name__)


def _yield_gil() -> None:
    """Release the GIL once, so a thread waiting for it can run."""
    time.sleep(0)


class BatchWriter:
    """Batches ticks, books and gaps into transactions on one thread; see the module docstring."""

    def __init__(
        self,
        engine: Engine | str | None = None,
        *,
        flush_rows: int = 100,
        flush_interval: float = 0.2,
        memory_limit: int = 200_000,
        spill_dir: str | Path | None = None,
        record_depth: bool = False,
        retry_initial: float = 0.05,
        retry_max: float = 5.0,
        replay_chunk: int = 50_000,
        name: str = "hkdesk-writer",
    ) -> None:
        self._owns_engine = not isinstance(engine, Engine)
        self.engine: Engine = engine if isinstance(engine, Engine) else make_engine(engine)
        if self.engine.dialect.name not in ("sqlite", "postgresql"):
            raise StoreError(
                f"BatchWriter supports SQLite and PostgreSQL, not {self.engine.dialect.name!r} "
                f"({redact_url(self.engine.url)})"
            )
        self.flush_rows = max(1, flush_rows)
        self.flush_interval = flush_interval
        self.memory_limit = max(1, memory_limit)
        self._yield_at = self.memory_limit // 2
        self.spill_dir = Path(spill_dir) if spill_dir is not None else default_spill_dir(self.engine.url)
        self.record_depth = record_depth
        self.retry_initial = retry_initial
        self.retry_max = retry_max
        self.replay_chunk = max(1, replay_chunk)
        self.name = name

        self._lock = threading.Lock()
        self._queue: deque[Entry] = deque()
        self._queued = 0
        self._wake_at = self.flush_rows
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._running = False
        self._closed_warned = False
        self._thread: threading.Thread | None = None

        # Writer-thread state.
        self._pending: list[Entry] = []
        self._pending_units = 0
        self._dropped: list[Entry] = []
        self._keeper = SpillKeeper(self.spill_dir, self._lock, self.name, redact_url(self.engine.url))
        self._committer = Committer(self.engine, self._keeper, self._count)
        self._store = self._committer.store
        self._schema_ready = False

        # Counters behind stats(), updated under the lock.
        self._stored_total = 0
        self._duplicates = 0
        self._batches = 0
        self._last_batch_size = 0
        self._db_ok = True
        self._last_error: str | None = None
        self._last_commit_at: float | None = None
        self._provided_bars = 0

    # ----------------------------------------------------------------- producers (any thread)

    def put_ticks(self, batch: list[Tick]) -> None:
        """Queue trades for storage; the writer takes ownership of the list."""
        if batch:
            self._put((TICKS, batch, len(batch)))

    def put_books(self, batch: list[Book]) -> None:
        """Queue depth snapshots; ignored unless the writer was built with ``record_depth``."""
        if batch and self.record_depth:
            self._put((BOOKS, batch, len(batch)))

    def put_gap(
        self,
        symbol: str,
        start_ts: int,
        end_ts: int,
        reason: str = "",
        recorded_at: float | None = None,
        filled_at: float | None = None,
    ) -> None:
        """Record that trades of ``symbol`` in [start_ts, end_ts] (epoch ms) may be missing; with
        ``filled_at``, that the provider's bars of the span were stored then (a gap of that span
        already stored, whatever its reason, is marked; otherwise this one is stored filled)."""
        gap = Gap(
            symbol,
            int(start_ts),
            int(end_ts),
            reason,
            time.time() if recorded_at is None else recorded_at,
            filled_at=filled_at or 0.0,
        )
        self._put((GAP, gap, 1))

    def put_bars(self, bars: list[Bar]) -> None:
        """Queue the provider's 1-minute bars: each is stored, marked provided, unless its minute's
        stored bar holds as much volume (see ``minute_bars``); the writer owns the list."""
        if not bars:
            return
        for bar in bars:
            if bar.interval_s != MINUTE:
                raise ValueError(f"only 1-minute bars are stored, not {bar.interval_s} s ({bar.symbol})")
            bar.provided = True
        self._put((BARS, bars, len(bars)))

    def put_symbol_info(self, infos: list[StaticInfo]) -> None:
        """Queue the provider's facts of looked-up codes (a code stored before is updated)."""
        if infos:
            self._put((INFO, infos, len(infos)))

    def _put(self, entry: Entry) -> None:
        if self._done.is_set() and not self._closed_warned:
            self._closed_warned = True
            log.error("%s: data put after stop() is not stored", self.name)
        with self._lock:
            self._queue.append(entry)
            self._queued += entry[2]
            queued = self._queued
            wake = queued >= self._wake_at
        if wake:
            self._wake.set()
        if queued > self._yield_at:
            _yield_gil()  # the writer is behind: let its thread have the GIL (module docstring)

    @property
    def schema_ready(self) -> bool:
        """The tables exist: created on the first flush, so a reader of a new database waits for it."""
        return self._schema_ready

    def stats(self) -> WriterStats:
        with self._lock:
            return WriterStats(
                queued=self._queued + self._pending_units,
                spilled=self._keeper.spilled,
                stored_total=self._stored_total,
                duplicates=self._duplicates,
                batches=self._batches,
                last_batch_size=self._last_batch_size,
                db_ok=self._db_ok,
                last_error=self._last_error,
                last_commit_at=self._last_commit_at,
                rejected=self._keeper.rejected,
                provided_bars=self._provided_bars,
            )

    # ------------------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Run the loop in a plain (daemon) thread; pair with ``stop()``."""
        if self._thread is not None:
            raise RuntimeError("BatchWriter already started")
        self._thread = threading.Thread(target=self.run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 30.0) -> bool:
        """Commit (or spill) everything queued, end the loop; True if it finished in time.

        If the loop never ran, the final flush happens here, in the caller's thread.
        """
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        with self._lock:
            running = self._running
        if running:
            return self._done.wait(timeout)
        if not self._done.is_set():
            self.run()
        return True

    def run(self) -> None:
        """The blocking writer loop; returns after ``stop()`` once everything is safe."""
        with self._lock:
            if self._done.is_set():
                return  # stop() already flushed everything inline
            if self._running:
                raise RuntimeError("BatchWriter.run() is already running")
            self._running = True
        try:
            self._keeper.adopt_leftovers()
            self._loop()
        except BaseException:
            log.exception("%s: writer loop failed; spilling what is in memory", self.name)
            self._take_queue()
            self._spill_pending()
            raise
        finally:
            self._keeper.close()
            if self._owns_engine:
                self.engine.dispose()
            self._done.set()

    # --------------------------------------------------------------------- the loop

    def _loop(self) -> None:
        # Migrate and replay leftovers at once; live data waits for its threshold or interval.
        delay = 0.0 if self._flush() else self.retry_initial
        last_flush = time.monotonic()
        retry_at = last_flush + delay
        while True:
            stopping = self._stop.is_set()
            if not stopping:
                now = time.monotonic()
                if self._db_ok:
                    due = last_flush + self.flush_interval
                    with self._lock:
                        queued = self._queued
                    if queued < self.flush_rows and now < due:
                        self._wait(due - now)
                        continue
                elif now < retry_at:
                    self._wait(retry_at - now)
                    self._relieve_memory()
                    continue
            self._relieve_memory()
            ok = self._flush()
            last_flush = time.monotonic()
            if ok:
                delay = 0.0
                if stopping and self._in_memory() == 0:
                    return
                continue
            delay = min(self.retry_max, max(self.retry_initial, delay * 2))
            retry_at = time.monotonic() + delay
            if stopping:
                self._take_queue()
                self._spill_pending()
                if self._in_memory() == 0:
                    return
                # neither the database nor the disk takes it: keep retrying both, paced, until
                # stop()'s caller stops waiting (what is then still in memory is lost)
                self._wait(delay)

    def _wait(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _in_memory(self) -> int:
        with self._lock:
            return self._queued + self._pending_units

    def _take_queue(self) -> None:
        with self._lock:
            if not self._queue:
                return
            taken, self._queue = self._queue, deque()
            self._pending_units += self._queued
            self._queued = 0
        self._pending.extend(taken)

    def _flush(self) -> bool:
        """Replay spill files, then commit what is pending; False on a database failure."""
        try:
            if not self._schema_ready:
                migrate(self.engine)
                self._schema_ready = True
            self._keeper.replay(self._store, self.replay_chunk)
            if self._pending:
                self._store(self._pending)
                with self._lock:
                    self._drop_pending()
                self._free_dropped()
        except Exception as exc:
            self._mark_failed(exc)
            return False
        self._mark_ok()
        return True

    # ------------------------------------------------------------------ failure handling

    def _mark_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DatabaseFileReplaced):
            self._schema_ready = False  # a new file: create the schema again
        message = describe(exc)
        with self._lock:
            was_ok = self._db_ok
            self._db_ok = False
            self._last_error = message
            self._wake_at = max(1, self.memory_limit - self._pending_units)
        if was_ok:
            log.warning(
                "%s: database %s unavailable, holding data and retrying: %s",
                self.name,
                redact_url(self.engine.url),
                message,
            )
        if not is_transient(exc, self.engine.dialect.loaded_dbapi) and not isinstance(exc, StoreError):
            log.error("%s: unexpected failure", self.name, exc_info=exc)

    def _mark_ok(self) -> None:
        with self._lock:
            was_ok = self._db_ok
            self._db_ok = True
            self._wake_at = self.flush_rows
        if not was_ok:
            log.info("%s: database reachable again", self.name)

    def _relieve_memory(self) -> None:
        self._take_queue()
        if self._pending_units > self.memory_limit:
            self._spill_pending()

    def _spill_pending(self) -> None:
        if self._pending:
            self._keeper.park(self._pending, then=self._drop_pending)
            self._free_dropped()

    def _drop_pending(self) -> None:
        """Forget the pending entries (committed or spilled); the caller holds the lock and then
        calls ``_free_dropped`` once it has let go of it."""
        self._dropped.extend(self._pending)
        self._pending = []
        self._pending_units = 0

    def _free_dropped(self) -> None:
        """Free dropped entries one at a time (a put's worth of ticks each). Freed in one go, a
        100,000-tick batch held the GIL for some 50 ms in a single C call, a stalled frame for
        the window; between entries the interpreter can switch to the GUI thread."""
        dropped = self._dropped
        while dropped:
            dropped.pop()

    def _count(self, done: Committed) -> None:
        with self._lock:
            self._provided_bars += done.provided
            self._stored_total += done.inserted
            self._duplicates += done.offered - done.inserted
            self._batches += 1
            self._last_batch_size = done.units
            self._last_commit_at = time.time()
