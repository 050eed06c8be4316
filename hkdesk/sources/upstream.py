"""A started source: where the feed connects, with which token, within which plan, and how.

An AllTick endpoint or the built-in simulator is reached over AllTick's WebSocket
(:class:`~hkdesk.feed.client.FeedClient`); a shared desk over NATS JetStream
(:class:`~hkdesk.desk.feed.DeskFeed`, no AllTick token on the desktop). Both hand the same
callbacks the same batches.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass

from hkdesk.desk.connection import NatsOptions
from hkdesk.desk.feed import DeskFeed
from hkdesk.desk.history import DeskHistory
from hkdesk.domain.types import Book, Gap, SessionSoFar, Tick
from hkdesk.feed.client import FeedClient
from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import HTTP_LIMITS, Plan
from hkdesk.feed.status import FeedStatus, FeedTimings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeskAccess:
    """How a desktop joins a shared desk."""

    name: str
    #: This desktop's id: its NATS user, whose permissions cover its own demand key.
    desktop_id: str
    creds_file: str | None = None
    #: The desk's database URL, read-only (None: the day is what the desk's stream holds).
    history_db: str | None = None


@dataclass(frozen=True)
class FeedCallbacks:
    on_ticks: Callable[[list[Tick]], None]
    on_books: Callable[[list[Book]], None] | None = None
    on_status: Callable[[FeedStatus], None] | None = None
    on_gap: Callable[[Gap], None] | None = None
    on_symbol_error: Callable[[str, int, str], None] | None = None
    #: A shared desk's session records: previous close, the day so far before its stream.
    on_session: Callable[[SessionSoFar], None] | None = None


@dataclass(frozen=True)
class Upstream:
    label: str
    #: WebSocket endpoint without the token, or the desk's NATS URL.
    url: str
    token: str
    plan: Plan
    #: hkdesk's simulator: built in, or behind an AllTick URL (its clock runs on a day of its own).
    simulated: bool = False
    desk: DeskAccess | None = None
    #: What comes from it is stored as real data (AllTick's): hkdesk's simulator found behind it
    #: after all (its handshake, its HTTP answers) is refused (see :mod:`hkdesk.pipeline`).
    real_only: bool = False

    def feed(self, callbacks: FeedCallbacks, timings: FeedTimings) -> FeedClient | DeskFeed:
        """The feed that streams this upstream into ``callbacks``."""
        if self.desk is not None:
            return DeskFeed(
                NatsOptions(self.url, creds_file=self.desk.creds_file, name=f"hkdesk-{self.desk.desktop_id}"),
                desk=self.desk.name,
                desktop_id=self.desk.desktop_id,
                on_ticks=callbacks.on_ticks,
                on_books=callbacks.on_books,
                on_status=callbacks.on_status,
                on_gap=callbacks.on_gap,
                on_symbol_error=callbacks.on_symbol_error,
                on_session=callbacks.on_session,
            )
        return FeedClient(
            self.url,
            self.token,
            plan=self.plan,
            on_ticks=callbacks.on_ticks,
            on_books=callbacks.on_books,
            on_status=callbacks.on_status,
            on_gap=callbacks.on_gap,
            on_symbol_error=callbacks.on_symbol_error,
            timings=timings,
        )

    def http(self) -> QuoteHttp | None:
        """The HTTP client for this upstream, within its plan's HTTP limits. The built-in
        simulator runs on the widest plan unless told otherwise, so a simulated upstream whose
        plan AllTick does not name (the tests' fast ones) gets that plan's limits. A desktop on a
        shared desk has no token for AllTick's HTTP API: None."""
        if self.desk is not None:
            return None
        if self.simulated and self.plan.name not in HTTP_LIMITS:
            return QuoteHttp(self.url, self.token, limits=HTTP_LIMITS["professional"])
        return QuoteHttp.for_plan(self.url, self.token, self.plan, refuse_simulator=self.real_only)

    def desk_history(self) -> DeskHistory | None:
        """A desktop on a shared desk given the desk's database: its days from there, read-only
        (a URL that cannot be used is logged and left out)."""
        if self.desk is None or not self.desk.history_db:
            return None
        try:
            history = DeskHistory(self.desk.history_db)
        except ValueError as exc:
            log.warning("the day's minutes are not read from the desk's database: %s", exc)
            return None
        log.info("the day's minutes the desk's stream lacks are read from %s", history.shown)
        return history


def default_desktop_id() -> str:
    """This machine's name, as a NATS user name (letters, digits, ``-`` and ``_``)."""
    name = socket.gethostname().split(".")[0] or "desktop"
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)
