"""Sliding windows of one symbol's trades for the two window kinds, in trading time.

**Move of X % within N minutes.** At a trade at trading time ``t`` and price ``p``, the window
holds the symbol's trades of the same day with trading time in ``[t − N min, t]``, this one
included. The alert fires when ``p ≥ low × (1 + X/100)`` (up from the window's lowest price) or
``p ≤ high × (1 − X/100)`` (down from its highest): exactly ``|p − q| / q ≥ X %`` for some
earlier trade ``q`` in the window, since the lowest ``q`` gives the largest rise and the
highest the largest fall. Most trades are cleared by a gate without working the window out
(see :class:`MoveWindow`).

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

from bisect import bisect_left
from decimal import Decimal

from hkdesk.alerts.rule import AlertEvent, Rule
from hkdesk.alerts.trading_time import MINUTE_MS
from hkdesk.domain.types import Tick

SURGE_LOOKBACK = 5
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_LOOKBACK = Decimal(SURGE_LOOKBACK)
#: Gates and levels that no price passes (no armed rule behind them).
INFINITY = Decimal("Infinity")
MINUS_INFINITY = Decimal("-Infinity")
#: A move window's trade lists are never cut shorter than this.
_TRIM_MIN = 256


def _percent(a: Decimal, b: Decimal) -> Decimal:
    """``|a − b| / b`` in percent, rounded to 0.01 for the condition text only."""
    return (abs(a - b) * _HUNDRED / b).quantize(_CENT)


class MoveWindow:
    """The trades of the last ``minutes`` trading minutes, judged for move alerts through gates.

    Most trades cannot fire a move alert, and the window is not worked out for them. The window
    keeps ``_lo``, a price no higher than the lowest trade of any window still to come (the exact
    low when it was last worked out, lowered by every later trade: a later window holds only
    trades of that window and later ones), and ``_hi`` the same way up. An armed rule can fire
    only at a price ≥ ``_lo`` × its up factor or ≤ ``_hi`` × its down factor; the gates are the
    loosest of those bounds. A trade past a gate gets the exact low and high of its window (a
    bisection on the times, then ``min``/``max`` over the window's prices in C) and the rules
    are judged on them, which also tightens ``_lo`` and ``_hi`` again.

    The common trade costs one or two comparisons: one strictly inside the band between the
    bounds and the gates (``_band_lo`` < price < ``_band_hi``) changes no bound and passes no
    gate; one at the price of the last trade, which was inside the band (``_clear``), neither.

    Trades are kept in two lists (trading time, price); a run of trades at one price keeps only
    its latest time, the one that stays in the window longest. The lists are cut to the window
    whenever they grow to twice what it held at the last cut, so memory stays within about twice
    the window's distinct-price runs and the cutting costs O(1) per trade on average.
    """

    __slots__ = (
        "_band_hi",
        "_band_lo",
        "_clear",
        "_down_gate",
        "_hi",
        "_lo",
        "_prices",
        "_times",
        "_trim_at",
        "_up_gate",
        "minutes",
        "rules",
        "span",
    )

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        self.span = minutes * MINUTE_MS
        self.rules: list[Rule] = []
        self.reset()

    def reset(self) -> None:
        """Forget the trades (a new trading day)."""
        self._times: list[int] = []
        self._prices: list[Decimal] = []
        self._lo: Decimal | None = None
        self._hi: Decimal | None = None
        self._trim_at = _TRIM_MIN
        self.set_gates()

    def set_gates(self) -> None:
        """The prices past which an armed rule may fire (after ``_lo``/``_hi`` or arming changed)."""
        lo, hi = self._lo, self._hi
        self._clear = None
        if lo is None or hi is None:  # no trade yet: nothing is inside the band, nothing past a gate
            self._up_gate, self._down_gate = INFINITY, MINUS_INFINITY
            self._band_lo, self._band_hi = INFINITY, MINUS_INFINITY
            return
        up, down = INFINITY, MINUS_INFINITY
        for rule in self.rules:
            if rule.armed:
                up = min(up, lo * rule.up_factor)
                if rule.down_factor > 0:  # else no positive price is ever that far down
                    down = max(down, hi * rule.down_factor)
        self._up_gate, self._down_gate = up, down
        self._band_lo, self._band_hi = max(lo, down), min(hi, up)

    def judge(self, t: int, tick: Tick, fired: list[AlertEvent]) -> None:
        """Take a trade at trading time ``t`` (never before the last one's) and fire the rules it meets."""
        price = tick.price
        if price == self._clear:  # the last trade's price, and it was inside the band
            self._times[-1] = t
            return
        times, prices = self._times, self._prices
        if self._band_lo < price < self._band_hi and len(times) < self._trim_at:
            times.append(t)
            prices.append(price)
            self._clear = price
            return
        self._clear = None
        if prices and prices[-1] == price:
            times[-1] = t
        else:
            times.append(t)
            prices.append(price)
        lo = self._lo
        if lo is None or price < lo:
            self._lo = price
            if lo is None:
                self._hi = price
            self.set_gates()
        elif price > self._hi:  # type: ignore[operator]
            self._hi = price
            self.set_gates()
        if price >= self._up_gate or price <= self._down_gate or len(times) >= self._trim_at:
            self._judge_exactly(t, tick, fired)

    def _judge_exactly(self, t: int, tick: Tick, fired: list[AlertEvent]) -> None:
        times, prices = self._times, self._prices
        cut = bisect_left(times, t - self.span)
        if cut:
            del times[:cut]
            del prices[:cut]
        low, high = min(prices), max(prices)
        self._lo, self._hi = low, high
        self._trim_at = max(_TRIM_MIN, 2 * len(times))
        price = tick.price
        for rule in self.rules:
            if not rule.armed:
                continue
            if price >= low * rule.up_factor:
                text = f"{rule.alert.describe()}: up {_percent(price, low)}% from {low}"
                fired.append(rule.fire(text, tick))
            elif price <= high * rule.down_factor:
                text = f"{rule.alert.describe()}: down {_percent(price, high)}% from {high}"
                fired.append(rule.fire(text, tick))
        self.set_gates()

    def rule_added(self, rule: Rule) -> None:
        self.rules.append(rule)
        self.set_gates()


class VolumeWindow:
    """Volume per trading minute since the open, for volume-surge alerts of one window length."""

    __slots__ = ("_before", "_gate", "_live_from", "_minute", "_volumes", "average", "minutes", "rules")

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
        if now >= self._gate:
            for rule in self.rules:
                if rule.armed and now >= rule.up_trigger:  # type: ignore[operator]
                    text = f"{rule.alert.describe()}: {self.current} vs average {self.average}"
                    fired.append(rule.fire(text, tick))
            self.set_gates()

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
        self.set_gates()

    def set_gates(self) -> None:
        """The lowest trigger of an armed rule: below it no trade needs the rules judged."""
        triggers = [r.up_trigger for r in self.rules if r.armed and r.up_trigger is not None]
        self._gate = min(triggers) if triggers and self.average is not None else INFINITY

    def rule_added(self, rule: Rule) -> None:
        self.rules.append(rule)
        self._set_triggers()
