"""The HKEX spread table (minimum price steps for ordinary shares), kept as dated data.

Bands read "over X up to and including Y": a price of exactly 20.00 takes the tick of the band
that ends at 20.00, and the next valid price above it is the first grid point of the next band.
Every band edge is a multiple of the ticks on both of its sides, so the grid is continuous.

Two views of the same table:

* ``Decimal`` functions (``tick_size``, ``tick_up``, ``tick_down``, ``round_to_tick``,
  ``is_on_grid``) for the domain and the UI;
* integer "milli" functions (prices in thousandths of a dollar, every tick is a whole number of
  them) for the simulator's hot path, where ``Decimal`` would be too slow.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum

MIN_PRICE = Decimal("0.01")
MAX_PRICE = Decimal("9995")
MIN_MILLI = 10
MAX_MILLI = 9_995_000


class Rounding(StrEnum):
    UP = "up"
    DOWN = "down"
    NEAREST = "nearest"


@dataclass(frozen=True, slots=True)
class SpreadTable:
    """One version of the table: ``bands`` are ``(upper bound inclusive, tick)``, ascending."""

    effective_from: date
    bands: tuple[tuple[Decimal, Decimal], ...]

    def __post_init__(self) -> None:
        lower = Decimal(0)
        for upper, tick in self.bands:
            if upper <= lower or tick <= 0 or upper % tick or lower % tick:
                raise ValueError(f"band edge {lower}..{upper} is not on its tick {tick}")
            lower = upper

    @property
    def uppers_milli(self) -> tuple[int, ...]:
        return tuple(int(u * 1000) for u, _ in self.bands)

    @property
    def ticks_milli(self) -> tuple[int, ...]:
        return tuple(int(t * 1000) for _, t in self.bands)


def _table(effective: date, rows: list[tuple[str, str]]) -> SpreadTable:
    return SpreadTable(effective, tuple((Decimal(u), Decimal(t)) for u, t in rows))


_COMMON_TOP = [
    ("200", "0.1"),
    ("500", "0.2"),
    ("1000", "0.5"),
    ("2000", "1"),
    ("5000", "2"),
    ("9995", "5"),
]

#: Before Phase 1 of HKEX's "Reduction of Minimum Spreads" (for historical replays).
TABLE_BEFORE_2025_08 = _table(
    date(1900, 1, 1),
    [("0.25", "0.001"), ("0.50", "0.005"), ("10", "0.01"), ("20", "0.02"), ("100", "0.05"), *_COMMON_TOP],
)

#: In force since 4 Aug 2025: 10–20 moved to 0.01 and 20–50 to 0.02.
TABLE_2025_08_04 = _table(
    date(2025, 8, 4),
    [
        ("0.25", "0.001"),
        ("0.50", "0.005"),
        ("20", "0.01"),
        ("50", "0.02"),
        ("100", "0.05"),
        *_COMMON_TOP,
    ],
)

#: All versions, oldest first. Add Phase 2 here once HKEX fixes its date.
TABLES: tuple[SpreadTable, ...] = (TABLE_BEFORE_2025_08, TABLE_2025_08_04)


def table_for(on: date | None = None) -> SpreadTable:
    """The table in force on ``on`` (the newest table when ``on`` is None)."""
    if on is None:
        return TABLES[-1]
    chosen = TABLES[0]
    for table in TABLES:
        if table.effective_from <= on:
            chosen = table
    return chosen


def _check_range(price: Decimal) -> None:
    if not isinstance(price, Decimal):
        raise TypeError(f"price must be a Decimal, not {type(price).__name__}")
    if not price.is_finite() or price < MIN_PRICE or price > MAX_PRICE:
        raise ValueError(f"price {price} is outside the HKEX range {MIN_PRICE}..{MAX_PRICE}")


def _band_of(price: Decimal, table: SpreadTable) -> tuple[Decimal, Decimal, Decimal]:
    """``(lower exclusive, upper inclusive, tick)`` of the band holding ``price``."""
    lower = Decimal(0)
    for upper, tick in table.bands:
        if price <= upper:
            return lower, upper, tick
        lower = upper
    raise ValueError(f"price {price} is above the top of the spread table")


def _band_above(price: Decimal, table: SpreadTable) -> tuple[Decimal, Decimal, Decimal]:
    """The band holding the prices just above ``price`` (the next band when ``price`` is an edge)."""
    lower = Decimal(0)
    for upper, tick in table.bands:
        if price < upper:
            return lower, upper, tick
        lower = upper
    raise ValueError(f"no valid price above {price}")


def tick_size(price: Decimal, on: date | None = None) -> Decimal:
    """The minimum step for ``price`` (band "over X up to and including Y")."""
    _check_range(price)
    return _band_of(price, table_for(on))[2]


def tick_up(price: Decimal, on: date | None = None) -> Decimal:
    """The smallest valid price strictly above ``price`` (which need not be on the grid)."""
    _check_range(price)
    if price >= MAX_PRICE:
        raise ValueError(f"no valid price above {price}")
    lower, _, tick = _band_above(price, table_for(on))
    steps = ((price - lower) / tick).to_integral_value(ROUND_FLOOR) + 1
    return (lower + steps * tick).quantize(tick)


def tick_down(price: Decimal, on: date | None = None) -> Decimal:
    """The largest valid price strictly below ``price`` (which need not be on the grid)."""
    _check_range(price)
    lower, _, tick = _band_of(price, table_for(on))
    steps = ((price - lower) / tick).to_integral_value(ROUND_CEILING) - 1
    result = lower + steps * tick
    if result < MIN_PRICE:
        raise ValueError(f"no valid price below {price}")
    return result.quantize(tick)


def is_on_grid(price: Decimal, on: date | None = None) -> bool:
    """True if ``price`` is a price an order may carry under the table in force on ``on``."""
    if not isinstance(price, Decimal) or not price.is_finite() or not MIN_PRICE <= price <= MAX_PRICE:
        return False
    lower, _, tick = _band_of(price, table_for(on))
    return (price - lower) % tick == 0


def round_to_tick(
    price: Decimal, direction: Rounding | str = Rounding.NEAREST, on: date | None = None
) -> Decimal:
    """Move ``price`` onto the grid: ``up``, ``down`` or to the ``nearest`` step (ties go up)."""
    direction = Rounding(direction)
    if isinstance(price, Decimal) and price.is_finite():
        if price < MIN_PRICE:
            return MIN_PRICE
        if price > MAX_PRICE:
            return MAX_PRICE
    if is_on_grid(price, on):
        return price.quantize(tick_size(price, on))
    above = tick_up(price, on)
    below = tick_down(price, on)
    if direction is Rounding.UP:
        return above
    if direction is Rounding.DOWN:
        return below
    return above if above - price <= price - below else below


# ---------------------------------------------------------------- integer (milli) view


@dataclass(frozen=True, slots=True)
class MilliGrid:
    """The table in thousandths of a dollar, for code that walks the grid many times a second."""

    uppers: tuple[int, ...]
    ticks: tuple[int, ...]

    @classmethod
    def for_date(cls, on: date | None = None) -> MilliGrid:
        table = table_for(on)
        return cls(table.uppers_milli, table.ticks_milli)

    def tick_of(self, milli: int) -> int:
        """Tick of the band holding ``milli`` (edges belong to the band below)."""
        return self.ticks[min(bisect_left(self.uppers, milli), len(self.ticks) - 1)]

    def up(self, milli: int) -> int:
        """Next grid price strictly above ``milli`` (``milli`` on the grid or not)."""
        i = min(bisect_right(self.uppers, milli), len(self.ticks) - 1)
        lower = self.uppers[i - 1] if i else 0
        tick = self.ticks[i]
        return lower + ((milli - lower) // tick + 1) * tick

    def down(self, milli: int) -> int:
        """Previous grid price strictly below ``milli``."""
        i = min(bisect_left(self.uppers, milli), len(self.ticks) - 1)
        lower = self.uppers[i - 1] if i else 0
        tick = self.ticks[i]
        return lower + (-((lower - milli) // tick) - 1) * tick

    def floor(self, milli: int) -> int:
        """Largest grid price at or below ``milli``."""
        i = min(bisect_left(self.uppers, milli), len(self.ticks) - 1)
        lower = self.uppers[i - 1] if i else 0
        tick = self.ticks[i]
        return lower + ((milli - lower) // tick) * tick


def milli_to_decimal(milli: int) -> Decimal:
    return Decimal(milli).scaleb(-3)


def decimal_to_milli(price: Decimal) -> int:
    scaled = price.scaleb(3)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{price} has more than 3 decimals")
    return int(scaled)
