"""AllTick subscription plans: how many symbols, sockets and how fast a reconnect may be."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """Limits of one AllTick token.

    ``symbols_per_connection`` applies to each subscription list (22004 and 22002 separately):
    the server silently keeps only the first N codes of a longer list. ``connections`` is counted
    per token; an extra socket is disconnected at once. ``reconnect_spacing`` is the minimum wait
    between two connection attempts.
    """

    name: str
    symbols_per_connection: int
    connections: int
    reconnect_spacing: float

    def __post_init__(self) -> None:
        if self.symbols_per_connection < 1 or self.connections < 1 or self.reconnect_spacing < 0:
            raise ValueError(f"invalid plan limits: {self}")

    @property
    def capacity(self) -> int:
        """Most symbols one token can stream at once."""
        return self.symbols_per_connection * self.connections

    @classmethod
    def named(cls, name: str) -> Plan:
        try:
            return PLANS[name.strip().lower()]
        except KeyError:
            raise ValueError(f"unknown plan {name!r}; expected one of {', '.join(PLANS)}") from None


FREE = Plan("free", symbols_per_connection=5, connections=1, reconnect_spacing=10.0)
BASIC = Plan("basic", symbols_per_connection=100, connections=1, reconnect_spacing=3.0)
PREMIUM = Plan("premium", symbols_per_connection=200, connections=3, reconnect_spacing=3.0)
PROFESSIONAL = Plan("professional", symbols_per_connection=3000, connections=10, reconnect_spacing=3.0)

PLANS: dict[str, Plan] = {p.name: p for p in (FREE, BASIC, PREMIUM, PROFESSIONAL)}


#: The HTTP API's endpoint for many codes' latest K-lines, which has its own, slower call rate.
BATCH_KLINE = "/batch-kline"


@dataclass(frozen=True)
class HttpLimits:
    """AllTick's HTTP limits of one token: the seconds between two calls to the same endpoint
    (``/batch-kline`` apart), the items one call may carry (codes × K-line types for
    ``/batch-kline``, codes for the list endpoints) and the calls a day (None: no cap stated).

    Different endpoints may be called in the same second; one endpoint keeps its interval."""

    call_interval: float
    batch_interval: float
    items_per_call: int
    daily_calls: int | None = None

    def __post_init__(self) -> None:
        if self.call_interval < 0 or self.batch_interval < 0 or self.items_per_call < 1:
            raise ValueError(f"invalid HTTP limits: {self}")

    def interval(self, endpoint: str) -> float:
        return self.batch_interval if endpoint == BATCH_KLINE else self.call_interval

    @classmethod
    def for_plan(cls, name: str) -> HttpLimits:
        try:
            return HTTP_LIMITS[name.strip().lower()]
        except KeyError:
            raise ValueError(f"unknown plan {name!r}; expected one of {', '.join(HTTP_LIMITS)}") from None


HTTP_LIMITS: dict[str, HttpLimits] = {
    "free": HttpLimits(10.0, 10.0, 5, daily_calls=1_000),
    "basic": HttpLimits(1.0, 3.0, 100, daily_calls=86_400),
    "premium": HttpLimits(0.1, 2.0, 200),
    "professional": HttpLimits(0.05, 1.0, 500),
}
