"""The writer's spill folder: where data goes that the database cannot take (yet, or ever).

``SpillKeeper`` owns the folder, the spill file being appended to, the units each spill file
holds and the count of units the database refused for good. The batch writer (``writer``)
decides *when* to park, replay or quarantine; this module does the file work (``spill`` holds
the file format) and keeps the bookkeeping behind ``WriterStats.spilled`` and ``rejected``.

Threading: every method runs on the writer thread. The counters are also read by ``stats()``
from other threads, so they are updated under the writer's lock, which the keeper shares.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from hkdesk.folders import default_data_dir
from hkdesk.store.errors import redact_url
from hkdesk.store.spill import (
    BarRecord,
    BookRecord,
    GapRecord,
    InfoRecord,
    SpillFormatError,
    SpillRecord,
    SpillWriter,
    TickRecord,
    count_units,
    list_spill_files,
    new_spill_path,
    read_spill,
)

#: Logged under the writer's name: these messages are part of the writer's story.
log = logging.getLogger("hkdesk.store.writer")

TICKS, BOOKS, GAP, BARS, INFO = "t", "b", "g", "m", "i"
#: (kind, payload, units): payload is a list of Tick, of Book, of provider Bar, of StaticInfo, or
#: one Gap.
Entry = tuple[str, object, int]
#: Ticks per spill frame, so replay commits in pieces of a sensible size.
_SPILL_FRAME_TICKS = 20_000


#: In each spill folder: the (password-less) URL of the database its files belong to.
LABEL = "DATABASE"


def default_spill_dir(url: object, root: Path | None = None) -> Path:
    """A spill folder per database under ``root`` (named from a hash of its password-less URL),
    so data parked for one database is only ever replayed into that one."""
    digest = hashlib.sha1(redact_url(str(url)).encode()).hexdigest()[:12]
    return (root or default_data_dir() / "spill") / digest


def stray_spills(root: Path, current: Path) -> list[tuple[str, int]]:
    """Spill files under ``root`` that belong to another database than ``current``'s: each
    folder's database and the units waiting there (replayed once that database is used again)."""
    found: list[tuple[str, int]] = []
    if not root.is_dir():
        return found
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p != current):
        units = 0
        for path in list_spill_files(folder):
            try:
                units += count_units(path)
            except (SpillFormatError, OSError):
                continue
        if units:
            label = folder / LABEL
            name = label.read_text(encoding="utf-8").strip() if label.exists() else folder.name
            found.append((name, units))
    return found


