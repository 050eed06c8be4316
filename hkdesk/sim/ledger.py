"""What the simulator actually sent: trade ticks per symbol with their seqs.

A tick is recorded once its frame has been handed to the socket, so integration tests can check
that every tick the server sent was stored exactly once by the client.
"""

from __future__ import annotations

from array import array
from typing import Any


class TickLedger:
    """Trade ticks sent, per symbol, in send order."""

    def __init__(self) -> None:
        self._seqs: dict[str, array[int]] = {}

    def record(self, symbol: str, seq: int) -> None:
        seqs = self._seqs.get(symbol)
        if seqs is None:
            seqs = self._seqs[symbol] = array("q")
        seqs.append(seq)

    def count(self, symbol: str | None = None) -> int:
        if symbol is None:
            return sum(len(s) for s in self._seqs.values())
        return len(self._seqs.get(symbol, ()))

    def seqs(self, symbol: str) -> list[int]:
        return list(self._seqs.get(symbol, ()))

    def last_seq(self, symbol: str) -> int | None:
        seqs = self._seqs.get(symbol)
        return seqs[-1] if seqs else None

    def symbols(self) -> list[str]:
        return sorted(self._seqs)

    def summary(self, with_seqs: bool = False) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for symbol in sorted(self._seqs):
            seqs = self._seqs[symbol]
            entry: dict[str, Any] = {"count": len(seqs), "first_seq": seqs[0], "last_seq": seqs[-1]}
            if with_seqs:
                entry["seqs"] = list(seqs)
            out[symbol] = entry
        return out

    def clear(self) -> None:
        self._seqs.clear()

    def __len__(self) -> int:
        return self.count()
