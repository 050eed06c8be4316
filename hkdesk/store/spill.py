"""Append-only spill files: where the writer parks data while the database cannot take it.

File layout: an 8-byte magic, then frames of ``length (4 bytes LE) | crc32 (4 bytes LE) |
payload``; the payload is one msgpack-encoded ``SpillRecord`` (msgspec), tagged by kind. New
kinds and new fields with defaults leave older files readable (their records simply lack them).
A crash can only tear the frame being appended last: the reader notices a short frame or a CRC
mismatch, logs it, and stops there, keeping every complete frame before it.

Durability policy: ``SpillWriter.append`` writes a whole group of records, then flushes and
``fsync``s before returning, so data handed to the spill file survives a process or OS crash
once ``append`` returns. The writer spills in large groups (everything in memory at once), so
the fsync cost is paid rarely. A spill file is deleted only after everything in it has been
committed to the database (the caller's job).
"""

from __future__ import annotations

import contextlib
import logging
import os
import struct
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import msgspec

from hkdesk.domain.static_info import StaticInfo
from hkdesk.domain.types import Bar, Book, Gap, Tick

log = logging.getLogger(__name__)

MAGIC = b"HKSPILL1"
_HEADER = struct.Struct("<II")
SPILL_SUFFIX = ".hks"
#: Largest frame we accept on read; anything bigger is corruption, not data.
MAX_FRAME = 512 * 1024 * 1024


class SpillFormatError(Exception):
    """The file is not a spill file (wrong header); it is left for a human to look at."""


class TickRecord(msgspec.Struct, tag="t"):
    ticks: list[Tick]


class BookRecord(msgspec.Struct, tag="b"):
    books: list[Book]


class GapRecord(msgspec.Struct, tag="g"):
    gap: Gap


class BarRecord(msgspec.Struct, tag="m"):
    """The provider's 1-minute bars (added with schema version 4; older files have none)."""

    bars: list[Bar]


class InfoRecord(msgspec.Struct, tag="i"):
    """The provider's facts of looked-up codes (added with schema version 4)."""

    infos: list[StaticInfo]


SpillRecord = TickRecord | BookRecord | GapRecord | BarRecord | InfoRecord

_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(SpillRecord)


def record_size(record: SpillRecord) -> int:
    """Units the record holds (ticks, books, bars, facts or one gap), the measure of ``memory_limit``."""
    if isinstance(record, TickRecord):
        return len(record.ticks)
    if isinstance(record, BookRecord):
        return len(record.books)
    if isinstance(record, BarRecord):
        return len(record.bars)
    if isinstance(record, InfoRecord):
        return len(record.infos)
    return 1


def new_spill_path(folder: Path, prefix: str = "spill") -> Path:
    """A fresh file name that sorts in creation order."""
    return folder / f"{prefix}-{time.time_ns():020d}-{os.getpid()}{SPILL_SUFFIX}"


def list_spill_files(folder: Path, prefix: str = "spill") -> list[Path]:
    """Spill files in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{prefix}-*{SPILL_SUFFIX}"))


class SpillWriter:
    """Appends records to one spill file (created on first use)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.units = 0
        # Unbuffered: a failed write leaves nothing in a buffer to land later, after the truncate.
        self._fd: int | None = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if os.fstat(self._fd).st_size == 0:
            self._write_all(MAGIC)

    def append(self, records: Iterable[SpillRecord]) -> int:
        """Write ``records`` durably (fsync); return the units written.

        On an I/O error (disk full) the file is cut back to where it was, so it never ends in
        a torn record, and the error is raised.
        """
        units = 0
        chunks: list[bytes] = []
        for record in records:
            payload = _encoder.encode(record)
            chunks.append(_HEADER.pack(len(payload), zlib.crc32(payload)))
            chunks.append(payload)
            units += record_size(record)
        assert self._fd is not None, "spill file closed"
        start = os.fstat(self._fd).st_size
        try:
            self._write_all(b"".join(chunks))
            os.fsync(self._fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, start)
            raise
        self.units += units
        return units

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]  # type: ignore[arg-type]

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def read_spill(path: Path) -> Iterator[SpillRecord]:
    """Yield the complete records of ``path``; a torn or corrupt tail is logged and skipped."""
    with open(path, "rb") as f:
        magic = f.read(len(MAGIC))
        if len(magic) < len(MAGIC):
            return  # created but never written to: a crash before the first append
        if magic != MAGIC:
            raise SpillFormatError(f"{path} is not an hkdesk spill file")
        while True:
            offset = f.tell()
            header = f.read(_HEADER.size)
            if not header:
                return
            if len(header) < _HEADER.size:
                log.warning("spill file %s: torn frame header at byte %d skipped", path, offset)
                return
            length, crc = _HEADER.unpack(header)
            payload = f.read(length) if length <= MAX_FRAME else b""
            if len(payload) != length or zlib.crc32(payload) != crc:
                log.warning("spill file %s: torn or corrupt record at byte %d skipped", path, offset)
                return
            try:
                yield _decoder.decode(payload)
            except (msgspec.DecodeError, msgspec.ValidationError) as exc:
                log.error("spill file %s: undecodable record at byte %d skipped: %s", path, offset, exc)


def count_units(path: Path) -> int:
    return sum(record_size(record) for record in read_spill(path))
