"""Static facts of a simulated stock for ``/static_info``: plausible, and fixed per symbol.

Total shares come from a market capitalisation drawn in a range that fits the stock (the
busiest names are the giants, index members are large caps), at the symbols file's approximate
price; earnings, book value and dividend yield from sector-typical valuation ratios. They
depend on the symbol only (not on the seed): they are the listing's data, not the market's
randomness. Index weights (:mod:`hkdesk.sim.indices`) use the same share counts.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from hkdesk.domain.symbols import SymbolInfo
from hkdesk.sim.params import HOT_SYMBOLS

#: Market capitalisation range in HKD: the busiest names, other index members, the rest.
_CAP_HOT = (3e11, 4e12)
_CAP_INDEX = (4e10, 6e11)
_CAP_OTHER = (1.5e10, 2e11)

#: (price/earnings, price/book, dividend yield %) ranges by sector.
_RATIOS: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]] = {
    "Financials": ((4.0, 9.0), (0.4, 1.1), (4.0, 9.0)),
    "Utilities": ((10.0, 16.0), (0.8, 1.6), (4.0, 7.0)),
    "Properties": ((5.0, 12.0), (0.3, 0.8), (4.0, 9.0)),
    "Energy": ((5.0, 10.0), (0.6, 1.3), (5.0, 10.0)),
    "Telecom": ((8.0, 13.0), (0.7, 1.4), (5.0, 8.0)),
    "Technology": ((15.0, 40.0), (2.0, 6.0), (0.0, 1.5)),
    "Autos": ((12.0, 30.0), (1.5, 4.0), (0.0, 2.0)),
    "Healthcare": ((15.0, 35.0), (1.5, 4.0), (0.5, 2.0)),
    "Consumer": ((12.0, 28.0), (1.5, 5.0), (1.0, 4.0)),
    "Industrials": ((8.0, 18.0), (0.8, 2.0), (2.0, 5.0)),
    "Materials": ((7.0, 15.0), (0.8, 2.0), (2.0, 6.0)),
    "Conglomerates": ((5.0, 10.0), (0.3, 0.8), (3.0, 7.0)),
}
_DEFAULT_RATIOS = ((8.0, 20.0), (0.8, 2.5), (1.0, 4.0))
_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class StaticFacts:
    total_shares: int
    eps: Decimal
    eps_ttm: Decimal
    bps: Decimal
    dividend_yield: Decimal  # percent

    def market_cap(self, price: Decimal) -> Decimal:
        return price * self.total_shares


def static_facts(info: SymbolInfo) -> StaticFacts:
    """The facts of one stock (an index has none: zero shares and ratios)."""
    if info.is_index:
        zero = Decimal(0)
        return StaticFacts(0, zero, zero, zero, zero)
    rng = np.random.default_rng([zlib.crc32(info.symbol.encode()), 51])
    if info.symbol in HOT_SYMBOLS:
        lo, hi = _CAP_HOT
    else:
        lo, hi = _CAP_INDEX if info.in_hsi else _CAP_OTHER
    cap = float(np.exp(rng.uniform(np.log(lo), np.log(hi))))
    price = float(info.approx_price)
    lot = max(info.lot_size, 1)
    shares = max(round(cap / price / lot), 1) * lot
    pe, pb, dividend = _RATIOS.get(info.sector, _DEFAULT_RATIOS)
    eps = price / float(rng.uniform(*pe))
    return StaticFacts(
        total_shares=shares,
        eps=_decimal(eps),
        eps_ttm=_decimal(eps * float(rng.uniform(0.9, 1.1))),
        bps=_decimal(price / float(rng.uniform(*pb))),
        dividend_yield=_decimal(float(rng.uniform(*dividend))),
    )


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(_PLACES)
