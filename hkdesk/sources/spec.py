"""What the user asked for as a quote source, resolved from the command line or the settings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hkdesk.domain.simulator_mark import REACHED_SIMULATOR
from hkdesk.feed.alltick.protocol import redact
from hkdesk.feed.plans import PLANS, Plan
from hkdesk.i18n import QT_TRANSLATE_NOOP

DEFAULT_ALLTICK_URL = "wss://quote.alltick.co/quote-stock-b-ws-api"
PLAN_NAMES = tuple(PLANS)
#: The token the app and the recorder present to their own built-in simulator.
SIM_TOKEN = "hkdesk-simulator"

# The status bar's name for the simulator, translated where it is shown.
SIMULATOR_LABEL = QT_TRANSLATE_NOOP("Status", "Built-in simulator")


class SourceKind(StrEnum):
    SIMULATOR = "simulator"
    ALLTICK = "alltick"
    #: A shared desk: one upstream held by desk servers, fanned out over NATS JetStream.
    DESK = "desk"


class SourceError(Exception):
    """A source that cannot be used as asked: the message says why, in words for the user."""


@dataclass(frozen=True)
class SourceSpec:
    """One quote source. ``plan`` None means the source's default: ``free`` for AllTick (the plan
    a new token has), ``professional`` for the simulator (its limits are ours to choose)."""

    kind: SourceKind = SourceKind.SIMULATOR
    url: str = DEFAULT_ALLTICK_URL
    plan: str | None = None
    #: Extra command-line arguments for the built-in simulator's process.
    sim_args: tuple[str, ...] = ()
    #: Limits to use instead of the named plan (tests and benchmarks use fast reconnects).
    plan_limits: Plan | None = None
    #: A shared desk: its name, this desktop's id (its NATS user), a NATS credentials file.
    desk: str = "main"
    desktop_id: str = ""
    nats_creds: str | None = None
    #: The desk's database URL, read-only: the day its stream lacks (a desk started late).
    desk_db: str | None = None
    #: An AllTick URL whose server named itself hkdesk's simulator: its trades are simulated and
    #: go into a simulator's database (see :mod:`hkdesk.feed.server_probe`).
    reached_simulator: bool = False

    @classmethod
    def from_url(cls, url: str | None, **kw: object) -> SourceSpec:
        """``None`` or empty: the built-in simulator; ``ws://``/``wss://``: an AllTick endpoint;
        ``nats://``/``tls://``: a shared desk."""
        if not url:
            return cls(SourceKind.SIMULATOR, **kw)  # type: ignore[arg-type]
        if url.startswith(("nats://", "tls://")):
            return cls(SourceKind.DESK, url=url, **kw)  # type: ignore[arg-type]
        if not url.startswith(("ws://", "wss://")):
            raise SourceError(
                f"--url must start with ws:// or wss:// (nats:// for a shared desk), not {redact(url)!r}"
            )
        return cls(SourceKind.ALLTICK, url=url, **kw)  # type: ignore[arg-type]

    @property
    def simulated(self) -> bool:
        """The built-in simulator, started by us."""
        return self.kind is SourceKind.SIMULATOR

    @property
    def demo_clock(self) -> bool:
        """Its trades run on a simulator's demo day (built in, or reached through a URL), not on
        the wall clock's."""
        return self.simulated or self.reached_simulator

    def limits(self) -> Plan:
        if self.plan_limits is not None:
            return self.plan_limits
        name = self.plan or ("professional" if self.simulated else "free")
        try:
            return Plan.named(name)
        except ValueError as exc:
            raise SourceError(str(exc)) from None

    @property
    def store_source(self) -> str:
        """The name a database is stamped with: one source's data never mixes with another's.
        A desk relays AllTick (or, in a demo, a simulator): its data is the desk's own."""
        if self.kind is SourceKind.DESK:
            return f"desk:{self.desk}"
        return REACHED_SIMULATOR if self.reached_simulator else self.kind.value

    @property
    def store_name(self) -> str:
        """The default database's file name (``<name>.db`` in the data folder)."""
        if self.kind is SourceKind.DESK:
            return f"desk-{self.desk}"
        if self.reached_simulator:
            return REACHED_SIMULATOR
        return "simulator" if self.simulated else "hkdesk"

    @property
    def label(self) -> str:
        """What the status bar calls this source."""
        if self.simulated:
            return SIMULATOR_LABEL
        if self.kind is SourceKind.DESK:
            return f"Shared desk ({self.desk})"
        return f"AllTick ({self.plan or 'free'})"
