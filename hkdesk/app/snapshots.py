"""Previous close, the session so far (open, high, low, volume) and latest trade of newly watched
symbols, over HTTP (the stream carries none of them).

One lookup task at a time; symbols added while it runs are picked up by the same task before it
ends. A rejected token or an unreachable endpoint ends the lookup with a log line; the stream
goes on regardless.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from decimal import Decimal

from hkdesk.domain.freshness import Origin
from hkdesk.domain.quotes import QuoteHub, day_number
from hkdesk.feed.http import HttpError, QuoteHttp
from hkdesk.i18n import QT_TRANSLATE_NOOP

log = logging.getLogger("hkdesk.app.market")

FETCHED_ONCE = QT_TRANSLATE_NOOP("Freshness", "the latest trade, fetched once")


class SnapshotFetcher:
    def __init__(
        self, hub: QuoteHub, http: QuoteHttp, on_close: Callable[[str, Decimal], None] | None = None
    ) -> None:
        """``on_close(symbol, price)``: told each previous close as the hub is (the alerts)."""
        self._hub = hub
        self._http = http
        self._on_close = on_close
        self._done: set[str] = set()
        self._symbols: list[str] = []
        self._task: asyncio.Task[None] | None = None

    def retarget(self, http: QuoteHttp) -> None:
        self._http = http

    def watch(self, symbols: list[str]) -> None:
        """The symbols watched now: look up the ones never looked up."""
        self._symbols = list(symbols)
        if self._task is not None and not self._task.done():
            return
        if any(s not in self._done for s in self._symbols):
            self._task = asyncio.get_running_loop().create_task(self._fetch())

    async def close(self) -> None:
        """A cancelled lookup can sit in a worker thread until its request times out; the task
        holds nothing we need, so give it a moment and then let it finish on its own."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=1.0)
        self._task = None

    async def _fetch(self) -> None:
        hub, http = self._hub, self._http
        while True:
            pending = [s for s in self._symbols if s not in self._done]
            if not pending:
                return
            self._done.update(pending)
            try:
                sessions = await http.previous_closes(pending)
                for sym, start in sessions.items():
                    hub.set_previous_close(sym, start.previous_close)
                    if self._on_close is not None:
                        self._on_close(sym, start.previous_close)
                    if start.today is not None:  # at once: later streamed trades add on top of it
                        hub.apply_session_bar(sym, start.today)
                    elif start.day is not None:  # no trade yet: the stream has the whole session
                        hub.set_whole_day(sym, day_number(start.day))
                quiet = [s for s in pending if (q := hub.quotes.get(s)) is None or q.last is None]
                if quiet:
                    latest = await http.fetch_latest_trades(quiet)
                    fetched_at = time.time()
                    fresh = [
                        t for s, t in latest.items() if (q := hub.quotes.get(s)) is None or q.last is None
                    ]
                    hub.apply_ticks(fresh, Origin.SNAPSHOT)
                    for t in fresh:
                        hub.mark(t.symbol, Origin.SNAPSHOT, FETCHED_ONCE, fetched_at)
                        if (start := sessions.get(t.symbol)) is not None and start.today is not None:
                            hub.apply_session_bar(t.symbol, start.today)
            except HttpError as exc:
                log.warning("previous close / latest trade: %s", exc)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("previous close / latest trade lookup failed")
                return
