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
