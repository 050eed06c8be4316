"""Where the backfill engine gets minute bars: AllTick's HTTP API (:class:`~hkdesk.feed.http.QuoteHttp`)
or, for a desktop on a shared desk, the desk's own database (:class:`~hkdesk.desk.history.DeskHistory`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from hkdesk.feed.http_answers import Klines
from hkdesk.feed.plans import HttpLimits


class BarSource(Protocol):
    """What :class:`~hkdesk.backfill.Backfill` asks of a source. Failures raise
    :class:`~hkdesk.feed.http_transport.HttpError` (``ret`` 600: the code is unknown there)."""

    @property
    def limits(self) -> HttpLimits: ...

    async def minute_bars(self, code: str, *, now_ms: int | None = None) -> Klines: ...

    async def current_bars(
        self,
        codes: Iterable[str],
        types: Sequence[int] = ...,
        *,
        count: int = 2,
        now_ms: int | None = None,
    ) -> dict[tuple[str, int], Klines]: ...
