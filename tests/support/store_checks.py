"""Checks of what a test stored: the 1-minute bars agree exactly with the trades they hold (a bar
from the provider, which counts the whole minute, holds at least the trades we stored of it)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Engine, text

from hkdesk.store import make_engine


def bar_mismatches(db: str | Engine) -> list[str]:
    """Recompute every 1-minute bar of ours from the stored ticks; list the bars that disagree.
    A provider's bar must take in the stored trades of its minute: their volume and prices."""

    engine = db if isinstance(db, Engine) else make_engine(db)
    try:
        with engine.connect() as conn:
            ticks = conn.execute(text("SELECT symbol, seq, ts, price, volume FROM ticks")).all()
            bars = conn.execute(
                text(
                    'SELECT symbol, start, "open", high, low, "close", volume, trades, provided FROM bars '
                    "WHERE interval_s = 60"
                )
            ).all()
    finally:
        if not isinstance(db, Engine):
            engine.dispose()
    expected: dict[tuple[str, int], list] = {}
    for symbol, _seq, ts, price, volume in sorted(ticks, key=lambda r: (r[0], r[2], r[1])):
        price, volume = Decimal(str(price)), Decimal(str(volume))
        key = (symbol, int(ts) // 60_000 * 60_000)
        bar = expected.get(key)
        if bar is None:
            expected[key] = [price, price, price, price, volume, 1]
        else:
            bar[1] = max(bar[1], price)
            bar[2] = min(bar[2], price)
            bar[3] = price
            bar[4] += volume
            bar[5] += 1
    problems: list[str] = []
    seen = set()
    for symbol, start, o, h, low, c, v, n, provided in bars:
        key = (symbol, int(start))
        seen.add(key)
        want = expected.get(key)
        have = [Decimal(str(x)) for x in (o, h, low, c, v)] + [int(n)]
        if provided:
            if want is not None and not (have[4] >= want[4] and have[2] <= want[2] and want[1] <= have[1]):
                problems.append(f"{key}: provided {have} does not take in the stored ticks {want}")
        elif want != have:
            problems.append(f"{key}: stored {have}, from ticks {want}")
    problems.extend(f"{key}: no bar for stored ticks" for key in expected.keys() - seen)
    return problems


# ---------------------------------------------------------------- the pipeline under test
