"""The 52-week high and low held in the database, for the watchlist's optional columns.

Only what was recorded counts: a database that holds three days gives the range of those three
(the columns say so in their header tooltip). The extremes are read from the stored 1-minute
bars before the day in question, one ordered query per symbol and side, and come back as the
exact stored decimals; the window adds the day's own high and low to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Engine, Float, cast, select

from hkdesk.domain.bars import MINUTE
from hkdesk.store.schema import bars

YEAR_MS = 365 * 86_400_000

Range = tuple[Decimal | None, Decimal | None]


def year_ranges(engine: Engine, symbols: Iterable[str], day_start_ms: int) -> dict[str, Range]:
    """Per symbol, (highest high, lowest low) of the stored bars in the 52 weeks before
    ``day_start_ms``; (None, None) when none is stored. A blocking read: call it off the loop."""
    out: dict[str, Range] = {}
    since = day_start_ms - YEAR_MS
    with engine.connect() as conn:
        for symbol in symbols:
            where = (
                bars.c.symbol == symbol,
                bars.c.interval_s == MINUTE,
                bars.c.start >= since,
                bars.c.start < day_start_ms,
            )
            # ordered as numbers (SQLite keeps decimals as text), returned as the stored decimal
            high = conn.execute(
                select(bars.c.high).where(*where).order_by(cast(bars.c.high, Float).desc()).limit(1)
            ).scalar()
            low = conn.execute(
                select(bars.c.low).where(*where).order_by(cast(bars.c.low, Float)).limit(1)
            ).scalar()
            out[symbol] = (high, low)
    return out
