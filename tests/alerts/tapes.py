"""Scripted tapes for the alert tests: trades at Hong Kong wall times on a known trading day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from hkdesk.alerts.model import Alert, Kind
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.types import Tick

DAY = date(2026, 3, 2)  # a Monday, a full trading day
NEXT_DAY = date(2026, 3, 3)
HALF_DAY = date(2025, 12, 24)  # Christmas Eve: morning only


def at(hh: int, mm: int, ss: int = 0, ms: int = 0, day: date = DAY) -> int:
    """Exchange time (epoch ms) of a Hong Kong wall time."""
    moment = datetime.combine(day, time(hh, mm, ss), HK_TZ) + timedelta(milliseconds=ms)
    return int(moment.timestamp() * 1000)


class Tape:
    """Builds one symbol's trades with increasing ``seq``."""

    def __init__(self, symbol: str = "700.HK") -> None:
        self.symbol = symbol
        self.seq = 0
        self.ticks: list[Tick] = []

    def trade(self, ts: int, price: str, volume: str = "100") -> Tick:
        self.seq += 1
        tick = Tick(self.symbol, self.seq, ts, Decimal(price), Decimal(volume))
        self.ticks.append(tick)
        return tick


def alert(kind: str, value: str, minutes: int | None = None, repeat: int | None = None, **kw) -> Alert:
    return Alert(
        symbol=kw.pop("symbol", "700.HK"),
        kind=Kind(kind),
        value=Decimal(value),
        minutes=minutes,
        cooldown_minutes=repeat,
        id=kw.pop("id", 1),
        **kw,
    )


def fired_at(events) -> list[tuple[Decimal, int]]:
    """(price, exchange time) of each event, in order."""
    return [(e.price, e.ts) for e in events]
