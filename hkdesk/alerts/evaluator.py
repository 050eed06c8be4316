"""Alerts judged on every trade of every tick batch, on the receive path.

**When an alert fires.** Alerts are judged on trades, one at a time, in the order the feed
delivers them (for one symbol that is exchange-time order); every trade of a batch is judged,
so a spike between two frames is not missed. An armed alert fires on the first trade at which
its condition holds, and reports that trade's price and exchange time:

- ``above`` / ``below``: the trade's price is ≥ / ≤ the value;
- ``change_above`` / ``change_below``: ``(price − previous close) / previous close × 100`` is
  ≥ / ≤ the value (judged as ``price ≥ / ≤ close × (1 + value/100)``, the same inequality
  without a division); never judged while the previous close is unknown;
- ``move`` and ``volume_surge``: see :mod:`hkdesk.alerts.windows`.

The condition is a level, not a crossing: an alert created while the price is already above
its value fires on the next trade. After firing, a once-alert is spent; a re-arming alert is
armed again from the first trade whose exchange time is at least ``cooldown`` minutes after
the trade that fired it, and fires on the first such trade that meets its condition. A paused
alert is not judged (its symbol's windows keep counting, so resuming it is immediate).

**What counts as a trade.** The same rules as the quote hub: a trade of an earlier Hong Kong
day than the symbol's latest is ignored, a trade whose ``seq`` is not above the day's last one
is a replay and ignored. On the first trade of a new day the previous close becomes the last
price of the day before and the windows start empty. Window trades use the later of their own
and the symbol's latest time, so a late trade cannot move a window backwards.

**Cost.** One dictionary look-up per trade of a symbol without alerts. For a symbol with
alerts: a few integer comparisons, one comparison per direction against the lowest armed
level, and when it has window alerts, the trade's trading time and for each window an append
and a comparison with its gates (see :mod:`hkdesk.alerts.windows`); no object is built unless
an alert fires.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

from hkdesk.alerts.model import Alert, Kind
from hkdesk.alerts.rule import NEVER, AlertEvent, Rule
from hkdesk.alerts.trading_time import HOUR_MS, TradingDay, day_of
from hkdesk.alerts.windows import INFINITY, MINUS_INFINITY, MoveWindow, VolumeWindow
from hkdesk.domain.types import Bar, Tick

_NO_EVENTS: tuple[AlertEvent, ...] = ()
_RISING = (Kind.ABOVE, Kind.CHANGE_ABOVE)
_FALLING = (Kind.BELOW, Kind.CHANGE_BELOW)


class _Watch:
    """One symbol's alerts and the state they are judged on."""

    __slots__ = (
        "day",
        "day_end",
        "day_start",
        "fall_level",
        "falling",
        "last_price",
        "last_seq",
        "last_t",
        "moves",
        "next_rearm",
        "prev_close",
        "rise_level",
        "rising",
        "rules",
        "t_afternoon",
        "t_lunch",
        "t_lunch_ms",
        "t_open",
        "t_pm_base",
        "volumes",
        "windows",
    )

    def __init__(self) -> None:
        self.day: TradingDay | None = None
        self.day_start = 0
        self.day_end = 0
        self.t_open = self.t_lunch = self.t_afternoon = self.t_lunch_ms = self.t_pm_base = 0
        self.last_seq = -1
        self.last_t = -(2**62)
        self.last_price: Decimal | None = None
        self.prev_close: Decimal | None = None
        self.rules: list[Rule] = []
        self.moves: dict[int, MoveWindow] = {}
        self.volumes: dict[int, VolumeWindow] = {}
        self.set_rules([])

    def set_rules(self, rules: list[Rule]) -> None:
        """Replace the rules; windows of a length still in use keep what they counted."""
        self.rules = rules
        self.rising = [r for r in rules if r.alert.kind in _RISING]
        self.falling = [r for r in rules if r.alert.kind in _FALLING]
        moves, volumes = self.moves, self.volumes
        for window in (*moves.values(), *volumes.values()):
            window.rules = []  # a window kept for a length still in use keeps its counts
        self.moves, self.volumes = {}, {}
        for rule in rules:
            kind, minutes = rule.alert.kind, rule.alert.minutes
            if kind is Kind.MOVE and minutes is not None:
                move = self.moves.get(minutes) or moves.get(minutes) or MoveWindow(minutes)
                self.moves[minutes] = move
                move.rule_added(rule)
            elif kind is Kind.VOLUME_SURGE and minutes is not None:
                surge = self.volumes.get(minutes) or volumes.get(minutes) or VolumeWindow(minutes)
                self.volumes[minutes] = surge
                surge.rule_added(rule)
            rule.set_previous_close(self.prev_close)
        self.windows: tuple[MoveWindow | VolumeWindow, ...] = (*self.moves.values(), *self.volumes.values())
        self.refresh()

    def refresh(self) -> None:
        """Recompute the levels that gate the per-trade checks, after any rule changed state."""
        rise = [r.level for r in self.rising if r.armed and r.level is not None]
        fall = [r.level for r in self.falling if r.armed and r.level is not None]
        self.rise_level = min(rise) if rise else INFINITY
        self.fall_level = max(fall) if fall else MINUS_INFINITY
        self.next_rearm = min((r.rearm_at for r in self.rules if not r.armed), default=NEVER)
        for window in self.windows:
            window.set_gates()

    def set_previous_close(self, close: Decimal | None) -> None:
        self.prev_close = close
        for rule in self.rules:
            rule.set_previous_close(close)
        self.refresh()

    def set_day(self, day: TradingDay) -> None:
        """Take ``day``'s bounds and its trading clock (:meth:`TradingDay.trading_ms`, unrolled)."""
        self.day, self.day_start, self.day_end = day, day.start, day.end
        self.t_open, self.t_lunch, self.t_afternoon = day.open, day.lunch, day.afternoon
        self.t_lunch_ms = day.lunch - day.open
        self.t_pm_base = day.open + HOUR_MS

    def start_day(self, ts: int) -> None:
        day = day_of(ts)
        if self.day is not None and self.last_price is not None:
            self.set_previous_close(self.last_price)
        self.set_day(day)
        self.last_seq = -1
        self.last_t = -(2**62)
        for window in self.windows:
            window.reset()

    def rearm(self, ts: int) -> None:
        for rule in self.rules:
            rule.rearm_if_due(ts)
        self.refresh()

    def judge_levels(self, tick: Tick, fired: list[AlertEvent]) -> None:
        """A trade reached the lowest rising or highest falling level: fire each rule it meets."""
        price = tick.price
        for rule in self.rising:
            if rule.armed and rule.level is not None and price >= rule.level:
                fired.append(rule.fire(self._level_text(rule), tick))
        for rule in self.falling:
            if rule.armed and rule.level is not None and price <= rule.level:
                fired.append(rule.fire(self._level_text(rule), tick))
        self.refresh()

    def _level_text(self, rule: Rule) -> str:
        if rule.alert.kind in (Kind.ABOVE, Kind.BELOW):
            return rule.alert.describe()
        return f"{rule.alert.describe()} {self.prev_close} (price level {rule.level})"

    def seed_minute_bars(self, bars: Iterable[Bar]) -> None:
        for bar in bars:
            day = day_of(bar.start)
            if self.day is None:
                self.set_day(day)
            if day is not self.day:
                continue
            minute = day.trading_ms(bar.start) // 60_000
            for window in self.volumes.values():
                window.seed(minute, bar.volume)


