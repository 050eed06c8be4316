"""A listing's facts as the provider's ``/static_info`` gives them, for codes outside the shipped list.

Numbers are exact (``Decimal``); a figure the provider left out or sent unreadable is None. The
derived columns the watchlist may show (market capitalisation, P/E) need the last price, so they
are methods rather than fields.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec


class StaticInfo(msgspec.Struct, frozen=True):
    """Names, board lot, currency and per-share figures of one code (``700.HK``)."""

    symbol: str
    name_en: str = ""
    #: Simplified Chinese, as the provider names it.
    name_cn: str = ""
    lot_size: int = 0
    currency: str = ""
    exchange: str = ""
    total_shares: Decimal | None = None
    eps: Decimal | None = None
    eps_ttm: Decimal | None = None
    bps: Decimal | None = None
    #: Percent.
    dividend_yield: Decimal | None = None
    #: Our wall clock (epoch seconds) when the provider answered.
    fetched_at: float = 0.0

    def market_cap(self, last: Decimal) -> Decimal | None:
        """Last price × total shares."""
        return None if not self.total_shares else last * self.total_shares

    def pe_ratio(self, last: Decimal) -> Decimal | None:
        """Last price / trailing earnings per share; None without positive earnings."""
        if self.eps_ttm is None or self.eps_ttm <= 0:
            return None
        return last / self.eps_ttm
