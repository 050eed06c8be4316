"""Leadership: of the desk servers sharing a desk name, exactly one holds the upstream.

The lock is one key of the desk's leader bucket, whose values live ``ttl`` seconds. A server
becomes leader by *creating* the key (JetStream refuses a create while the key exists) and
stays leader by rewriting it every ``refresh`` seconds, each write conditional on the revision
it wrote last (a compare-and-set: if anyone else wrote in between, it has lost). A leader that
cannot renew for ``ttl - margin`` seconds steps down by itself, before its key can expire on
the server, so two leaders never hold the upstream at once. A leader killed without a goodbye
(SIGKILL) stops renewing; its key expires ``ttl`` after its last write and a standby, trying
every ``poll`` seconds, takes over: within ``ttl + poll`` of the kill.

The value is the leader's card (:class:`LeaderCard`): who, since when, the time of its last
renewal, and what it says to the desktops (symbols beyond the plan, symbols refused
upstream). A standby remembers the last card it read, so on taking over it knows when the
previous leader was last alive: the start of the gap without a leader.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import msgspec
from msgspec.structs import replace
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from hkdesk.feed.task_stop import stop_task

log = logging.getLogger(__name__)

LEADER_KEY = "leader"


class LeaderCard(msgspec.Struct, omit_defaults=True):
    """The leader key's value."""

    server: str
    since_ms: int
    at_ms: int
    beyond: tuple[str, ...] = ()
    refused: dict[str, tuple[int, str]] = {}
    #: Its upstream is the built-in simulator: the desktops mark what they show as simulated.
    simulator: bool = False
    #: Why its upstream does not stream now (a dead provider, a reconnect); empty while it does.
    upstream: str = ""


_decode_card = msgspec.json.Decoder(LeaderCard).decode


async def current_card(js: JetStreamContext, bucket: str) -> LeaderCard | None:
    """The leader's card as the bucket holds it now (None: no leader, or a card unreadable)."""
    with contextlib.suppress(KeyNotFoundError, msgspec.DecodeError, msgspec.ValidationError):
        entry = await (await js.key_value(bucket)).get(LEADER_KEY)
        return _decode_card(entry.value) if entry.value else None
    return None


@dataclass(frozen=True)
class LeaseTimings:
    """``ttl``: life of the key; ``refresh``: renewal period; ``poll``: a standby's retry period;
    ``margin``: how long before the key could expire a leader that failed to renew steps down."""

    ttl: float = 2.0
    refresh: float = 0.5
    poll: float = 0.25
    margin: float = 0.5

    def __post_init__(self) -> None:
        if not 0 < self.refresh < self.ttl - self.margin:
            raise ValueError(f"lease refresh must be shorter than ttl - margin: {self}")


class Leadership:
    """Runs the election for one server; see the module docstring.

    ``on_elected(previous)`` is called when this server becomes leader (``previous``: the last
    card of the leader before it, if one was seen); ``on_deposed()`` when it stops being one.
    """

    def __init__(
        self,
        nc: Client,
        bucket: str,
        server: str,
        *,
        timings: LeaseTimings = LeaseTimings(),
        on_elected: Callable[[LeaderCard | None], None],
        on_deposed: Callable[[], None],
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._nc = nc
        self.bucket = bucket
        self.server = server
        self.timings = timings
        self._on_elected = on_elected
        self._on_deposed = on_deposed
        self._clock = clock
        self._wall = wall_clock
        self.is_leader = False
        self.card = LeaderCard(server, 0, 0)
        self.seen: LeaderCard | None = None
        self._revision = 0
        self._renewed_at = 0.0
        self._kv: KeyValue | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="hkdesk-leadership")

    def tell(self, beyond: tuple[str, ...], refused: dict[str, tuple[int, str]]) -> None:
        """What the next renewal tells the desktops."""
        self.card = replace(self.card, beyond=beyond, refused=dict(refused))

    def say_simulator(self) -> None:
        """The upstream is the built-in simulator: the next renewal tells the desktops."""
        self.card = replace(self.card, simulator=True)

    def say_upstream(self, problem: str) -> None:
        """Why the upstream does not stream now (empty: it does); the next renewal tells the
        desktops, whose figures then go stale as a direct connection's would."""
        if problem != self.card.upstream:
            self.card = replace(self.card, upstream=problem)

    async def close(self) -> None:
        """Stop; a leader deletes its key so a standby takes over without waiting for the lease."""
        if self._task is not None:
            await stop_task(self._task)  # cancelled again if it swallows one (see task_stop)
            self._task = None
        if self.is_leader:
            self._step_down()
            if self._kv is not None and self._nc.is_connected:
                with contextlib.suppress(Exception):
                    await self._kv.delete(LEADER_KEY, last=self._revision)

    async def _run(self) -> None:
        while True:
            try:
                if self._kv is None:
                    self._kv = await self._nc.jetstream().key_value(self.bucket)
                if self.is_leader:
                    await self._renew()
                else:
                    await self._try_to_lead()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.debug("leadership: %s", exc.__class__.__name__)
            if self.is_leader and self._clock() - self._renewed_at > self.timings.ttl - self.timings.margin:
                log.warning("desk server %s: lease not renewed in time, standing by", self.server)
                self._step_down()
            await asyncio.sleep(self.timings.refresh if self.is_leader else self.timings.poll)

    async def _try_to_lead(self) -> None:
        assert self._kv is not None
        now_ms = int(self._wall() * 1000)
        card = replace(self.card, since_ms=now_ms, at_ms=now_ms)
        started = self._clock()
        try:
            self._revision = await self._kv.create(LEADER_KEY, msgspec.json.encode(card))
        except KeyWrongLastSequenceError:
            await self._read_current()
            return
        self.card = card
        self._renewed_at = started
        self.is_leader = True
        log.info("desk server %s leads", self.server)
        self._on_elected(self.seen)

    async def _read_current(self) -> None:
        assert self._kv is not None
        with contextlib.suppress(KeyNotFoundError):
            entry = await self._kv.get(LEADER_KEY)
            if entry.value:
                with contextlib.suppress(msgspec.DecodeError, msgspec.ValidationError):
                    self.seen = _decode_card(entry.value)

    async def _renew(self) -> None:
        assert self._kv is not None
        card = replace(self.card, at_ms=int(self._wall() * 1000))
        started = self._clock()
        try:
            self._revision = await self._kv.update(LEADER_KEY, msgspec.json.encode(card), last=self._revision)
        except KeyWrongLastSequenceError:
            log.warning("desk server %s: another server took the lead", self.server)
            self._step_down()
            return
        self.card = card
        self._renewed_at = started

    def _step_down(self) -> None:
        if self.is_leader:
            self.is_leader = False
            self._on_deposed()
