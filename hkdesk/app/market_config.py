"""What the market pipeline is built from: the source, the database and the timings."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from hkdesk.feed.server_probe import reaches_simulator
from hkdesk.feed.status import FeedTimings
from hkdesk.sources.spec import SourceKind, SourceSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MarketConfig:
    """Everything needed to (re)build the pipeline; made from settings and command line by
    :mod:`hkdesk.app.config`, the one place that does so."""

    source: SourceSpec = field(default_factory=SourceSpec)
    db_url: str | None = None
    spill_dir: Path | None = None
    timings: FeedTimings = field(default_factory=FeedTimings)
    record_depth: bool = False
    #: Where an AllTick URL's trades go if its server is hkdesk's simulator: the simulator's own
    #: database (None: ``db_url``, named with ``--db``, whose stamp then decides).
    simulated_db_url: str | None = None
    simulated_spill_dir: Path | None = None

    def reaching_simulator(self) -> MarketConfig:
        """This configuration once its AllTick URL turned out to reach hkdesk's simulator."""
        return replace(
            self,
            source=replace(self.source, reached_simulator=True),
            db_url=self.simulated_db_url or self.db_url,
            spill_dir=self.simulated_spill_dir or self.spill_dir,
        )


async def resolve_upstream(config: MarketConfig, simulators: set[str]) -> MarketConfig:
    """``config`` as it stands once the server behind an AllTick URL has said whether it is
    hkdesk's simulator. ``simulators``: URLs known to be one (a server that said so once is not
    asked again, so a later probe that gets no answer cannot take it for a real feed)."""
    source = config.source
    if source.kind is not SourceKind.ALLTICK or source.reached_simulator:
        return config
    if source.url in simulators or await reaches_simulator(source.url):
        simulators.add(source.url)
        resolved = config.reaching_simulator()
        log.warning(
            "%s is hkdesk's simulator: its trades are simulated and stored apart from real data", source.url
        )
        return resolved
    return config
