"""Settings become a running configuration in one place; the command line wins for the run."""

from __future__ import annotations

import asyncio

from hkdesk.app.config import ConfigFollower, Launch, market_config
from hkdesk.app.market import MarketConfig
from hkdesk.app.settings import TOKEN_KEY, AppSettings
from hkdesk.sources.spec import SourceKind


class FakeMarket:
    """Records what it was asked to rebuild with (the real one would restart the feed)."""

    def __init__(self, config: MarketConfig) -> None:
        self.asked = config
        self.rebuilt: list[MarketConfig] = []

    async def reconfigure(self, config: MarketConfig | None = None) -> None:
        self.rebuilt.append(config or self.asked)
        self.asked = config or self.asked


def test_settings_make_the_configuration(tmp_path, qapp) -> None:
    settings = AppSettings(tmp_path)
    cfg = market_config(settings, Launch(data_dir=tmp_path))
    assert cfg.source.kind is SourceKind.SIMULATOR
    assert cfg.db_url == f"sqlite:///{tmp_path / 'simulator.db'}", "the simulator keeps its own file"
    assert cfg.source.limits().name == "professional", "the simulator runs on the widest plan"
    settings.feed_source = "alltick"
    settings.plan = "basic"
    settings.db_url = "sqlite:///x.db"
    cfg = market_config(settings, Launch(data_dir=tmp_path))
    assert cfg.source.kind is SourceKind.ALLTICK and cfg.source.limits().name == "basic"
    assert cfg.db_url == "sqlite:///x.db"
    assert cfg.spill_dir is not None and cfg.spill_dir.parent == tmp_path / "spill"
    # should its URL reach hkdesk's simulator: a database of its own, never the one for real data
    simulated = cfg.reaching_simulator()
    assert simulated.db_url == f"sqlite:///{tmp_path / 'simulator-url.db'}"
    assert simulated.source.store_source == "simulator-url" and simulated.spill_dir != cfg.spill_dir
    settings.feed_source = "simulator"
    cfg = market_config(settings, Launch(data_dir=tmp_path))
    assert cfg.db_url.endswith("simulator.db"), "the configured database is for real data only"


def test_the_command_line_overrides_and_says_which_setting(tmp_path, qapp) -> None:
    settings = AppSettings(tmp_path)
    launch = Launch(url="wss://example.invalid/ws", db_url="sqlite:///cli.db")
    cfg = market_config(settings, launch)
    assert cfg.source.kind is SourceKind.ALLTICK and cfg.source.url == "wss://example.invalid/ws"
    assert cfg.db_url == "sqlite:///cli.db"
    assert cfg.reaching_simulator().db_url == "sqlite:///cli.db", "--db is kept: its stamp decides"
    assert launch.overridden() == {
        "feed/source": "--url",
        "feed/url": "--url",
        "desk/url": "--url",
        "store/db_url": "--db",
    }


async def test_the_follower_rebuilds_only_for_a_change_that_applies(tmp_path, qapp) -> None:
    settings = AppSettings(tmp_path)
    launch = Launch(db_url="sqlite:///cli.db")
    market = FakeMarket(market_config(settings, launch))
    follower = ConfigFollower(settings, launch, market)  # type: ignore[arg-type]
    settings.theme = "light"
    settings.sync()
    settings.db_url = "sqlite:///settings.db"  # --db wins for this run
    settings.sync()
    await asyncio.sleep(0)
    assert market.rebuilt == []
    settings.feed_source = "alltick"
    settings.sync()
    await follower.task
    assert [c.source.kind for c in market.rebuilt] == [SourceKind.ALLTICK]
    assert market.rebuilt[0].db_url == "sqlite:///cli.db"
    settings.mark_changed(TOKEN_KEY)  # a new token restarts a real feed even with equal settings
    settings.sync()
    await follower.task
    assert len(market.rebuilt) == 2


def test_changed_names_exactly_the_keys_that_changed(tmp_path, qapp) -> None:
    settings = AppSettings(tmp_path)
    seen: list[frozenset[str]] = []
    settings.changed.connect(seen.append)
    settings.theme = "dark"  # the default: no change
    settings.sync()
    settings.theme = "light"
    settings.colours = "mainland"
    settings.sync()
    settings.sync()
    assert seen == [frozenset({"ui/theme", "ui/colours"})]


def test_the_desk_database_comes_from_the_settings_or_the_command_line(tmp_path, qapp) -> None:
    settings = AppSettings(tmp_path)
    settings.feed_source = "desk"
    settings.desk_url = "nats://desk.example:4222"
    assert market_config(settings, Launch(data_dir=tmp_path)).source.desk_db is None
    settings.desk_db_url = " postgresql+psycopg://reader@desk.example/desk "
    cfg = market_config(settings, Launch(data_dir=tmp_path))
    assert cfg.source.desk_db == "postgresql+psycopg://reader@desk.example/desk"
    assert cfg.db_url.endswith("desk-main.db"), "the desktop still records into its own database"
    launch = Launch(data_dir=tmp_path, desk_db="sqlite:///desk.db")
    assert market_config(settings, launch).source.desk_db == "sqlite:///desk.db"
    assert launch.overridden() == {"desk/db_url": "--desk-db"}
