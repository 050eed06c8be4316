"""What the board and the charts ask AllTick's HTTP API: previous closes, the day's K-lines,
the latest trades and books, and the facts of a code.

The WebSocket stream carries no previous close, nothing for a stock that has not traded since
we subscribed and nothing from before the app started; these queries fill that in, in as few
calls as the plan allows (``/batch-kline`` carries many codes a call). The requests themselves,
their spacing and their retries are :mod:`hkdesk.feed.http_transport`'s.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hkdesk.domain.sessions import CLOSE, HK_TZ, LUNCH_START, is_half_day
from hkdesk.domain.static_info import StaticInfo
from hkdesk.domain.types import Bar, Book, Tick
from hkdesk.feed.http_answers import (
    DAILY_KLINE,
    KLINE_SECONDS,
    MINUTE_KLINE,
    Klines,
    decode_static_info,
    hk_day,
    kline_bars,
    records,
)
from hkdesk.feed.http_transport import TOKEN_INVALID, HttpError, HttpTransport, http_base
from hkdesk.feed.plans import BATCH_KLINE, HTTP_LIMITS, HttpLimits, Plan

__all__ = ["HttpError", "Klines", "QuoteHttp", "SessionStart", "StaticInfoAnswer", "http_base"]

log = logging.getLogger(__name__)

#: ``/kline`` gives at most this many bars: more than a trading day of 1-minute bars (330).
MAX_KLINES = 500
#: ``ret`` of a code the provider does not know.
CODE_INVALID = 600


@dataclass(frozen=True)
class SessionStart:
    """What a row needs before its first trade: the previous close, and the current session's
    daily bar so far (its open, high and low) once the code has traded in it; with
    ``minute`` asked for, the session's newest 1-minute bar of the same answer (the daily bar
    less it is the day before that minute began)."""

    previous_close: Decimal
    today: Bar | None = None
    minute: Bar | None = None
    #: The session's Hong Kong date.
    day: date | None = None


@dataclass(frozen=True)
class StaticInfoAnswer:
    """``/static_info`` per code: the facts of the codes the provider knows, and the others."""

    found: dict[str, StaticInfo]
    unknown: list[str]


def _kline_item(code: str, kline_type: int, count: int) -> dict[str, Any]:
    return {
        "code": code,
        "kline_type": kline_type,
        "kline_timestamp_end": 0,
        "query_kline_num": count,
        "adjust_type": 0,
    }


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class QuoteHttp:
    """The HTTP queries within one token's ``limits`` (by default one call every ``min_interval``
    seconds to each endpoint, ``codes_per_request`` items a call)."""

    def __init__(
        self,
        ws_url: str,
        token: str,
        *,
        limits: HttpLimits | None = None,
        min_interval: float = 10.0,
        codes_per_request: int = 5,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], float] = time.time,
        rate_retries: int = 3,
        rate_retry_wait: float = 1.0,
        refuse_simulator: bool = False,
    ) -> None:
        self.limits = limits or HttpLimits(min_interval, min_interval, codes_per_request)
        self.transport = HttpTransport(
            ws_url,
            token,
            self.limits.interval,
            timeout=timeout,
            clock=clock,
            rate_retries=rate_retries,
            rate_retry_wait=rate_retry_wait,
            refuse_simulator=refuse_simulator,
        )
        self._now = now

    @classmethod
    def for_plan(cls, ws_url: str, token: str, plan: Plan, **kw: Any) -> QuoteHttp:
        """The limits of ``plan``; a plan AllTick does not name gets the free plan's (the safe side)."""
        return cls(ws_url, token, limits=HTTP_LIMITS.get(plan.name, HTTP_LIMITS["free"]), **kw)

    @property
    def base(self) -> str:
        return self.transport.base

    @property
    def requests(self) -> int:
        """Requests sent so far, to every endpoint."""
        return self.transport.requests

    def _now_ms(self, now_ms: int | None) -> int:
        return int(self._now() * 1000) if now_ms is None else now_ms

    # ------------------------------------------------------------------ K-lines

    async def previous_closes(self, codes: Iterable[str], *, minute: bool = False) -> dict[str, SessionStart]:
        """Previous close (and the session's daily bar so far) per code, from the last two daily
        bars of many codes a ``/batch-kline`` call.

        The current session is today (HK), unless the newest daily bar is older than today and
        its day is still trading (a simulator replaying another day): then that bar is the
        session's, in progress, and the one before it holds the previous close. A code with no
        earlier daily bar, or whose call failed, is left out (logged); a rejected token raises.
        """
        types = (DAILY_KLINE, MINUTE_KLINE) if minute else (DAILY_KLINE,)
        found = await self._batch(codes, types, 2)
        daily = {code: bars for (code, kind), bars in found.items() if kind == DAILY_KLINE}
        session = await self._session_day(daily)
        result: dict[str, SessionStart] = {}
        for code, bars in daily.items():
            before = [b for b in bars if hk_day(b.start) < session]
            if not before:
                log.info("previous close of %s: no earlier daily bar", code)
                continue
            today = next((b for b in bars if hk_day(b.start) == session), None)
            minutes = [b for b in found.get((code, MINUTE_KLINE), ()) if hk_day(b.start) == session]
            result[code] = SessionStart(before[-1].close, today, minutes[-1] if minutes else None, session)
        return result

    async def fetch_previous_close(self, codes: Iterable[str]) -> dict[str, Decimal]:
        """The previous close per code (see :meth:`previous_closes`)."""
        return {code: start.previous_close for code, start in (await self.previous_closes(codes)).items()}

    async def minute_bars(self, code: str, *, now_ms: int | None = None) -> Klines:
        """The latest trading day's 1-minute bars of ``code`` (one call: up to 500 bars, the day
        and the end of the one before), oldest first; the newest is in progress unless its minute
        ended before ``now_ms`` (exchange time; default our clock). Raises :class:`HttpError`
        (``ret`` 600 for a code the provider does not know)."""
        data = await self.transport.get("/kline", _kline_item(code, MINUTE_KLINE, MAX_KLINES))
        bars = kline_bars(code, 60, data.get("kline_list"))
        return Klines(code, 60, bars, _in_progress(bars, 60, self._now_ms(now_ms)))

    async def current_bars(
        self,
        codes: Iterable[str],
        types: Sequence[int] = (MINUTE_KLINE,),
        *,
        count: int = 2,
        now_ms: int | None = None,
    ) -> dict[tuple[str, int], Klines]:
        """The latest ``count`` (1 or 2) K-lines of each code and type, many a ``/batch-kline``
        call; keyed by (code, type). Codes of failed calls are left out (logged)."""
        unknown = [t for t in types if t not in KLINE_SECONDS]
        if unknown:
            raise ValueError(f"K-line types without a fixed length: {unknown}")
        now = self._now_ms(now_ms)
        found = await self._batch(codes, types, count)
        return {
            key: Klines(key[0], KLINE_SECONDS[key[1]], bars, _in_progress(bars, KLINE_SECONDS[key[1]], now))
            for key, bars in found.items()
        }

    async def _batch(
        self, codes: Iterable[str], types: Sequence[int], count: int
    ) -> dict[tuple[str, int], list[Bar]]:
        found: dict[tuple[str, int], list[Bar]] = {}
        per_call = max(1, self.limits.items_per_call // len(types))  # a code's types in one answer
        for codes_chunk in _chunks(list(dict.fromkeys(codes)), per_call):
            chunk = [(code, kline_type) for code in codes_chunk for kline_type in types]
            request = {"data_list": [_kline_item(code, kline_type, count) for code, kline_type in chunk]}
            try:
                data = await self.transport.post(BATCH_KLINE, request)
            except HttpError as exc:
                if exc.ret == TOKEN_INVALID:
                    raise
                log.warning("K-lines of %s: %s", ", ".join(sorted({c for c, _ in chunk})), exc)
                continue
            for entry in data.get("kline_list") or []:
                if not isinstance(entry, dict) or entry.get("kline_type") not in KLINE_SECONDS:
                    continue
                code, kline_type = str(entry.get("code")), entry["kline_type"]
                found[(code, kline_type)] = kline_bars(
                    code, KLINE_SECONDS[kline_type], entry.get("kline_data")
                )
        return found

    async def _session_day(self, daily: dict[str, list[Bar]]) -> date:
        today = datetime.fromtimestamp(self._now(), HK_TZ).date()
        newest = {code: hk_day(bars[-1].start) for code, bars in daily.items() if bars}
        if not newest or max(newest.values()) >= today:
            return today
        code, day = max(newest.items(), key=lambda item: item[1])
        latest = (await self.fetch_latest_trades([code])).get(code)
        if latest is None:
            return today
        at = datetime.fromtimestamp(latest.ts / 1000, HK_TZ)
        session_over = LUNCH_START if is_half_day(day) else CLOSE
        return day if at.date() == day and at.time() < session_over else today

    # ------------------------------------------------------------------ lists of codes

    async def fetch_latest_trades(self, codes: Iterable[str]) -> dict[str, Tick]:
        """The latest trade per code (``/trade-tick``), many codes a call."""
        ticks = await self._lists("/trade-tick", codes, Tick, "latest trades")
        return {t.symbol: t for t in ticks}

    async def books(self, codes: Iterable[str]) -> dict[str, Book]:
        """The order book per code (``/depth-tick``, up to 10 levels a side), many codes a call;
        shaped like the pushed books (``received_at`` is when the answer came)."""
        books = await self._lists("/depth-tick", codes, Book, "books")
        return {b.symbol: b for b in books}

    async def _lists(
        self, endpoint: str, codes: Iterable[str], kind: type[Tick] | type[Book], what: str
    ) -> list[Any]:
        out: list[Any] = []
        for chunk in _chunks(list(dict.fromkeys(codes)), self.limits.items_per_call):
            try:
                data = await self.transport.get(endpoint, {"symbol_list": [{"code": c} for c in chunk]})
            except HttpError as exc:
                if exc.ret == TOKEN_INVALID:
                    raise
                log.warning("%s of %s: %s", what, ", ".join(chunk), exc)
                continue
            out.extend(records(data.get("tick_list"), kind, self._now(), what))
        return out

    async def static_info(self, codes: Iterable[str]) -> StaticInfoAnswer:
        """Names, lot size, currency and per-share figures per code (``/static_info``). A code the
        provider does not know (600, or left out of the answer) is listed in ``unknown``; other
        failures leave their codes out of both (logged); a rejected token raises."""
        found: dict[str, StaticInfo] = {}
        unknown: list[str] = []
        for chunk in _chunks(list(dict.fromkeys(codes)), self.limits.items_per_call):
            try:
                data = await self.transport.get("/static_info", {"symbol_list": [{"code": c} for c in chunk]})
            except HttpError as exc:
                if exc.ret == CODE_INVALID:
                    unknown.extend(chunk)
                elif exc.ret == TOKEN_INVALID:
                    raise
                else:
                    log.warning("static info of %s: %s", ", ".join(chunk), exc)
                continue
            fetched_at = self._now()
            for item in data.get("static_info_list") or []:
                info = decode_static_info(item, fetched_at) if isinstance(item, dict) else None
                if info is not None and info.symbol in chunk:
                    found[info.symbol] = info
            unknown.extend(c for c in chunk if c not in found)
        return StaticInfoAnswer(found, unknown)


def _in_progress(bars: list[Bar], interval_s: int, now_ms: int) -> bool:
    return bool(bars) and now_ms < bars[-1].start + interval_s * 1000
