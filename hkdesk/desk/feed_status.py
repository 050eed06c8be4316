"""What a DeskFeed reports: its state, the desk's leader, and symbols the desk cannot stream.

The leader's card (see :mod:`hkdesk.desk.leadership`) is read every ``leader_poll`` seconds:
no card means no desk server leads (the feed says so instead of pretending to be live); the
card's lists say which watched symbols are beyond the desk's plan or refused upstream, each
reported once through ``on_symbol_error`` like FeedClient does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import msgspec
from nats.aio.client import Client

from hkdesk.desk.leadership import LEADER_KEY, LeaderCard
from hkdesk.desk.subjects import DeskNames
from hkdesk.feed.status import FeedState, FeedStats, FeedStatus
from hkdesk.feed.task_stop import stop_task

log = logging.getLogger(__name__)

BEYOND_CAPACITY = 603
_decode_card = msgspec.json.Decoder(LeaderCard).decode


@dataclass(frozen=True)
class DeskFeedTimings:
    """Seconds. ``heartbeat``: the stream's idle heartbeat (silence for two = resume);
    ``demand_refresh``: how often the demand is re-announced (shorter than the desk's lease);
    ``leader_poll``: how often the leader's card is read; ``backoff_*``: first connection
    attempts while NATS does not answer; ``live_*``: when the trade stream is left to the live
    path alone (:mod:`hkdesk.desk.live_sync`): looked at every ``live_check``, followed again
    after ``live_silence`` without a live message, not left within ``live_settle`` of a new
    term."""

    heartbeat: float = 1.0
    demand_refresh: float = 10.0
    leader_poll: float = 2.0
    backoff_initial: float = 0.5
    backoff_cap: float = 30.0
    live_check: float = 0.25
    live_silence: float = 2.0
    live_settle: float = 5.0


class DeskStatusBoard:
    def __init__(
        self,
        timings: DeskFeedTimings,
        stats: FeedStats,
        on_status: Callable[[FeedStatus], None] | None,
        on_symbol_error: Callable[[str, int, str], None] | None,
    ) -> None:
        self.timings = timings
        self._stats = stats
        self._on_status = on_status
        self._on_symbol_error = on_symbol_error
        self.status = FeedStatus(FeedState.CLOSED, reason="not started")
        self._override: FeedState | None = FeedState.CONNECTING
        self._reason = ""
        self._retry_at: float | None = None
        self._follow_problem = ""
        self._lists = (0, 0)
        self._caught_up: asyncio.Event | None = None
        self._card: LeaderCard | None = None
        #: A leader's card said its upstream is the simulator (what this feed showed stays so).
        self._simulator = False
        self._desk = ""
        self._reported: set[tuple[str, int]] = set()
        self._watched: Callable[[], tuple[str, ...]] = tuple
        self._task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ transitions

    def connecting(self) -> None:
        self._set(FeedState.CONNECTING, "")

    def backing_off(self, reason: str, wait: float) -> None:
        self._retry_at = time.monotonic() + wait
        self._set(FeedState.BACKING_OFF, reason)

    def failed(self, reason: str) -> None:
        log.error("desk feed stopped: %s", reason)
        self._set(FeedState.FAILED, reason)

    def closed(self) -> None:
        if self._override is not FeedState.FAILED:
            self._set(FeedState.CLOSED, "")

    def connected(self) -> None:
        self._set(None, "")

    def follower_state(self, ok: bool, reason: str) -> None:
        self._follow_problem = "" if ok else reason
        self.emit()

    def lists_changed(self, trades: int, depth: int) -> None:
        self._lists = (trades, depth)
        self._report_symbols()
        self.emit()

    def _set(self, state: FeedState | None, reason: str) -> None:
        self._override, self._reason = state, reason
        self.emit()

    # ------------------------------------------------------------------ leader card

    def start(
        self,
        nc: Client,
        names: DeskNames,
        caught_up: asyncio.Event,
        watched: Callable[[], tuple[str, ...]],
    ) -> None:
        self._caught_up = caught_up
        self._watched = watched
        self._desk = names.desk
        loop = asyncio.get_running_loop()
        self._task = loop.create_task(self._poll(nc, names), name="hkdesk-desk-status")

    async def stop(self) -> None:
        if self._task is not None:
            await stop_task(self._task)  # cancelled again if it swallows one
            self._task = None

    async def _poll(self, nc: Client, names: DeskNames) -> None:
        bucket = names.leader_bucket
        subject = f"$JS.API.DIRECT.GET.KV_{bucket}.$KV.{bucket}.{LEADER_KEY}"
        caught_up = self._caught_up
        assert caught_up is not None
        while True:
            card = None
            with contextlib.suppress(Exception):
                reply = await nc.request(subject, b"", timeout=self.timings.leader_poll)
                if reply.data:
                    card = _decode_card(reply.data)
            self._card = card
            self._simulator = self._simulator or (card is not None and card.simulator)  # it showed
            self._report_symbols()
            self.emit()
            if caught_up.is_set():
                await asyncio.sleep(self.timings.leader_poll)
            else:  # read the card again as soon as the history is read
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(caught_up.wait(), self.timings.leader_poll)

    def _report_symbols(self) -> None:
        card = self._card
        if card is None or self._on_symbol_error is None:
            return
        watched = set(self._watched())
        for symbol in card.beyond:
            if symbol in watched and (symbol, BEYOND_CAPACITY) not in self._reported:
                self._reported.add((symbol, BEYOND_CAPACITY))
                self._symbol_error(symbol, BEYOND_CAPACITY, f"beyond desk {self._desk}'s plan capacity")
        for symbol, (ret, text) in card.refused.items():
            if symbol in watched and (symbol, ret) not in self._reported:
                self._reported.add((symbol, ret))
                self._symbol_error(symbol, ret, text)

    def _symbol_error(self, symbol: str, ret: int, text: str) -> None:
        try:
            self._on_symbol_error(symbol, ret, text)  # type: ignore[misc]
        except Exception:
            log.exception("desk feed on_symbol_error failed")

    # ------------------------------------------------------------------ status

    def emit(self) -> None:
        status = self._compute()
        if status != self.status:
            self.status = status
            if self._on_status is not None:
                try:
                    self._on_status(status)
                except Exception:
                    log.exception("desk feed on_status failed")

    def _compute(self) -> FeedStatus:
        card, watched = self._card, set(self._watched())
        overflow = tuple(s for s in card.beyond if s in watched) if card else ()
        rejected = tuple(s for s in card.refused if s in watched) if card else ()
        common = {
            "reconnects": self._stats.reconnects,
            "overflow": overflow,
            "rejected": rejected,
            "simulator": self._simulator,
        }
        if self._override is not None:
            retry_in = None
            if self._override is FeedState.BACKING_OFF and self._retry_at is not None:
                retry_in = max(0.0, self._retry_at - time.monotonic())
            return FeedStatus(self._override, self._reason, retry_in, self._retry_at, **common)
        if self._lists == (0, 0):
            return FeedStatus(FeedState.IDLE, **common)
        if self._follow_problem:
            return FeedStatus(FeedState.SUBSCRIBING, self._follow_problem, **common)
        if self._caught_up is None or not self._caught_up.is_set():
            return FeedStatus(FeedState.SUBSCRIBING, "reading today's trades from the desk", **common)
        if card is None:
            return FeedStatus(FeedState.SUBSCRIBING, f"no desk server leads desk {self._desk}", **common)
        if card.upstream:  # the desk is there, its provider is not: nothing streams
            reason = f"desk {self._desk}'s upstream {card.upstream}"
            return FeedStatus(FeedState.SUBSCRIBING, reason, **common)
        return FeedStatus(FeedState.LIVE, **common)