class SpillKeeper:
    """Parks entries in spill files, replays them oldest first, quarantines refused ones."""

    def __init__(self, folder: Path, lock: threading.Lock, name: str, label: str = "") -> None:
        self.folder = folder
        self.name = name
        self._label = label
        self._lock = lock  # the writer's: stats() reads the counters below under it
        self._file: SpillWriter | None = None
        self._units: dict[Path, int] = {}
        self._rejected = 0

    @property
    def spilled(self) -> int:
        """Units in spill files on disk; read it with the shared lock held."""
        return sum(self._units.values())

    @property
    def rejected(self) -> int:
        """Units the database refused for good; read it with the shared lock held."""
        return self._rejected

    def park(self, entries: list[Entry], then: Callable[[], None]) -> None:
        """Append ``entries`` durably to the open spill file (opened on first use).

        ``then`` runs under the shared lock together with the unit count update, so a stats
        snapshot never counts the entries both in memory and on disk. On an OSError the
        entries stay with the caller (``then`` is not called) and the next park starts a
        fresh file.
        """
        try:
            if self._file is None:
                self._file = SpillWriter(new_spill_path(self.folder))
                if self._label:
                    (self.folder / LABEL).write_text(self._label + "\n", encoding="utf-8")
                with self._lock:
                    self._units[self._file.path] = 0
            written = self._file.append(_records(entries))
        except OSError as exc:
            log.error(
                "%s: cannot write spill file in %s, keeping data in memory: %s",
                self.name,
                self.folder,
                exc,
            )
            # the next spill starts a fresh file: records appended after a failed write must
            # never sit behind bytes a reader would stop at
            self.close()
            return
        with self._lock:
            self._units[self._file.path] += written
            then()
        log.info("%s: spilled %d units to %s", self.name, written, self._file.path)

    def close(self) -> None:
        """Close the open spill file; the next park starts a new one."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def adopt_leftovers(self) -> None:
        """Count the spill files an earlier writer left (a crash), so they are replayed."""
        for path in list_spill_files(self.folder):
            try:
                units = count_units(path)
            except (SpillFormatError, OSError) as exc:
                log.error("%s: skipping unreadable spill file %s: %s", self.name, path, exc)
                continue
            with self._lock:
                self._units[path] = units
            log.info("%s: found %d units in leftover spill file %s", self.name, units, path)

    def replay(self, store: Callable[[list[Entry]], None], chunk_units: int) -> None:
        """Hand every spill file to ``store`` in chunks of about ``chunk_units``, oldest first.

        A file is deleted once all of it was stored; an exception from ``store`` propagates
        and leaves the file (and the rest) for the next replay. An unreadable file is left
        on disk and no longer counted.
        """
        if not self._units and self._file is None:
            return
        self.close()
        for path in sorted(self._units):
            try:
                chunk: list[Entry] = []
                units = 0
                for record in read_spill(path):
                    entry = _entry(record)
                    chunk.append(entry)
                    units += entry[2]
                    if units >= chunk_units:
                        store(chunk)
                        chunk, units = [], 0
                if chunk:
                    store(chunk)
            except SpillFormatError as exc:
                log.error("%s: leaving unreadable spill file %s: %s", self.name, path, exc)
                with self._lock:
                    self._units.pop(path, None)
                continue
            path.unlink(missing_ok=True)
            with self._lock:
                replayed = self._units.pop(path, 0)
            log.info("%s: replayed %d units from %s", self.name, replayed, path)

    def quarantine(self, entries: list[Entry], reason: str) -> None:
        """Keep entries the database refused for good in a ``rejected-*`` file; OSError propagates."""
        path = new_spill_path(self.folder, prefix="rejected")
        units = sum(e[2] for e in entries)
        writer = SpillWriter(path)
        try:
            writer.append(_records(entries))
        finally:
            writer.close()
        with self._lock:
            self._rejected += units
        log.error("%s: database refused %d units (%s); kept in %s", self.name, units, reason, path)


def _entry(record: SpillRecord) -> Entry:
    if isinstance(record, TickRecord):
        return (TICKS, record.ticks, len(record.ticks))
    if isinstance(record, BookRecord):
        return (BOOKS, record.books, len(record.books))
    if isinstance(record, BarRecord):
        return (BARS, record.bars, len(record.bars))
    if isinstance(record, InfoRecord):
        return (INFO, record.infos, len(record.infos))
    return (GAP, record.gap, 1)


def _records(entries: list[Entry]) -> list[SpillRecord]:
    """Entries as spill records: ticks regrouped into frames of a bounded size."""
    all_ticks = list(itertools.chain.from_iterable(p for k, p, _ in entries if k == TICKS))  # type: ignore[arg-type]
    records: list[SpillRecord] = [
        TickRecord(all_ticks[i : i + _SPILL_FRAME_TICKS])
        for i in range(0, len(all_ticks), _SPILL_FRAME_TICKS)
    ]
    books = list(itertools.chain.from_iterable(p for k, p, _ in entries if k == BOOKS))  # type: ignore[arg-type]
    if books:
        records.append(BookRecord(books))
    records.extend(GapRecord(p) for k, p, _ in entries if k == GAP)  # type: ignore[arg-type]
    records.extend(BarRecord(p) for k, p, _ in entries if k == BARS)  # type: ignore[arg-type]
    records.extend(InfoRecord(p) for k, p, _ in entries if k == INFO)  # type: ignore[arg-type]
    return records
