"""What the batch writer reports: a consistent snapshot of its counters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WriterStats:
    """A consistent snapshot of the writer's counters (safe to read from any thread)."""

    queued: int  # units (ticks, books, gaps) waiting in memory
    spilled: int  # units parked in spill files on disk
    stored_total: int  # ticks newly inserted since this writer started
    duplicates: int  # ticks skipped because (symbol, ts, seq) was already stored
    batches: int  # committed transactions
    last_batch_size: int  # units in the last committed transaction
    db_ok: bool  # False from a failed attempt until the next successful commit
    last_error: str | None  # last database error, passwords hidden
    last_commit_at: float | None  # wall clock (epoch s) of the last commit
    rejected: int  # units the database refused for good (kept in rejected-* files)
    provided_bars: int = 0  # provider bars stored (new minutes, or replacing thinner ones)
