"""The day so far of a symbol added to a running desktop's list.

A desktop's trade follower reads the whole stream from the day's start once; a symbol added later
would stream only from then on, so its row would count the day from the moment it was added. For
each such symbol a :class:`CatchUp` reads that symbol's own subject from the day's start, while the
live trades of it that the main follower meets meanwhile are held; once the subject is read, the
held trades newer than the last one read follow. The two consumers do not keep pace, so the main
follower then passes on only trades newer than the last one handed on (``fences``), and the
symbol joins the live list with the first of them, or as soon as the main follower has read
past the catch-up's end with none (:meth:`CatchUps.lift`: a quiet symbol does not keep its
desktop on the stream, :mod:`hkdesk.desk.live_sync`). Each trade is handed on once, in order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

import msgspec
from nats.aio.client import Client

from hkdesk.desk.codec import decode_tick
from hkdesk.desk.follower import StartAt, StreamFollower, StreamMsg
from hkdesk.desk.subjects import DeskNames, encode_token
from hkdesk.domain.types import Tick
from hkdesk.feed.status import FeedStats
from hkdesk.feed.task_stop import first_of, stop_task

log = logging.getLogger(__name__)

_BAD = (msgspec.DecodeError, msgspec.ValidationError, ValueError)


class CatchUp:
    """One symbol's catch-up; ``held`` takes the live trades of it until ``done``."""

    def __init__(
        self,
        nc: Client,
        names: DeskNames,
        symbol: str,
        *,
        since: datetime,
        heartbeat: float,
        deliver: Callable[[list[Tick]], None],
        stats: FeedStats,
    ) -> None:
        self.symbol = symbol
        self.held: list[Tick] = []
        self._deliver = deliver
        self._stats = stats
        #: The last trade handed on: (exchange time, seq).
        self.last: tuple[int, int] = (0, -1)
        #: The chain place of the last record read, and the stream sequence read to.
        self.chain: tuple[str, int] | None = None
        self.held_chain: tuple[str, int] | None = None  # of the last trade held
        self.read_to = 0
        self._finished = False
        self.follower = StreamFollower(
            nc,
            names.stream,
            names.trade_subject(symbol),
            self._on_msgs,
            start=StartAt(time=since),
            heartbeat=heartbeat,
        )

    def _on_msgs(self, msgs: list[StreamMsg]) -> None:
        if self._finished:  # a batch the follower had in hand when it was closed: live has it
            return
        ticks: list[Tick] = []
        for msg in msgs:
            self.chain = msg.chain or self.chain
            try:
                ticks.append(decode_tick(msg.data))
            except _BAD as exc:
                self._stats.bad_frames[exc.__class__.__name__] += 1
        self._hand_on(ticks)

    def _hand_on(self, ticks: list[Tick]) -> bool:
        last = self.last
        fresh = [t for t in ticks if (t.ts, t.seq) > last]
        if fresh:
            self.last = (fresh[-1].ts, fresh[-1].seq)
            self._stats.ticks += len(fresh)
            self._deliver(fresh)
        return bool(fresh)

    async def run(self, closing: asyncio.Future[None]) -> bool:
        """Read the subject to its end, then hand on the held trades; False if closed first."""
        self.follower.start()
        try:
            await first_of(self.follower.caught_up, closing)
        finally:
            await self.follower.close()
        self.read_to = self.follower.last_seq
        if not self.follower.caught_up.is_set():
            return False
        self.release()
        return True

    def release(self) -> None:
        """Hand on the held trades newer than the last one read; nothing read comes after."""
        self._finished = True
        held, self.held = self.held, []
        if self._hand_on(held):  # the last held trade, newer than all read, was handed on last
            self.chain = self.held_chain


class CatchUps:
    """The catch-ups under way, by subject token (``holding``: the live trades held), and the
    finished ones' last trade handed on (``fences``: the live trades up to it are dropped)."""

    def __init__(
        self,
        names: DeskNames,
        heartbeat: float,
        deliver: Callable[[list[Tick]], None],
        stats: FeedStats,
    ) -> None:
        self._names = names
        self._heartbeat = heartbeat
        self._deliver = deliver
        self._stats = stats
        self.holding: dict[str, list[Tick]] = {}
        self.fences: dict[str, tuple[int, int]] = {}
        #: token -> (stream sequence its catch-up read to, its last chain place), while fenced
        self._fenced_at: dict[str, tuple[int, tuple[str, int] | None]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._runs: dict[str, CatchUp] = {}
        self._stopping: set[asyncio.Task[None]] = set()

    def begin(self, nc: Client, symbol: str, since: datetime, closing: asyncio.Future[None]) -> None:
        """Read ``symbol``'s day from ``since`` (until ``closing`` is done, at the latest)."""
        token = encode_token(symbol)
        catch_up = CatchUp(
            nc,
            self._names,
            symbol,
            since=since,
            heartbeat=self._heartbeat,
            deliver=self._deliver,
            stats=self._stats,
        )
        self.holding[token] = catch_up.held
        self._runs[token] = catch_up
        self._tasks[token] = asyncio.get_running_loop().create_task(
            self._run(token, catch_up, closing), name=f"hkdesk-desk-catch-up-{catch_up.symbol}"
        )

    async def _run(self, token: str, catch_up: CatchUp, closing: asyncio.Future[None]) -> None:
        try:
            finished = await catch_up.run(closing)
        except Exception:
            log.exception("catching up %s failed; it streams from now on", catch_up.symbol)
            finished = True  # what it read stays; the held trades still follow
            catch_up.release()
        if self._runs.get(token) is catch_up:
            del self.holding[token], self._runs[token], self._tasks[token]
            if finished:
                self.fences[token] = catch_up.last
                self._fenced_at[token] = (catch_up.read_to, catch_up.chain)

    def hold(self, token: str, tick: Tick, chain: tuple[str, int] | None) -> None:
        """A live trade of a symbol catching up, from the main follower (``chain``: its place)."""
        self.holding[token].append(tick)
        self._runs[token].held_chain = chain

    def unfence(self, token: str) -> None:
        """The symbol is live (its first trade newer than the fence came)."""
        del self.fences[token]
        self._fenced_at.pop(token, None)

    def lift(self, read_to: int) -> list[tuple[str, tuple[str, int] | None]]:
        """The fences the main follower has read past (to stream sequence ``read_to``) with no
        newer trade: those symbols are live now. Each with the chain place handed on last."""
        lifted = [(t, chain) for t, (seq, chain) in self._fenced_at.items() if seq <= read_to]
        for token, _ in lifted:
            self.unfence(token)
        return lifted

    def restart(self) -> None:
        """After a NATS reconnect: each follower resumes after what it handed on."""
        for catch_up in self._runs.values():
            catch_up.follower.restart()

    def drop(self, token: str) -> None:
        """The symbol left the list before it caught up: its catch-up stops (in the background)."""
        task = self._tasks.pop(token, None)
        self._runs.pop(token, None)
        self.holding.pop(token, None)
        self.fences.pop(token, None)
        self._fenced_at.pop(token, None)
        if task is not None:
            task.cancel()
            self._stopping.add(task)
            task.add_done_callback(self._stopping.discard)

    async def close(self) -> None:
        for token in list(self._tasks):
            self.drop(token)
        for task in list(self._stopping):
            await stop_task(task)
