"""Sliding windows of one symbol's trades for the two window kinds, in trading time.

**Move of X % within N minutes.** At a trade at trading time ``t`` and price ``p``, the window
holds the symbol's trades of the same day with trading time in ``[t − N min, t]``, this one
included. The alert fires when ``p ≥ low × (1 + X/100)`` (up from the window's lowest price) or
``p ≤ high × (1 − X/100)`` (down from its highest): exactly ``|p − q| / q ≥ X %`` for some
earlier trade ``q`` in the window, since the lowest ``q`` gives the largest rise and the
highest the largest fall. Low and high come from monotonic deques (amortised O(1) per trade);
the products are recomputed only when the low or the high changes.

**Volume surge: N-minute volume over M × its recent average.** Volume is counted in trading
minutes from the 09:30 open (minute 0 is 09:30, minute 150 is 13:00; pre-opening trades are
not counted). At a trade in minute ``m``, the current window is minutes ``m − N + 1 … m`` (this
minute so far, this trade included); the recent average is the average volume of the
``SURGE_LOOKBACK`` (5) N-minute windows just before it, i.e. minutes ``m − 6N + 1 … m − N``
divided by 5. It fires when current ≥ M × average, and is not judged before those five windows
exist in today's session (from 09:30 + 6N − 1 trading minutes) or while their volume is zero.
Five windows keep the average recent and make the division exact in decimal arithmetic.
After a restart the minutes before the first live trade can come from the stored 1-minute bars
(``seed``), so a surge is judged at once instead of six windows later.
"""

from __future__ import annotations

from collections import deque
from decimal import Decimal

from hkdesk.alerts.rule import AlertEvent, Rule
from hkdesk.alerts.trading_time import MINUTE_MS
from hkdesk.domain.types import Tick

SURGE_LOOKBACK = 5
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_LOOKBACK = Decimal(SURGE_LOOKBACK)


def _percent(a: Decimal, b: Decimal) -> Decimal:
    """``|a − b| / b`` in percent, rounded to 0.01 for the condition text only."""
    return (abs(a - b) * _HUNDRED / b).quantize(_CENT)


class MoveWindow:
    """Lowest and highest price over the last ``minutes`` trading minutes, for move alerts."""

    __slots__ = ("_hi_p", "_hi_t", "_high", "_lo_p", "_lo_t", "_low", "minutes", "rules", "span")

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        self.span = minutes * MINUTE_MS
        self.rules: list[Rule] = []
        self.reset()

    def reset(self) -> None:
        """Forget the trades (a new trading day)."""
        self._lo_t: deque[int] = deque()
        self._lo_p: deque[Decimal] = deque()
        self._hi_t: deque[int] = deque()
        self._hi_p: deque[Decimal] = deque()
        self._low: Decimal | None = None
        self._high: Decimal | None = None

    def judge(self, t: int, tick: Tick, fired: list[AlertEvent]) -> None:
        """Take a trade at trading time ``t`` into the window and fire the rules it meets."""
        price = tick.price
        lo_t, lo_p, hi_t, hi_p = self._lo_t, self._lo_p, self._hi_t, self._hi_p
        if lo_p and lo_p[-1] == price:
            # The same price as the last trade, which is at the back of both deques: it now
            # lives until this trade leaves the window (trades often repeat the last price).
            lo_t[-1] = hi_t[-1] = t
        else:
            while lo_p and lo_p[-1] > price:
                lo_p.pop()
                lo_t.pop()
            lo_p.append(price)
            lo_t.append(t)
            while hi_p and hi_p[-1] < price:
                hi_p.pop()
                hi_t.pop()
            hi_p.append(price)
            hi_t.append(t)
        cutoff = t - self.span
        while lo_t[0] < cutoff:  # never empties: this trade is at the back and inside
            lo_t.popleft()
            lo_p.popleft()
        while hi_t[0] < cutoff:
            hi_t.popleft()
            hi_p.popleft()
        low, high = lo_p[0], hi_p[0]
        if low is not self._low:
            self._low = low
            for rule in self.rules:
                rule.up_trigger = low * rule.up_factor
        if high is not self._high:
            self._high = high
            for rule in self.rules:
                rule.down_trigger = high * rule.down_factor
        for rule in self.rules:
            if not rule.armed:
                continue
            if price >= rule.up_trigger:  # type: ignore[operator]
                text = f"{rule.alert.describe()}: up {_percent(price, low)}% from {low}"
                fired.append(rule.fire(text, tick))
            elif price <= rule.down_trigger:  # type: ignore[operator]
                text = f"{rule.alert.describe()}: down {_percent(price, high)}% from {high}"
                fired.append(rule.fire(text, tick))

    def rule_added(self, rule: Rule) -> None:
        self.rules.append(rule)
        if self._low is not None and self._high is not None:
            rule.up_trigger = self._low * rule.up_factor
            rule.down_trigger = self._high * rule.down_factor


