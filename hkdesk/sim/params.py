"""Per-symbol character of the simulated market: volatility, factor loadings, liquidity.

Everything is drawn once from the seed and the symbol, so a symbol keeps its character across
days and runs with the same seed, and adding a symbol to the universe changes no other symbol.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from hkdesk.domain.symbols import SymbolInfo

#: Daily volatility range by sector (fraction, 1 sigma); large caps run about 1.3–3 % a day.
_SECTOR_VOL: dict[str, tuple[float, float]] = {
    "Technology": (0.022, 0.030),
    "Autos": (0.022, 0.030),
    "Healthcare": (0.019, 0.027),
    "Materials": (0.018, 0.026),
    "Consumer": (0.016, 0.024),
    "Industrials": (0.016, 0.022),
    "Properties": (0.015, 0.022),
    "Energy": (0.014, 0.020),
    "Financials": (0.013, 0.018),
    "Conglomerates": (0.013, 0.017),
    "Telecom": (0.013, 0.016),
    "Utilities": (0.013, 0.015),
}
_DEFAULT_VOL = (0.015, 0.025)

_SECTOR_BETA: dict[str, float] = {
    "Technology": 1.25,
    "Autos": 1.2,
    "Healthcare": 1.0,
    "Materials": 1.05,
    "Consumer": 1.0,
    "Industrials": 0.95,
    "Properties": 0.9,
    "Energy": 0.85,
    "Financials": 0.9,
    "Conglomerates": 0.75,
    "Telecom": 0.6,
    "Utilities": 0.5,
}
_TECH_SECTORS = {"Technology", "Autos"}

#: The busiest names trade several times a second on average.
HOT_SYMBOLS = {
    "700.HK",
    "9988.HK",
    "3690.HK",
    "1810.HK",
    "5.HK",
    "1299.HK",
    "939.HK",
    "388.HK",
    "2318.HK",
    "941.HK",
    "1211.HK",
    "981.HK",
    "9618.HK",
    "1024.HK",
}

#: Market-wide daily volatility of the two factors (broad market, China tech).
MARKET_VOL = 0.0105
TECH_VOL = 0.008

#: Index loadings on (market, tech) and their own small residual noise.
INDEX_LOADINGS: dict[str, tuple[float, float, float]] = {
    "HSI": (1.0, 0.35, 0.001),
    "HSCEI": (1.12, 0.5, 0.0015),
    "HSTECH": (1.2, 1.0, 0.002),
}


@dataclass(frozen=True, slots=True)
class SymbolParams:
    symbol: str
    lot: int
    is_index: bool
    daily_vol: float
    beta_market: float
    beta_tech: float
    idio_vol: float
    trade_rate: float  # average trades per second of continuous trading


def symbol_rng(seed: int, symbol: str, salt: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(symbol.encode()), salt])


def params_for(info: SymbolInfo, seed: int) -> SymbolParams:
    rng = symbol_rng(seed, info.symbol)
    if info.is_index:
        bm, bt, noise = INDEX_LOADINGS.get(info.symbol, (1.0, 0.3, 0.001))
        vol = float(np.sqrt((bm * MARKET_VOL) ** 2 + (bt * TECH_VOL) ** 2 + noise**2))
        return SymbolParams(info.symbol, 0, True, vol, bm, bt, noise, 0.5)
    lo, hi = _SECTOR_VOL.get(info.sector, _DEFAULT_VOL)
    vol = float(rng.uniform(lo, hi))
    beta_t = 0.9 if info.sector in _TECH_SECTORS else 0.0
    beta_m = _SECTOR_BETA.get(info.sector, 1.0) * float(rng.uniform(0.85, 1.15))
    systematic = (beta_m * MARKET_VOL) ** 2 + (beta_t * TECH_VOL) ** 2
    # Keep at least a third of the variance idiosyncratic.
    scale = min(1.0, float(np.sqrt(vol**2 * 0.67 / systematic)))
    beta_m *= scale
    beta_t *= scale
    idio = float(np.sqrt(max(vol**2 - (beta_m * MARKET_VOL) ** 2 - (beta_t * TECH_VOL) ** 2, 1e-8)))
    if info.symbol in HOT_SYMBOLS:
        rate = float(rng.uniform(2.5, 5.0))
    else:
        rate = float(np.clip(np.exp(rng.normal(np.log(0.35), 0.5)), 0.05, 1.5))
        if info.in_hsi:
            rate *= 1.4
    return SymbolParams(info.symbol, info.lot_size, False, vol, beta_m, beta_t, idio, rate)
