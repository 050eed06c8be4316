"""The provider's reference data behind the watchlist's market cap, P/E and dividend yield columns.

Facts change slowly, so a code's facts fetched today (HK) are good for the day: they are read
from the database first, and only the codes without such facts are asked of ``/static_info``,
as many codes a call as the plan allows, the calls spaced by the HTTP client within its rate
limit, and stored for the next start. Without an HTTP client (a desktop of a shared desk) or
when a call fails, the codes stay without facts, and the log says why once, not per code and
not per attempt. Qt-free: the window runs :meth:`Fundamentals.load` on its event loop.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.static_info import StaticInfo
from hkdesk.feed.http import HttpError, QuoteHttp
from hkdesk.store.history import facts_of
from hkdesk.store.writer import BatchWriter

log = logging.getLogger(__name__)

#: ``read(query, *args)``: ``query(engine, *args)`` off the event loop; None without a database.
Read = Callable[..., Awaitable[Any]]
Deliver = Callable[[dict[str, StaticInfo]], None]


class Missing(StrEnum):
    """Why a code has no facts after a load."""

    NO_PROVIDER = "no-provider"
    UNKNOWN = "unknown"
    FAILED = "failed"


def day_start(now: float) -> float:
    """Our wall clock (epoch seconds) at the start of the HK day of ``now``: facts fetched since
    then are today's."""
    day = datetime.fromtimestamp(now, HK_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    return day.timestamp()


class Fundamentals:
    def __init__(
        self,
        read: Read,
        http: Callable[[], QuoteHttp | None],
        writer: Callable[[], BatchWriter | None],
        now: Callable[[], float] = time.time,
    ) -> None:
        """``http`` and ``writer``: the source's client and the database's writer in use now
        (both change with the source; None when there is none)."""
        self._read = read
        self._http = http
        self._writer = writer
        self._now = now
        #: Codes the provider said it does not know, and the day (its start) it said so.
        self._unknown: set[str] = set()
        self._unknown_day = 0.0
        self._said = ""

    def forget(self) -> None:
        """Another source: what its provider did not know, and what was logged, no longer hold."""
        self._unknown.clear()
        self._said = ""

    async def load(self, symbols: Iterable[str], deliver: Deliver) -> dict[str, Missing]:
        """Hand ``deliver`` the facts of ``symbols`` (stocks only) as they come: today's stored
        ones first, then the provider's, a call at a time. Returns the codes left without facts
        and why. A rejected token or a failed call ends the load (the next one tries again)."""
        wanted = list(dict.fromkeys(symbols))
        since = day_start(self._now())
        if since != self._unknown_day:
            self._unknown, self._unknown_day = set(), since
        stored = await self._read(facts_of, wanted, since) or {}
        if stored:
            deliver(stored)
        missing = [s for s in wanted if s not in stored]
        unknown = {s: Missing.UNKNOWN for s in missing if s in self._unknown}
        ask = [s for s in missing if s not in self._unknown]
        if not ask:
            return unknown
        http = self._http()
        if http is None:
            self._say("no provider to ask on this source (a shared desk's desktop); the columns stay empty")
            return unknown | dict.fromkeys(ask, Missing.NO_PROVIDER)
        left = await self._fetch(http, ask, deliver)
        self._unknown.update(s for s, why in left.items() if why is Missing.UNKNOWN)
        return unknown | left

    async def _fetch(self, http: QuoteHttp, codes: list[str], deliver: Deliver) -> dict[str, Missing]:
        left: dict[str, Missing] = {}
        per_call = http.limits.items_per_call
        for start in range(0, len(codes), per_call):
            chunk = codes[start : start + per_call]
            try:
                answer = await http.static_info(chunk)
            except HttpError as exc:
                self._say(f"the provider refused the call: {exc}")
                return left | dict.fromkeys(codes[start:], Missing.FAILED)
            if answer.found:
                writer = self._writer()
                if writer is not None:
                    writer.put_symbol_info(list(answer.found.values()))
                deliver(answer.found)
            left.update(dict.fromkeys(answer.unknown, Missing.UNKNOWN))
            if any(c not in answer.found and c not in answer.unknown for c in chunk):
                # the client logged the call's error; the rest waits for the next load
                self._say("a call to the provider failed; its codes and the rest stay empty")
                failed = [c for c in codes[start:] if c not in answer.found and c not in left]
                return left | dict.fromkeys(failed, Missing.FAILED)
        self._said = ""
        return left

    def _say(self, why: str) -> None:
        if why != self._said:
            self._said = why
            log.warning("market cap, P/E and dividend yield: %s", why)
