"""What the market pipeline is built from: the source, the database and the timings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hkdesk.feed.status import FeedTimings
from hkdesk.sources.spec import SourceSpec


@dataclass(frozen=True)
class MarketConfig:
    """Everything needed to (re)build the pipeline; made from settings and command line by
    :mod:`hkdesk.app.config`, the one place that does so."""

    source: SourceSpec = field(default_factory=SourceSpec)
    db_url: str | None = None
    spill_dir: Path | None = None
    timings: FeedTimings = field(default_factory=FeedTimings)
    record_depth: bool = False
