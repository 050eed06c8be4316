"""The HKEX tick grid for numpy arrays of milli prices (the simulator's vectorised view)."""

from __future__ import annotations

from datetime import date
from functools import cache

import numpy as np

from hkdesk.domain.spread import MAX_MILLI, MIN_MILLI, MilliGrid, SpreadTable, table_for


@cache
def _grid_of(table: SpreadTable) -> MilliGrid:
    return MilliGrid(table.uppers_milli, table.ticks_milli)


def grid_for(day: date | None) -> MilliGrid:
    """The grid in force on ``day`` (built once per table version)."""
    return _grid_of(table_for(day))


def snap_bid(milli: np.ndarray, grid: MilliGrid) -> np.ndarray:
    """Largest grid price at or below each value (``milli`` float or int), kept inside the table."""
    uppers = np.asarray(grid.uppers, dtype=np.int64)
    ticks = np.asarray(grid.ticks, dtype=np.int64)
    v = np.clip(np.floor(milli), MIN_MILLI, MAX_MILLI - ticks[-1]).astype(np.int64)
    i = np.minimum(np.searchsorted(uppers, v, side="left"), len(ticks) - 1)
    lower = np.where(i > 0, uppers[np.maximum(i - 1, 0)], 0)
    t = ticks[i]
    return lower + (v - lower) // t * t


def next_up(bid: np.ndarray, grid: MilliGrid) -> np.ndarray:
    """The grid price one step above each (on-grid) bid."""
    uppers = np.asarray(grid.uppers, dtype=np.int64)
    ticks = np.asarray(grid.ticks, dtype=np.int64)
    i = np.minimum(np.searchsorted(uppers, bid, side="right"), len(ticks) - 1)
    return bid + ticks[i]


def snap_ceil(milli: float, grid: MilliGrid) -> int:
    """Smallest grid price at or above ``milli``."""
    floor = grid.floor(int(np.floor(milli)))
    return floor if floor >= milli else grid.up(floor)
