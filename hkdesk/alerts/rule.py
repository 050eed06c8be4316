"""The evaluator's live state for one alert: armed or not, and its trigger levels."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import NamedTuple

from hkdesk.alerts.model import Alert, Kind
from hkdesk.domain.types import Tick

_ONE = Decimal(1)
_HUNDRED = Decimal(100)
#: rearm_at of a rule that never re-arms (a spent once-alert): later than any exchange time.
NEVER = 2**63


class AlertEvent(NamedTuple):
    """An alert that fired: why, in words, and on which trade (price, exchange time, seq)."""

    alert: Alert
    condition: str
    price: Decimal
    ts: int
    seq: int

    @property
    def symbol(self) -> str:
        return self.alert.symbol


class Rule:
    """Mutable companion of an immutable :class:`Alert`, owned by the evaluator.

    ``level`` is the price a threshold kind compares with (for a change alert, the previous
    close moved by the percent, computed once per previous close); the window kinds keep their
    triggers here too, recomputed by their window only when its low, high or average changes.
    """

    __slots__ = (
        "alert",
        "armed",
        "down_factor",
        "down_trigger",
        "level",
        "rearm_at",
        "up_factor",
        "up_trigger",
    )

    def __init__(self, alert: Alert) -> None:
        self.alert = alert
        self.level: Decimal | None = None
        self.up_trigger: Decimal | None = None
        self.down_trigger: Decimal | None = None
        value = alert.value
        self.up_factor = _ONE + value / _HUNDRED
        self.down_factor = _ONE - value / _HUNDRED
        if alert.kind in (Kind.ABOVE, Kind.BELOW):
            self.level = value
        if alert.paused or alert.spent:
            self.armed, self.rearm_at = False, NEVER
        else:
            rearm = alert.rearms_at()
            self.armed = rearm is None
            self.rearm_at = 0 if rearm is None else rearm

    def set_previous_close(self, close: Decimal | None) -> None:
        """Level of a change alert: ``close × (1 + percent / 100)``, so a trade compares one price."""
        if self.alert.kind in (Kind.CHANGE_ABOVE, Kind.CHANGE_BELOW):
            self.level = None if close is None else close * self.up_factor

    def fire(self, condition: str, tick: Tick) -> AlertEvent:
        """Record the firing and disarm until the cooldown is over (for ever for a once-alert)."""
        event = AlertEvent(self.alert, condition, tick.price, tick.ts, tick.seq)
        self.alert = dataclasses.replace(self.alert, last_fired_ts=tick.ts)
        self.armed = False
        rearm = self.alert.rearms_at()
        self.rearm_at = NEVER if rearm is None else rearm
        return event

    def rearm_if_due(self, ts: int) -> bool:
        if not self.armed and ts >= self.rearm_at:
            self.armed = True
            self.rearm_at = 0
            return True
        return False
