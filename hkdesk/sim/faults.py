"""Fault injection for the simulator, set from the CLI (``--fault name=value``), the control
API (``/_sim/fault?name=value``) or the server object (``server.fault("name=value")``).

=====================  =====================================================================
``drop-every=S``       abort every connection's TCP socket (no close frame) S seconds after it
                       opened or after the fault was set; 0 turns it off
``stall[=S]``          stop sending and answering, keep sockets open; for S seconds (default:
                       until cleared)
``slow=S``             wait S seconds before each frame
``garbage=R``          R bad frames per second per connection: invalid JSON, wrong types,
                       unknown cmd_ids, binary frames
``reject-symbol=C``    treat code C as unknown (ret 600, the message naming C); repeatable
``reject-next[=N]``    refuse the next N WebSocket handshakes with HTTP 401 (default 1)
``burst=N``            N extra trades per second spread over all subscribed symbols
``strict-spacing``     the strict reading of the 1 s rule: any two requests on a socket closer
                       than the spacing, heartbeats included, get 606 and the close
``clear[=NAME]``       clear one fault, or all of them
=====================  =====================================================================
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, fields
from typing import Any

FAULT_NAMES = (
    "drop-every",
    "stall",
    "slow",
    "garbage",
    "reject-symbol",
    "reject-next",
    "burst",
    "strict-spacing",
    "clear",
)


class FaultError(ValueError):
    """A fault spec that cannot be understood."""


@dataclass
class Faults:
    """Current fault settings; times are in seconds of the server's monotonic clock."""

    drop_every: float = 0.0
    stall_until: float = 0.0  # stalled while now < stall_until
    slow: float = 0.0
    garbage_rate: float = 0.0
    reject_symbols: set[str] = field(default_factory=set)
    reject_next: int = 0
    burst_rate: float = 0.0
    strict_spacing: bool = False

    def stalled(self, now: float) -> bool:
        return now < self.stall_until

    def take_reject(self) -> bool:
        """Consume one "refuse the next handshake" if any is pending."""
        if self.reject_next > 0:
            self.reject_next -= 1
            return True
        return False

    def clear(self, name: str | None = None) -> None:
        defaults = Faults()
        if not name:
            for f in fields(self):
                setattr(self, f.name, getattr(defaults, f.name))
            return
        attr = _ATTR.get(name or "")
        if attr is None:
            raise FaultError(f"unknown fault {name!r}; known: {', '.join(FAULT_NAMES)}")
        setattr(self, attr, getattr(defaults, attr))

    def apply(self, spec: str, now: float) -> str:
        """Apply one ``name[=value]`` spec; return the fault name."""
        name, _, raw = spec.strip().partition("=")
        name = name.strip().lower().replace("_", "-")
        raw = raw.strip()
        if name == "clear":
            self.clear(raw or None)
        elif name == "drop-every":
            self.drop_every = _non_negative(name, raw)
        elif name == "stall":
            seconds = _non_negative(name, raw) if raw else 0.0
            self.stall_until = now + seconds if seconds > 0 else math.inf
        elif name == "slow":
            self.slow = _non_negative(name, raw)
        elif name == "garbage":
            self.garbage_rate = _non_negative(name, raw)
        elif name == "reject-symbol":
            if not raw:
                raise FaultError("reject-symbol needs a code, e.g. reject-symbol=700.HK")
            self.reject_symbols.add(raw)
        elif name == "reject-next":
            self.reject_next += int(_non_negative(name, raw)) if raw else 1
        elif name == "burst":
            self.burst_rate = _non_negative(name, raw)
        elif name == "strict-spacing":
            if raw not in ("", "0", "1"):
                raise FaultError(f"strict-spacing takes no value, or 1 / 0, not {raw!r}")
            self.strict_spacing = raw != "0"
        else:
            raise FaultError(f"unknown fault {name!r}; known: {', '.join(FAULT_NAMES)}")
        return name

    def describe(self, now: float) -> dict[str, Any]:
        return {
            "drop_every": self.drop_every,
            "stalled": self.stalled(now),
            "stall_remaining": None if math.isinf(self.stall_until) else max(0.0, self.stall_until - now),
            "slow": self.slow,
            "garbage_rate": self.garbage_rate,
            "reject_symbols": sorted(self.reject_symbols),
            "reject_next": self.reject_next,
            "burst_rate": self.burst_rate,
            "strict_spacing": self.strict_spacing,
        }


_ATTR = {
    "drop-every": "drop_every",
    "stall": "stall_until",
    "slow": "slow",
    "garbage": "garbage_rate",
    "reject-symbol": "reject_symbols",
    "reject-next": "reject_next",
    "burst": "burst_rate",
    "strict-spacing": "strict_spacing",
}


def _non_negative(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise FaultError(f"{name} needs a number, not {raw!r}") from None
    if not math.isfinite(value) or value < 0:
        raise FaultError(f"{name} must be a non-negative number, not {raw!r}")
    return value


GARBAGE_KINDS = ("invalid_json", "wrong_types", "unknown_cmd", "binary")


def garbage_frame(rnd: random.Random) -> tuple[bytes, bool, str]:
    """One bad frame: ``(payload, is_binary, kind)``."""
    kind = rnd.choice(GARBAGE_KINDS)
    if kind == "invalid_json":
        payload = rnd.choice(
            (b'{"cmd_id":22998,"data":{"code":"700.HK","seq":', b"not json at all", b"{]", b"")
        )
        return payload, False, kind
    if kind == "wrong_types":
        payload = rnd.choice(
            (
                b'{"cmd_id":22998,"data":{"code":700,"seq":"x","tick_time":[],"price":{},'
                b'"volume":"-5","turnover":null,"trade_direction":"up"}}',
                b'{"cmd_id":"22998","data":"700.HK"}',
                b'{"cmd_id":22999,"data":{"code":"700.HK","seq":1,"tick_time":1,"bids":"none","asks":5}}',
                b"[1,2,3]",
            )
        )
        return payload, False, kind
    if kind == "unknown_cmd":
        cmd = rnd.choice((1, 22500, 23000, 99999))
        return b'{"cmd_id":%d,"data":{"hello":"world"}}' % cmd, False, kind
    return bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 32))), True, kind
