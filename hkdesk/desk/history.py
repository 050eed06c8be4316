"""A desktop's day from the desk's own database, read-only (``--desk-db``).

A desktop on the desk has no AllTick token, so no ``/kline``: what it shows of the day is what
the desk's stream holds. A desk server started after the open has stored the morning in its
database from the provider (its own backfill), and the stream does not carry that. Given the
desk's database, a desktop's backfill engine reads each watched symbol's 1-minute bars of the
day from there instead of from AllTick, so the morning is shown, from where it came, instead of
a hole.

The connection is opened read-only (PostgreSQL's ``default_transaction_read_only``, SQLite's
``query_only``), so a bug here cannot write to the desk's store; a database user with ``SELECT``
only is what keeps a desktop's credentials from writing. Queries run on a worker thread; failures raise
:class:`~hkdesk.feed.http_transport.HttpError` with the URL's password hidden, so the engine
retries and then marks the day as not filled, as it does for the provider.

The desk's database fills behind its stream: a symbol a desktop adds is streamed at once, but
its morning reaches the desk's database only after the desk's backfill has fetched it. A day
read without its open is therefore listed in :meth:`DeskHistory.short_days`, for the caller to
read again a little later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Engine

from hkdesk.domain.bars import DAY, MINUTE, bar_start
from hkdesk.domain.sessions import OPEN
from hkdesk.domain.types import Bar
from hkdesk.feed.http_answers import Klines
from hkdesk.feed.http_transport import HttpError
from hkdesk.feed.plans import HttpLimits
from hkdesk.store.engine import make_engine
from hkdesk.store.errors import StoreError, redact_text, redact_url
from hkdesk.store.history import bars_between
from hkdesk.store.schema import bars as bars_table

#: A database answers as fast as it is asked: no spacing between reads, many codes a read.
DESK_DB_LIMITS = HttpLimits(call_interval=0.0, batch_interval=5.0, items_per_call=100)


class DeskHistory:
    """The desk's database as a :class:`~hkdesk.backfill.source.BarSource` (module docstring)."""

    limits = DESK_DB_LIMITS

    def __init__(self, url: str) -> None:
        try:
            self._engine: Engine = make_engine(url, read_only=True)
        except StoreError as exc:
            raise ValueError(f"desk database: {exc}") from None
        self.shown = redact_url(self._engine.url)
        self._short: set[str] = set()

    def short_days(self) -> set[str]:
        """Codes whose last read day had trading before its first bar (the desk's database may
        not have the morning yet), or was read with no clock (its newest minute left out)."""
        return set(self._short)

    async def minute_bars(self, code: str, *, now_ms: int | None = None) -> Klines:
        """``code``'s 1-minute bars of its newest day in the desk's database up to ``now_ms``
        (exchange time; 0 or None: not known yet), oldest first, as ``/kline`` gives them. The
        newest is in progress unless its minute ended before ``now_ms`` (always, with no clock)."""
        now = now_ms or None
        bars = await asyncio.to_thread(self._read_day, code, now)
        opens_at = _open_ms(bars[0].start) if bars else 0
        lacks_open = bool(bars) and now is not None and bars[0].start > opens_at and now > opens_at
        # with no clock the newest minute is left out as running: it may have ended, read again
        if lacks_open or (bars and now is None):
            self._short.add(code)
        else:
            self._short.discard(code)
        in_progress = bool(bars) and (now is None or now < bars[-1].start + MINUTE * 1000)
        return Klines(code, MINUTE, bars, in_progress)

    async def current_bars(
        self,
        codes: Iterable[str],
        types: Sequence[int] = (),
        *,
        count: int = 2,
        now_ms: int | None = None,
    ) -> dict[tuple[str, int], Klines]:
        """Nothing: the desk's database holds no trade its stream does not carry, and a desktop
        replays the stream from midnight, so it sees every minute whole."""
        return {}

    def dispose(self) -> None:
        self._engine.dispose()

    def _read_day(self, code: str, now_ms: int | None) -> list[Bar]:
        try:
            newest = self._newest_start(code, now_ms)
            if newest is None:
                return []
            start = bar_start(newest, DAY)
            return bars_between(self._engine, code, MINUTE, start, newest + 1)
        except Exception as exc:
            lines = redact_text(str(getattr(exc, "orig", None) or exc)).strip().splitlines()
            reason = lines[0] if lines else exc.__class__.__name__
            raise HttpError(f"desk database {self.shown}: {reason}") from None

    def _newest_start(self, code: str, now_ms: int | None) -> int | None:
        query = select(bars_table.c.start).where(
            bars_table.c.symbol == code, bars_table.c.interval_s == MINUTE
        )
        if now_ms is not None:
            query = query.where(bars_table.c.start <= now_ms)
        with self._engine.connect() as conn:
            return conn.execute(query.order_by(bars_table.c.start.desc()).limit(1)).scalar()


#: The continuous session's open (09:30) after Hong Kong midnight.
OPEN_AFTER_MIDNIGHT_MS = (OPEN.hour * 60 + OPEN.minute) * 60_000


def _open_ms(ts_ms: int) -> int:
    """The continuous session's open of ``ts_ms``'s Hong Kong day, epoch ms."""
    return bar_start(ts_ms, DAY) + OPEN_AFTER_MIDNIGHT_MS
