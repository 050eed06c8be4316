"""A slow, literal reading of the alert rules, to hold the evaluator to (no shared code with it).

Every condition is recomputed from the day's trades at every trade (a move from every trade in
the window, a surge from per-minute sums), with the inequalities written as the documentation
states them (cross-multiplied, never divided), and trading time computed from wall-clock dates.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from hkdesk.alerts.model import Alert, Kind
from hkdesk.domain.sessions import HK_TZ, is_half_day
from hkdesk.domain.types import Tick


def trading_ms(ts: int) -> int:
    """Milliseconds since 09:30 Hong Kong time, lunch (12:00-13:00) removed on a full day."""
    wall = datetime.fromtimestamp(ts / 1000, HK_TZ)
    midnight = wall.replace(hour=0, minute=0, second=0, microsecond=0)
    of_day = ts - int(midnight.timestamp() * 1000)
    noon, one = 12 * 3_600_000, 13 * 3_600_000
    if not is_half_day(wall.date()):
        if of_day >= one:
            of_day -= 3_600_000
        elif of_day >= noon:
            of_day = noon
    return of_day - (9 * 3_600_000 + 30 * 60_000)


class _Day:
    def __init__(self, date) -> None:
        self.date = date
        self.last_seq = -1
        self.last_t: int | None = None
        self.trades: list[tuple[int, Decimal, Decimal]] = []
        #: Volume per trading minute since the open (trades before the open not counted).
        self.per_minute: dict[int, Decimal] = {}

    def add(self, t: int, price: Decimal, volume: Decimal) -> None:
        self.trades.append((t, price, volume))
        if t >= 0:
            self.per_minute[t // 60_000] = self.per_minute.get(t // 60_000, Decimal(0)) + volume


def _within(trades, t: int, span: int):
    """The trades at most ``span`` ms before ``t``, newest first (trading times never decrease)."""
    for trade in reversed(trades):
        if t - trade[0] > span:
            return
        yield trade


def _met(alert: Alert, day: _Day, prev_close: Decimal | None) -> bool:
    t, price, _ = day.trades[-1]
    v = alert.value
    if alert.kind is Kind.ABOVE:
        return price >= v
    if alert.kind is Kind.BELOW:
        return price <= v
    if alert.kind in (Kind.CHANGE_ABOVE, Kind.CHANGE_BELOW):
        if prev_close is None:
            return False
        change = (price - prev_close) * 100
        return change >= v * prev_close if alert.kind is Kind.CHANGE_ABOVE else change <= v * prev_close
    span = alert.minutes * 60_000  # type: ignore[operator]
    if alert.kind is Kind.MOVE:
        return any(
            (price - q) * 100 >= v * q or (q - price) * 100 >= v * q
            for _, q, _ in _within(day.trades, t, span)
        )
    if t < 0:
        return False
    minutes = alert.minutes
    m = t // 60_000
    per_minute = day.per_minute
    first = m - minutes + 1  # type: ignore[operator]
    before = first - 5 * minutes  # type: ignore[operator]
    if before < 0:
        return False
    current = sum((per_minute.get(k, Decimal(0)) for k in range(first, m + 1)), Decimal(0))
    recent = sum((per_minute.get(k, Decimal(0)) for k in range(before, first)), Decimal(0))
    return recent > 0 and current * 5 >= v * recent


def reference(alerts: list[Alert], ticks: list[Tick], closes: dict[str, Decimal]) -> list[tuple[int, int]]:
    """(index of the trade, alert id) of every firing, in trade order."""
    fired_ts: dict[int, int | None] = {a.id: a.last_fired_ts for a in alerts}
    days: dict[str, _Day] = {}
    last_price: dict[str, Decimal] = {}
    closes = dict(closes)
    out = []
    for i, tick in enumerate(ticks):
        date = datetime.fromtimestamp(tick.ts / 1000, HK_TZ).date()
        day = days.get(tick.symbol)
        if day is not None and date < day.date:
            continue
        if day is None or date > day.date:
            if day is not None:
                closes[tick.symbol] = last_price[tick.symbol]
            day = days[tick.symbol] = _Day(date)
        elif tick.seq <= day.last_seq:
            continue
        day.last_seq = tick.seq
        last_price[tick.symbol] = tick.price
        t = trading_ms(tick.ts)
        day.last_t = t = t if day.last_t is None else max(t, day.last_t)
        day.add(t, tick.price, tick.volume)
        for alert in alerts:
            if alert.symbol != tick.symbol or alert.paused:
                continue
            last = fired_ts[alert.id]
            if last is not None and (
                alert.cooldown_minutes is None or tick.ts < last + alert.cooldown_minutes * 60_000
            ):
                continue
            if _met(alert, day, closes.get(tick.symbol)):
                fired_ts[alert.id] = tick.ts
                out.append((i, alert.id))
    return out
