"""Indices computed from their simulated constituents.

Membership is data: a symbols CSV column ``in_<code>`` (``in_hsi``, ``in_hscei``, ``in_hstech``)
marks the members of the index whose code is ``<CODE>``; an index of the universe with no member
among the simulated symbols stays at its base level. Each member's weight is its market
capitalisation at the series anchor (``/static_info`` shares at the anchor price), capped at
:data:`MAX_WEIGHT` with the excess spread over the others, as the Hang Seng indexes do. The level
is then a fixed basket, ``base * sum(w * price / anchor_price)``: a pure function of the members'
prices, so it moves exactly with them and needs no history of its own.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from hkdesk.domain.symbols import SymbolError, SymbolInfo, default_symbols_file, normalise
from hkdesk.sim.static_info import static_facts

MAX_WEIGHT = 0.08
_PREFIX = "in_"


def load_membership(path: Path | None = None) -> dict[str, frozenset[str]]:
    """Index code -> member codes, from the ``in_<code>`` columns of a symbols CSV."""
    path = path or default_symbols_file()
    members: dict[str, set[str]] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        columns = [c for c in reader.fieldnames or () if c.lower().startswith(_PREFIX)]
        for row in reader:
            try:
                code = normalise(row.get("code") or "")
            except SymbolError:
                continue
            for column in columns:
                if (row.get(column) or "").strip() == "1":
                    members.setdefault(column[len(_PREFIX) :].upper(), set()).add(code)
    return {index: frozenset(codes) for index, codes in members.items()}


@cache
def default_membership() -> dict[str, frozenset[str]]:
    return load_membership()


def capped_weights(caps: np.ndarray, limit: float = MAX_WEIGHT) -> np.ndarray:
    """Weights proportional to ``caps``, none above ``limit`` (unless too few members for it)."""
    weights = caps / caps.sum()
    if limit * len(caps) <= 1.0:
        return weights
    for _ in range(len(caps)):
        over = weights > limit
        if not over.any():
            break
        excess = float((weights[over] - limit).sum())
        weights[over] = limit
        free = ~over & (weights < limit)
        weights[free] += excess * weights[free] / weights[free].sum()
    return weights


class IndexSet:
    """The universe's indices: members (rows) and their fixed basket quantities."""

    def __init__(
        self,
        symbols: Sequence[str],
        infos: Mapping[str, SymbolInfo],
        anchor_milli: Sequence[int],
        members: Mapping[str, Iterable[str]],
    ) -> None:
        row = {s: i for i, s in enumerate(symbols)}
        self.rows: list[int] = []
        self.base: dict[int, int] = {}
        self.members: dict[int, np.ndarray] = {}
        self.quantities: dict[int, np.ndarray] = {}
        for code in symbols:
            info = infos[code]
            if not info.is_index:
                continue
            i = row[code]
            self.rows.append(i)
            self.base[i] = int(info.approx_price * 1000)
            rows = np.array(
                sorted(row[m] for m in members.get(code, ()) if m in row and not infos[m].is_index),
                dtype=np.int64,
            )
            self.members[i] = rows
            if len(rows):
                anchor = np.array([anchor_milli[r] for r in rows], dtype=np.float64)
                caps = np.array([static_facts(infos[symbols[r]]).total_shares for r in rows]) * anchor
                self.quantities[i] = self.base[i] * capped_weights(caps) / anchor
            else:
                self.quantities[i] = np.zeros(0)

    def level(self, index_row: int, prices: np.ndarray) -> int:
        """The level (milli, whole hundredths of a point) for member prices given per universe row."""
        return int(self.levels(index_row, prices[self.members[index_row]][:, None])[0])

    def levels(self, index_row: int, member_prices: np.ndarray) -> np.ndarray:
        """Levels for a ``(members, k)`` array of member prices, one per column.

        The basket is summed member by member in a fixed order, so one column gives the same
        level bit for bit as it does among many (a previous close equals the closing print).
        """
        quantities = self.quantities[index_row]
        if not len(quantities):
            return np.full(member_prices.shape[1], self.base[index_row], dtype=np.int64)
        total = np.zeros(member_prices.shape[1])
        for q, prices in zip(quantities, member_prices.astype(np.float64), strict=True):
            total += q * prices
        return np.round(total / 10.0).astype(np.int64) * 10
