"""The one place that turns settings into a running configuration.

Settings flow one way: the settings dialog (or a menu) writes :class:`AppSettings`; the settings
announce which keys changed; :class:`ConfigFollower` turns settings and the command line into a
:class:`MarketConfig` and rebuilds the market service when the result differs. What the command
line fixes (``--url``, ``--plan``, ``--db``) wins over the saved settings for the whole run, and
the settings dialog says so next to each overridden field.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QObject

from hkdesk.app.market import MarketService
from hkdesk.app.market_config import MarketConfig
from hkdesk.app.settings import TOKEN_KEY, AppSettings
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedTimings
from hkdesk.sources.spec import SourceKind, SourceSpec
from hkdesk.store.engine import default_db_url
from hkdesk.store.spill_keeper import default_spill_dir

log = logging.getLogger(__name__)

#: Settings whose change rebuilds the feed and the writer.
MARKET_KEYS = frozenset(
    {"feed/source", "feed/url", "feed/plan", "store/db_url", "desk/url", "desk/name", "desk/desktop_id",
     "desk/creds", "desk/db_url", TOKEN_KEY}
)  # fmt: skip


@dataclass(frozen=True)
class Launch:
    """What this run fixed when it started: command-line options, and tuning that tests and
    benchmarks pass in (fast protocol timings, simulator arguments, plan limits)."""

    url: str | None = None
    plan: str | None = None
    db_url: str | None = None
    #: Where the default databases and spill folders live (the user's data folder if None).
    data_dir: Path | None = None
    #: A shared desk: its name, this desktop's id, the NATS credentials file.
    desk: str | None = None
    desktop_id: str | None = None
    nats_creds: str | None = None
    #: The desk's database, read-only: a desktop's day from there (``--desk-db``).
    desk_db: str | None = None
    sim_args: tuple[str, ...] = ()
    timings: FeedTimings = field(default_factory=FeedTimings)
    plan_limits: Plan | None = None

    def overridden(self) -> dict[str, str]:
        """Setting key → the command-line option that overrides it for this run."""
        found: dict[str, str] = {}
        if self.url:
            found.update({"feed/source": "--url", "feed/url": "--url", "desk/url": "--url"})
        if self.desk:
            found["desk/name"] = "--desk"
        if self.plan:
            found["feed/plan"] = "--plan"
        if self.db_url:
            found["store/db_url"] = "--db"
        if self.desk_db:
            found["desk/db_url"] = "--desk-db"
        return found


def market_config(settings: AppSettings, launch: Launch) -> MarketConfig:
    """Each source stores into its own database: the simulator always into its own file (unless
    ``--db`` names one), AllTick into the configured database or its own default file, a shared
    desk into its own file (a desktop on a desk needs none of its own, but keeps one)."""
    if launch.url:
        kind = SourceKind.DESK if launch.url.startswith(("nats://", "tls://")) else SourceKind.ALLTICK
        url = launch.url
    else:
        kind = settings.feed_source
        url = settings.desk_url if kind is SourceKind.DESK else settings.alltick_url
    source = SourceSpec(
        kind,
        url=url,
        # the simulator's limits are ours to choose: the widest plan unless told otherwise
        plan=launch.plan or (settings.plan if kind is SourceKind.ALLTICK else None),
        sim_args=launch.sim_args,
        plan_limits=launch.plan_limits,
        desk=launch.desk or settings.desk_name,
        desktop_id=launch.desktop_id or settings.desktop_id,
        nats_creds=launch.nats_creds or settings.nats_creds or None,
        desk_db=launch.desk_db or settings.desk_db_url or None,
    )
    configured = settings.db_url or None if kind is SourceKind.ALLTICK else None
    db_url = launch.db_url or configured or default_db_url(source.store_name, launch.data_dir)
    spill_root = launch.data_dir / "spill" if launch.data_dir is not None else None
    # an AllTick URL may reach hkdesk's simulator: then its own database, unless --db named one
    simulated_db = None
    if kind is SourceKind.ALLTICK and not launch.db_url:
        simulated_db = default_db_url(replace(source, reached_simulator=True).store_name, launch.data_dir)
    return MarketConfig(
        source=source,
        db_url=db_url,
        spill_dir=default_spill_dir(db_url, spill_root),
        timings=launch.timings,
        simulated_db_url=simulated_db,
        simulated_spill_dir=default_spill_dir(simulated_db, spill_root) if simulated_db else None,
    )


class ConfigFollower(QObject):
    """Rebuilds ``market`` when a setting it depends on changes (a new token included)."""

    def __init__(self, settings: AppSettings, launch: Launch, market: MarketService, parent=None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._launch = launch
        self._market = market
        self.task: asyncio.Future[None] | None = None
        settings.changed.connect(self._on_settings_changed)

    def config(self) -> MarketConfig:
        return market_config(self._settings, self._launch)

    def _on_settings_changed(self, keys: frozenset[str]) -> None:
        if not keys & MARKET_KEYS:
            return
        config = self.config()
        new_token = TOKEN_KEY in keys and not config.source.simulated
        if config == self._market.asked and not new_token:
            log.info("settings changed, but not for this run: %s", ", ".join(sorted(keys & MARKET_KEYS)))
            return
        self.task = asyncio.ensure_future(self._market.reconfigure(config))