class VolumeWindow:
    """Volume per trading minute since the open, for volume-surge alerts of one window length."""

    __slots__ = ("_before", "_live_from", "_minute", "_volumes", "average", "minutes", "rules")

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        self.rules: list[Rule] = []
        self.reset()

    def reset(self) -> None:
        """Forget the volumes (a new trading day)."""
        #: Volume of each trading minute since the open; the last one is the current minute.
        self._volumes: list[Decimal] = [_ZERO]
        self._minute = 0
        #: First minute counted from live trades (earlier ones may come from stored bars).
        self._live_from: int | None = None
        #: Volume of the current window's earlier minutes, and the recent average (None: not judged).
        self._before = _ZERO
        self.average: Decimal | None = None
        self._set_triggers()

    @property
    def current(self) -> Decimal:
        """Volume of the current window so far."""
        return self._before + self._volumes[self._minute]

    def judge(self, t: int, tick: Tick, fired: list[AlertEvent]) -> None:
        """Count a live trade at trading time ``t`` and fire the rules it takes over their trigger.

        Trades before the open (``t < 0``) are not counted.
        """
        if t < 0:
            return
        minute = t // MINUTE_MS
        if minute > self._minute:
            if self._live_from is None:
                self._live_from = minute
            self._advance(minute)
        elif self._live_from is None:
            self._live_from = self._minute
        volumes = self._volumes
        now = volumes[-1] + tick.volume
        volumes[-1] = now
        if self.average is not None:
            for rule in self.rules:
                if rule.armed and now >= rule.up_trigger:  # type: ignore[operator]
                    text = f"{rule.alert.describe()}: {self.current} vs average {self.average}"
                    fired.append(rule.fire(text, tick))

    def seed(self, minute: int, volume: Decimal) -> None:
        """The volume of a whole minute before the first live trade (a stored 1-minute bar)."""
        if minute < 0 or (self._live_from is not None and minute >= self._live_from):
            return
        if minute > self._minute:
            self._advance(minute)
        self._volumes[minute] = volume
        self._roll()

    def _advance(self, minute: int) -> None:
        self._volumes.extend(_ZERO for _ in range(minute - self._minute))
        self._minute = minute
        self._roll()

    def _roll(self) -> None:
        """The window moved (or a past minute was seeded): recompute the average and triggers."""
        n, volumes = self.minutes, self._volumes
        first = self._minute - n + 1
        before = first - SURGE_LOOKBACK * n
        if before < 0:
            return
        self._before = sum(volumes[first : self._minute], _ZERO)
        recent = sum(volumes[before:first], _ZERO)
        self.average = recent / _LOOKBACK if recent > 0 else None
        self._set_triggers()

    def _set_triggers(self) -> None:
        """Each rule's trigger is on the current minute's volume: M × average − earlier minutes."""
        average, before = self.average, self._before
        for rule in self.rules:
            rule.up_trigger = None if average is None else rule.alert.value * average - before

    def rule_added(self, rule: Rule) -> None:
        self.rules.append(rule)
        self._set_triggers()
