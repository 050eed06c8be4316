"""The watch list as the source of truth: shards, replace-lists and codes the server refuses.

Pure bookkeeping, no I/O and no clock of its own (callers pass ``now``), so every rule here is
tested with plain function calls. AllTick replaces a connection's whole list with each 22004 or
22002, so the unit of work is "the list this socket should carry", never a single symbol.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


class ShardMap:
    """Stable assignment of symbols to at most ``shards`` lists of at most ``per_shard`` codes.

    A new symbol goes to the first shard with room, so a small watch list uses one socket.
    Existing symbols never move: adding or removing one changes only the shard it lives in.
    Symbols beyond the total capacity wait in :attr:`overflow` (in watch-list order) and are
    admitted as soon as a slot frees up.
    """

    def __init__(self, per_shard: int, shards: int) -> None:
        if per_shard < 1 or shards < 1:
            raise ValueError("per_shard and shards must be positive")
        self.per_shard = per_shard
        self._shards: list[dict[str, None]] = [{} for _ in range(shards)]
        self._where: dict[str, int] = {}
        self._overflow: tuple[str, ...] = ()

    def assign(self, symbols: Iterable[str]) -> set[int]:
        """Make the shards carry exactly ``symbols`` (as far as capacity allows).

        Returns the indices of the shards whose list changed.
        """
        wanted = dict.fromkeys(symbols)
        changed: set[int] = set()
        for symbol in [s for s in self._where if s not in wanted]:
            index = self._where.pop(symbol)
            del self._shards[index][symbol]
            changed.add(index)
        overflow: list[str] = []
        for symbol in wanted:
            if symbol in self._where:
                continue
            index = next((i for i, s in enumerate(self._shards) if len(s) < self.per_shard), None)
            if index is None:
                overflow.append(symbol)
                continue
            self._shards[index][symbol] = None
            self._where[symbol] = index
            changed.add(index)
        self._overflow = tuple(overflow)
        return changed

    def shard(self, index: int) -> tuple[str, ...]:
        return tuple(self._shards[index])

    def shard_of(self, symbol: str) -> int | None:
        return self._where.get(symbol)

    @property
    def count(self) -> int:
        """Number of shard slots (the plan's connection limit)."""
        return len(self._shards)

    @property
    def overflow(self) -> tuple[str, ...]:
        return self._overflow


class Rejections:
    """Codes the server refused, each held back and retried later with its own backoff."""

    def __init__(self, retry_after: float = 60.0, cap: float = 900.0) -> None:
        self.retry_after = retry_after
        self.cap = cap
        self._until: dict[str, float] = {}
        self._strikes: dict[str, int] = {}

    def reject(self, symbol: str, now: float) -> float:
        """Hold ``symbol`` back; returns the time (same clock as ``now``) of its next try."""
        strikes = self._strikes.get(symbol, 0)
        self._strikes[symbol] = strikes + 1
        until = now + min(self.cap, self.retry_after * 2.0**strikes)
        self._until[symbol] = until
        return until

    def blocked(self, symbol: str, now: float) -> bool:
        until = self._until.get(symbol)
        return until is not None and now < until

    def accepted(self, symbols: Iterable[str]) -> None:
        for symbol in symbols:
            self._until.pop(symbol, None)
            self._strikes.pop(symbol, None)

    def keep_only(self, symbols: Iterable[str]) -> None:
        """Forget codes that left the watch list (re-adding one gets a fresh first try)."""
        keep = set(symbols)
        for symbol in [s for s in self._until if s not in keep]:
            self._until.pop(symbol, None)
            self._strikes.pop(symbol, None)

    def next_retry(self, now: float) -> float | None:
        """Earliest time a held-back code may be tried again, if any is held back."""
        pending = [t for t in self._until.values() if t > now]
        return min(pending) if pending else None

    def held(self, now: float) -> tuple[str, ...]:
        return tuple(s for s, t in self._until.items() if t > now)


@dataclass
class Refusal:
    """Outcome of a refused replace-request."""

    culprits: list[str] = field(default_factory=list)
    """Codes now held back (reported to the user)."""
    retry: bool = True
    """Whether to send the list again (without the culprits, or with a smaller probe)."""


PLAN_LEVEL = 603


class ListTracker:
    """Builds one socket's replace-list for one request type and learns from the replies.

    Codes confirmed by an accepted request are *known good*. New codes are *probes*. When a
    request is refused (600 code invalid, 604 code unauthorized) the culprit is found without
    dropping the good codes: a code named in the error message, else the only probe, else the
    probes are halved and retried (group testing), so each request still carries every known
    good code. A culprit is held back in :class:`Rejections` and tried again later on its own
    (as the only probe). 603 (plan level) holds back all probes at once and keeps the rest.
    """

    def __init__(self, rejections: Rejections, known_good: set[str]) -> None:
        self._rejections = rejections
        self._good = known_good
        self._probe_limit: int | None = None
        self.accepted_list: tuple[str, ...] | None = None

    def build(self, wanted: Sequence[str], now: float) -> tuple[str, ...]:
        """The list to send now for the wanted codes."""
        candidates = [s for s in wanted if not self._rejections.blocked(s, now)]
        unconfirmed = [s for s in candidates if s not in self._good]
        allowed = set(unconfirmed if self._probe_limit is None else unconfirmed[: self._probe_limit])
        return tuple(s for s in candidates if s in self._good or s in allowed)

    def accepted(self, sent: Sequence[str]) -> None:
        self._good.update(sent)
        self._rejections.accepted(sent)
        self._probe_limit = None
        self.accepted_list = tuple(sent)

    def refused(self, sent: Sequence[str], ret: int, msg: str, now: float) -> Refusal:
        probes = [s for s in sent if s not in self._good]
        if ret == PLAN_LEVEL:
            culprits = probes
            if not culprits:
                return Refusal(retry=False)
        else:
            named = [s for s in sent if _mentions(msg, s)]
            if named:
                culprits = named
            elif len(probes) == 1 or (not probes and len(sent) == 1):
                culprits = [probes[0] if probes else sent[0]]
            elif not probes:
                # Every code was known good: rights changed under us. Probe them all again.
                self._good.difference_update(sent)
                self._probe_limit = max(1, len(sent) // 2)
                return Refusal()
            else:
                self._probe_limit = max(1, len(probes) // 2)
                return Refusal()
        for symbol in culprits:
            self._rejections.reject(symbol, now)
            self._good.discard(symbol)
        self._probe_limit = None
        return Refusal(culprits=culprits)


def _mentions(message: str, code: str) -> bool:
    if not message or code not in message:
        return False
    return re.search(rf"(?<![\w.]){re.escape(code)}(?![\w])", message) is not None
