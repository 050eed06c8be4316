"""What the status bar shows, as plain data built by the app a few times a second."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LinkLevel(StrEnum):
    OK = "ok"
    WARN = "warn"
    BAD = "bad"


@dataclass(frozen=True, slots=True)
class StatusSnapshot:
    link_text: str
    link_level: LinkLevel
    source: str = ""
    rtt_ms: float | None = None
    ticks_per_s: float = 0.0
    writer_queue: int = 0
    rows_stored: int = 0
    writer_ok: bool = True
    session_text: str = ""
    clock_text: str = ""
    gap_text: str = ""
