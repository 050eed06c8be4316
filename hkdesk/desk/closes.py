"""Previous closes and the day before the stream, for the desk's desktops.

A direct connection asks the provider's HTTP API for a symbol's previous close and its day so
far; a desktop on the desk has no token, so the leading desk server asks for the symbols it
streams and keeps the answers in the latest-quote bucket under ``<symbol>.close`` (a desktop
follows those keys for as long as it runs, so a symbol added later gets them too). A symbol
the desk has streamed no trade of when its record is first written gets the provider's latest
trade in it too, as a direct connection fetches it once.

The day before the stream: a desk that began streaming a symbol after the open holds only part
of its day. One answer of the provider holds the session's daily bar so far and its newest
1-minute bar, which began at M; the daily bar less that minute's is the day before M. Once the
desk's own stream holds every trade from M on (its first streamed trade of the symbol came
before M; until then it asks again every ``base_wait``), the record carries that bar and M
(``counted_from``), and a desktop counts the bar, then only the streamed trades from M on
(:meth:`hkdesk.domain.quotes.QuoteHub.apply_session_base`): exact whatever the latencies. A gap
in the stream (an upstream reconnect, a fail-over) starts that again from the first trade after
it, so the desktops' counts take in the trades the stream lost.

Each record names the session whose previous close it is (its Hong Kong date: the date of the
session's daily bar where the provider has one, else the day it was fetched); the desk fetches
again when the Hong Kong date changes, and a desktop uses a record only for that session. A
symbol left without a close (a failed request, a code the provider does not know) is asked
again after ``retry_wait``, up to ``MAX_TRIES`` times a day; records are written through
JetStream and acknowledged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import date

from msgspec.structs import replace
from nats.aio.client import Client

from hkdesk.desk.codec import encode
from hkdesk.desk.subjects import DeskNames
from hkdesk.domain.quotes import hk_datetime
from hkdesk.domain.sessions import hk_now
from hkdesk.domain.types import Bar, SessionSoFar, Tick
from hkdesk.feed.http import SessionStart
from hkdesk.feed.task_stop import stop_task

log = logging.getLogger(__name__)

#: Tries a day for a symbol the provider leaves out of its answer (unknown, or its request failed).
MAX_TRIES = 3
#: Tries for the day before the stream after each start of the wait (first trade, or a gap):
#: with ``base_wait`` 10 s, for about 50 minutes.
BASE_TRIES = 30

#: Symbols → their previous close, session bar so far and newest minute; unanswered ones left out.
CloseFetch = Callable[[list[str]], Awaitable[dict[str, SessionStart]]]
#: Symbols → the provider's latest trade of each (``/trade-tick``).
LatestFetch = Callable[[list[str]], Awaitable[dict[str, Tick]]]


def hk_today() -> date:
    return hk_now().date()


def day_before(start: SessionStart, first_streamed: int | None) -> tuple[Bar, int] | None:
    """The session's trades before its newest minute as one bar, and when that minute began, if
    the stream holds every trade from then on (its first streamed trade came before); else None."""
    today, minute = start.today, start.minute
    if today is None or minute is None or first_streamed is None or minute.start <= first_streamed:
        return None
    volume, turnover = today.volume - minute.volume, today.turnover - minute.turnover
    return replace(today, volume=volume, turnover=turnover), minute.start


class CloseBoard:
    def __init__(
        self,
        nc: Client,
        names: DeskNames,
        fetch: CloseFetch,
        fetch_latest: LatestFetch | None = None,
        *,
        retry_wait: float = 30.0,
        base_wait: float = 10.0,
        check_every: float = 60.0,
        ack_timeout: float = 2.0,
        today: Callable[[], date] = hk_today,
    ) -> None:
        self._nc = nc
        self._names = names
        self._fetch = fetch
        self._fetch_latest = fetch_latest
        self.retry_wait = retry_wait
        self.base_wait = base_wait
        self.check_every = check_every
        self.ack_timeout = ack_timeout
        self._today = today
        self._wanted: list[str] = []
        self._fetched: dict[str, date] = {}
        #: Symbols asked for without an answer: (the day, how many times, when last).
        self._asked: dict[str, tuple[date | None, int, float]] = {}
        #: Symbols whose day before the stream is written, and the day.
        self._based: dict[str, date] = {}
        #: Symbols whose day before the stream is still to come: (tries, when last asked).
        self._base_asked: dict[str, tuple[int, float]] = {}
        #: Their first trade the stream holds with no gap since (exchange time, ms).
        self._first: dict[str, int] = {}
        #: The watched symbols whose day before the stream is still to come (``note_ticks``' filter).
        self._waiting: set[str] = set()
        self._day: date | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.written = 0

    def watch(self, symbols: Iterable[str]) -> None:
        """The symbols the desk streams now (none while it stands by)."""
        self._wanted = list(dict.fromkeys(symbols))
        today = self._today()
        self._waiting = {s for s in self._wanted if self._based.get(s) != today}
        self._first = {s: ts for s, ts in self._first.items() if s in self._waiting}
        self._wake.set()

    def note_ticks(self, ticks: list[Tick]) -> None:
        """Trades the desk streamed (on its receive path: nothing to do once every symbol's day
        before the stream is written)."""
        waiting = self._waiting
        if not waiting:
            return
        first = self._first
        for t in ticks:
            if t.symbol in waiting and t.symbol not in first:
                first[t.symbol] = t.ts
                self._base_asked[t.symbol] = (0, time.monotonic())  # its minute has to end first
                self._wake.set()

    def note_gap(self, symbol: str) -> None:
        """The stream lost trades of ``symbol``: its day before the stream is taken again, from
        the first trade after the gap."""
        self._based.pop(symbol, None)
        self._first.pop(symbol, None)
        if symbol in self._wanted:
            self._waiting.add(symbol)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="hkdesk-desk-closes")

    async def close(self) -> None:
        if self._task is not None:
            await stop_task(self._task)  # cancelled again if it swallows one
            self._task = None

    async def _run(self) -> None:
        while True:
            today, now = self._today(), time.monotonic()
            if today != self._day:  # a new session: its day before the stream is still to come
                self._day = today
                self._base_asked = {s: (0, now) for s in self._base_asked}
                self.watch(self._wanted)
            closes = [s for s, at in self._retries(today).items() if at <= now]
            bases = [s for s, at in self._bases_due().items() if at <= now]
            pending = list(dict.fromkeys([*closes, *bases]))
            if pending and not self._nc.is_connected:
                await asyncio.sleep(self.retry_wait)  # written once NATS is back
                continue
            if pending:
                try:
                    missing = await self._fetch_and_write(pending, today)
                except Exception as exc:
                    reason = f"{exc.__class__.__name__} {exc}"
                    log.warning("previous closes not fetched (%s); trying again", reason)
                    missing = pending
                for symbol in set(missing) & set(closes):
                    day, tries, _ = self._asked.get(symbol, (None, 0, 0.0))
                    self._asked[symbol] = (today, tries + 1 if day == today else 1, now)
                for symbol in bases:
                    if symbol in self._base_asked:
                        self._base_asked[symbol] = (self._base_asked[symbol][0] + 1, now)
            self._wake.clear()
            due = [*self._retries(today).values(), *self._bases_due().values()]
            wait = min([self.check_every, *(at - time.monotonic() for at in due)])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(0.0, wait))

    def _retries(self, today: date) -> dict[str, float]:
        """The watched symbols still without today's close, with the monotonic time each is next
        asked for: at once if not asked today, ``retry_wait`` after a try left it out, never once
        its tries are spent."""
        due: dict[str, float] = {}
        for symbol in self._wanted:
            if self._fetched.get(symbol) == today:
                continue
            day, tries, at = self._asked.get(symbol, (None, 0, 0.0))
            if day != today:
                due[symbol] = 0.0
            elif tries < MAX_TRIES:
                due[symbol] = at + self.retry_wait
        return due

    def _bases_due(self) -> dict[str, float]:
        """The symbols with a streamed trade whose day before the stream is still to come, with
        when each is next asked for: ``base_wait`` after the last try, doubled after every five
        (a symbol that trades rarely needs a later minute with a trade), up to ``BASE_TRIES``."""
        due: dict[str, float] = {}
        for symbol in self._first:
            tries, at = self._base_asked.get(symbol, (0, 0.0))
            if symbol in self._waiting and tries < BASE_TRIES:
                due[symbol] = at + self.base_wait * 2 ** (tries // 5)
        return due

    async def _fetch_and_write(self, symbols: list[str], today: date) -> list[str]:
        """Write what the provider gave (acknowledged by JetStream); return the symbols left out
        of its answer (unknown, or their request failed)."""
        found = await self._fetch(symbols)
        latest = await self._quiet_latest([s for s in found if self._fetched.get(s) != today])
        js = self._nc.jetstream()
        for symbol, start in found.items():
            base = day_before(start, self._first.get(symbol)) if symbol in self._waiting else None
            if base is None and self._fetched.get(symbol) == today:
                continue  # the close is written; the day before the stream is not ready yet
            session = hk_datetime(start.today.start).date() if start.today is not None else today
            bar, counted_from = base if base is not None else (None, 0)
            record = SessionSoFar(
                symbol,
                session,
                start.previous_close,
                bar,
                counted_from,
                start.today is None,
                latest.get(symbol) if bar is None and symbol not in self._first else None,
            )
            await js.publish(self._names.close_key(symbol), encode(record), timeout=self.ack_timeout)
            self._fetched[symbol] = today
            if bar is not None:
                self._based[symbol] = today
                self._waiting.discard(symbol)
                self._first.pop(symbol, None)
                self._base_asked.pop(symbol, None)
            self.written += 1
        return [s for s in symbols if s not in found]

    async def _quiet_latest(self, symbols: list[str]) -> dict[str, Tick]:
        """The provider's latest trade of those ``symbols`` the desk has streamed no trade of
        (a failed request leaves them without: the stream's first trade shows the price)."""
        quiet = [s for s in symbols if s in self._waiting and s not in self._first]
        if not quiet or self._fetch_latest is None:
            return {}
        try:
            return await self._fetch_latest(quiet)
        except Exception as exc:
            log.warning("latest trades of quiet symbols not fetched (%s %s)", exc.__class__.__name__, exc)
            return {}
