"""The day so far from a desk's database, onto the rows: a desktop on a desk started after the
open streams only part of the day, so its rows' open, high, low, volume and turnover would be that
part's. The desk's database holds the whole day (:class:`~hkdesk.desk.history.DeskSession`); it is
applied as the provider's daily bar is on a direct connection (``QuoteHub.apply_session_bar``),
and the previous close with it when the database has one.

A session bar is applied only to a quote that holds a trade of that day; one that arrives before
the symbol's first trade (the stream's replay may still be on its way) is tried again a few times.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QObject, QTimer

from hkdesk.app.day_filler import DayFiller
from hkdesk.desk.history import DeskSession
from hkdesk.domain.quotes import QuoteHub

RETRY_MS = 1_000
RETRIES = 10


class DeskSessions(QObject):
    """Applies what ``filler`` reads of a desk's days (it is the filler's child)."""

    def __init__(
        self, hub: QuoteHub, set_previous_close: Callable[[str, Decimal], None], filler: DayFiller
    ) -> None:
        super().__init__(filler)
        self._hub = hub
        self._set_previous_close = set_previous_close
        self._latest: dict[str, DeskSession] = {}
        filler.desk_session.connect(self.apply)

    def apply(self, symbol: str, session: DeskSession) -> None:
        self._latest[symbol] = session
        if session.previous_close is not None:
            self._set_previous_close(symbol, session.previous_close)
        self._try(symbol, session, RETRIES)

    def _try(self, symbol: str, session: DeskSession, left: int) -> None:
        if self._latest.get(symbol) is not session:
            return  # a newer read replaced it
        if not self._hub.apply_session_bar(symbol, session.today) and left > 0:
            QTimer.singleShot(RETRY_MS, self, lambda: self._try(symbol, session, left - 1))
