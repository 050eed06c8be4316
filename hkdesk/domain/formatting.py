"""Display strings for prices, sizes and times, computed once per change (never in ``data()``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from hkdesk.domain.quotes import hk_datetime

UP_ARROW = "▲"
DOWN_ARROW = "▼"
EMPTY = "–"


def price_text(value: Decimal | float | None, *, is_index: bool = False) -> str:
    """Prices with 3 decimals; index levels with 2 and thousands separators."""
    if value is None:
        return EMPTY
    return f"{value:,.2f}" if is_index else f"{value:.3f}"


def amount_text(value: Decimal | float | None) -> str:
    """Volume, turnover or market capitalisation as K/M/B/T (thousand, million, billion, trillion)."""
    if value is None:
        return EMPTY
    v = float(value)
    a = abs(v)
    if a < 1_000:
        return f"{v:.0f}"
    if a < 1_000_000:
        return f"{v / 1_000:.2f}K"
    if a < 1_000_000_000:
        return f"{v / 1_000_000:.2f}M"
    if a < 1_000_000_000_000:
        return f"{v / 1_000_000_000:.2f}B"
    return f"{v / 1_000_000_000_000:.2f}T"


def signed_arrow(value: Decimal | float | None) -> str:
    if value is None or value == 0:
        return ""
    return UP_ARROW if value > 0 else DOWN_ARROW


def change_text(value: Decimal | None, *, is_index: bool = False) -> str:
    """``▲0.400`` / ``▼1.250`` / ``0.000``: the arrow repeats the colour cue for colour-blind users."""
    if value is None:
        return EMPTY
    body = f"{abs(value):,.2f}" if is_index else f"{abs(value):.3f}"
    return signed_arrow(value) + body


def percent_text(value: Decimal | None) -> str:
    if value is None:
        return EMPTY
    return f"{signed_arrow(value)}{abs(value):.2f}%"


def hk_time(ts_ms: int) -> datetime:
    return hk_datetime(ts_ms)


def time_text(ts_ms: int) -> str:
    """Exchange time of day in Hong Kong, ``HH:MM:SS``."""
    if ts_ms <= 0:
        return EMPTY
    return hk_time(ts_ms).strftime("%H:%M:%S")


def age_text(seconds: float) -> str:
    """``4 s``, ``3 min``, ``2 h 5 min``, ``3 d``: how old a figure is."""
    s = int(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min"
    if s < 86_400:
        h, m = divmod(s // 60, 60)
        return f"{h} h {m} min" if m else f"{h} h"
    return f"{s // 86_400} d"
