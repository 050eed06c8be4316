"""Alert definitions: the six kinds, what their value means, and how each reads as text.

An alert is a rule on one symbol's trades. Prices and percents are ``Decimal`` and every
comparison is exact. ``cooldown_minutes`` is ``None`` for an alert that fires once; otherwise
the alert re-arms that many minutes of exchange time after it fired. ``last_fired_ts`` (exchange
epoch ms) is the one piece of state, stored with the definition so a restart keeps it: a
once-alert that fired stays spent, a re-arming one stays quiet until its cooldown is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from hkdesk.domain.symbols import SymbolError, normalise
from hkdesk.domain.types import MAX_PRICE


class Kind(StrEnum):
    ABOVE = "above"
    BELOW = "below"
    CHANGE_ABOVE = "change_above"
    CHANGE_BELOW = "change_below"
    MOVE = "move"
    VOLUME_SURGE = "volume_surge"


#: Kinds judged over a window of ``minutes``; the others compare each trade's price with a level.
WINDOWED = frozenset({Kind.MOVE, Kind.VOLUME_SURGE})
#: Longest window of a move alert: a whole trading day (330 minutes without lunch).
MAX_MOVE_MINUTES = 330
#: Longest window of a volume surge: its average needs five windows before it in the same day.
MAX_SURGE_MINUTES = 30
MAX_COOLDOWN_MINUTES = 24 * 60
_HUNDRED = Decimal(100)
_MAX_PERCENT = Decimal(10_000)
_MAX_MULTIPLE = Decimal(10_000)


class AlertError(ValueError):
    """An alert definition that cannot be used; the message says which part and why."""


@dataclass(frozen=True, slots=True)
class Alert:
    symbol: str
    kind: Kind
    value: Decimal
    minutes: int | None = None
    cooldown_minutes: int | None = None
    paused: bool = False
    #: 0 until the alert is stored.
    id: int = 0
    #: Exchange time (epoch ms) of the trade that last fired it; None if it never fired.
    last_fired_ts: int | None = None

    def __post_init__(self) -> None:
        try:
            symbol = normalise(self.symbol)
        except SymbolError as exc:
            raise AlertError(str(exc)) from None
        if symbol != self.symbol:
            raise AlertError(f"symbol {self.symbol!r} is not in canonical form ({symbol!r})")
        if not isinstance(self.kind, Kind):
            raise AlertError(f"unknown kind {self.kind!r}")
        _check_value(self.kind, self.value)
        _check_minutes(self.kind, self.minutes)
        cooldown = self.cooldown_minutes
        if cooldown is not None and (isinstance(cooldown, bool) or not 1 <= cooldown <= MAX_COOLDOWN_MINUTES):
            raise AlertError(f"cooldown must be 1..{MAX_COOLDOWN_MINUTES} minutes, not {cooldown}")

    @property
    def once(self) -> bool:
        return self.cooldown_minutes is None

    @property
    def spent(self) -> bool:
        """A once-alert that has fired: it never fires again unless re-armed by hand."""
        return self.once and self.last_fired_ts is not None

    def rearms_at(self) -> int | None:
        """Exchange time from which a fired re-arming alert may fire again."""
        if self.last_fired_ts is None or self.cooldown_minutes is None:
            return None
        return self.last_fired_ts + self.cooldown_minutes * 60_000

    def same_rule(self, other: Alert) -> bool:
        """Same symbol, kind, value, window and repeat (state and id aside)."""
        return (self.symbol, self.kind, self.value, self.minutes, self.cooldown_minutes) == (
            other.symbol,
            other.kind,
            other.value,
            other.minutes,
            other.cooldown_minutes,
        )

    def describe(self) -> str:
        """The rule in words, e.g. ``price ≥ 400.2`` or ``move ≥ 2.5% within 5 min``."""
        v = self.value
        match self.kind:
            case Kind.ABOVE:
                return f"price ≥ {v}"
            case Kind.BELOW:
                return f"price ≤ {v}"
            case Kind.CHANGE_ABOVE:
                return f"change ≥ {_signed(v)}% vs previous close"
            case Kind.CHANGE_BELOW:
                return f"change ≤ {_signed(v)}% vs previous close"
            case Kind.MOVE:
                return f"move ≥ {v}% within {self.minutes} min"
            case Kind.VOLUME_SURGE:
                return f"volume in {self.minutes} min ≥ {v}× its recent average"
        raise AssertionError(self.kind)

    def repeat_text(self) -> str:
        return "once" if self.cooldown_minutes is None else str(self.cooldown_minutes)


def _signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else str(value)


def _check_value(kind: Kind, value: Decimal) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise AlertError(f"value must be a finite decimal number, not {value!r}")
    if kind in (Kind.ABOVE, Kind.BELOW):
        if not 0 < value <= MAX_PRICE:
            raise AlertError(f"{kind} needs a price above 0 and at most {MAX_PRICE}, not {value}")
    elif kind in (Kind.CHANGE_ABOVE, Kind.CHANGE_BELOW):
        if not -_HUNDRED < value <= _MAX_PERCENT:
            raise AlertError(f"{kind} needs a percent above -100 and at most {_MAX_PERCENT}, not {value}")
    elif kind is Kind.MOVE:
        if not 0 < value <= _MAX_PERCENT:
            raise AlertError(f"move needs a percent above 0 and at most {_MAX_PERCENT}, not {value}")
    elif not 0 < value <= _MAX_MULTIPLE:
        raise AlertError(f"volume_surge needs a multiple above 0 and at most {_MAX_MULTIPLE}, not {value}")


def _check_minutes(kind: Kind, minutes: int | None) -> None:
    if kind not in WINDOWED:
        if minutes is not None:
            raise AlertError(f"{kind} takes no minutes (only move and volume_surge do)")
        return
    limit = MAX_MOVE_MINUTES if kind is Kind.MOVE else MAX_SURGE_MINUTES
    if minutes is None or isinstance(minutes, bool) or not 1 <= minutes <= limit:
        raise AlertError(f"{kind} needs minutes from 1 to {limit}, not {minutes}")