class AlertEvaluator:
    """Judges alerts on tick batches; owned by the event loop's thread (not thread-safe)."""

    def __init__(self, alerts: Iterable[Alert] = ()) -> None:
        self._watches: dict[str, _Watch] = {}
        self._closes: dict[str, Decimal] = {}
        #: Events of the batch being judged (one list reused, so a quiet batch builds nothing).
        self._fired: list[AlertEvent] = []
        self.set_alerts(alerts)

    def set_alerts(self, alerts: Iterable[Alert]) -> None:
        """Replace every alert (e.g. after an edit or an import).

        For an alert already held with the same id and rule, the later firing time is kept, so a
        reload from storage that has not yet seen a firing cannot make a once-alert fire again.
        """
        by_symbol: dict[str, list[Rule]] = {}
        for alert in keep_later_firings(self.alerts(), alerts):
            by_symbol.setdefault(alert.symbol, []).append(Rule(alert))
        for symbol in [s for s in self._watches if s not in by_symbol]:
            del self._watches[symbol]
        for symbol, rules in by_symbol.items():
            watch = self._watches.get(symbol)
            if watch is None:
                watch = self._watches[symbol] = _Watch()
                watch.prev_close = self._closes.get(symbol)
            watch.set_rules(rules)

    def restart(self) -> None:
        """Judge the next trades afresh (another quote source): its sequence numbers, windows and
        previous closes start again; each alert keeps its firing state."""
        alerts = self.alerts()
        self._watches.clear()
        self._closes.clear()
        self.set_alerts(alerts)

    def alerts(self) -> list[Alert]:
        """Every alert with its current firing state."""
        return [r.alert for w in self._watches.values() for r in w.rules]

    def symbols(self) -> set[str]:
        return set(self._watches)

    def __bool__(self) -> bool:
        """Whether any alert is held (an evaluator without alerts need not be fed)."""
        return bool(self._watches)

    def set_previous_close(self, symbol: str, price: Decimal) -> None:
        self._closes[symbol] = price
        watch = self._watches.get(symbol)
        if watch is not None:
            watch.set_previous_close(price)

    def seed_minute_bars(self, symbol: str, bars: Sequence[Bar]) -> None:
        """Today's stored 1-minute bars, so volume surges are judged right after a restart.

        Call before the symbol's first live trade of the day if possible: minutes at or after
        the first live trade are not taken from bars (they are being counted live).
        """
        watch = self._watches.get(symbol)
        if watch is not None:
            watch.seed_minute_bars(sorted(bars, key=lambda b: b.start))

    def evaluate(self, ticks: Iterable[Tick]) -> Sequence[AlertEvent]:
        """Judge every trade of a batch; return the alerts that fired, in trade order."""
        watches = self._watches
        fired = self._fired
        for t in ticks:
            w = watches.get(t.symbol)
            if w is None:
                continue
            ts = t.ts
            if ts >= w.day_end or ts < w.day_start:
                if ts < w.day_start:
                    continue  # a late trade of an earlier day
                w.start_day(ts)
            elif t.seq <= w.last_seq:
                continue  # a replayed trade
            w.last_seq = t.seq
            price = t.price
            w.last_price = price
            if ts >= w.next_rearm:
                w.rearm(ts)
            windows = w.windows
            if windows:
                # the trade's trading time (TradingDay.trading_ms, unrolled), never before the last one's
                if ts < w.t_lunch:
                    t_ms = ts - w.t_open
                elif ts < w.t_afternoon:
                    t_ms = w.t_lunch_ms
                else:
                    t_ms = ts - w.t_pm_base
                if t_ms < w.last_t:
                    t_ms = w.last_t
                else:
                    w.last_t = t_ms
                count = len(fired)
                for window in windows:
                    window.judge(t_ms, t, fired)
                if len(fired) != count:
                    w.refresh()
            if price >= w.rise_level or price <= w.fall_level:
                w.judge_levels(t, fired)
        return self.take_fired()

    def take_fired(self) -> Sequence[AlertEvent]:
        """The firings of the batch being judged, emptied (also after a batch that raised: its
        alerts are spent and must still be told)."""
        fired = self._fired
        if not fired:
            return _NO_EVENTS
        events = tuple(fired)
        fired.clear()
        return events


def keep_later_firings(held: Iterable[Alert], alerts: Iterable[Alert]) -> list[Alert]:
    """``alerts``, each taking the later firing time of the alert ``held`` with its id and rule."""
    known = {a.id: a for a in held if a.id}
    out = []
    for alert in alerts:
        kept = known.get(alert.id) if alert.id else None
        if kept is not None and kept.same_rule(alert) and _later(kept, alert):
            alert = replace(alert, last_fired_ts=kept.last_fired_ts)
        out.append(alert)
    return out


def _later(a: Alert, b: Alert) -> bool:
    """``a`` fired after ``b`` did (or ``b`` never did)."""
    return (a.last_fired_ts or 0) > (b.last_fired_ts or 0)
