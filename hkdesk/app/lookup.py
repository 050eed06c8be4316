"""Codes outside the shipped list: looked up with the provider's ``/static_info`` and kept.

A code found gets its names and board lot from the provider and is stored in the database, so the
next start knows it without asking; a code the provider does not know is refused in words. With
no HTTP client (a shared desk) the code is taken as typed: the feed then says whether it knows it.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Engine

from hkdesk.domain.static_info import StaticInfo
from hkdesk.domain.symbols import SymbolInfo
from hkdesk.feed.http import HttpError, QuoteHttp
from hkdesk.store.history import known_symbols
from hkdesk.store.writer import BatchWriter


@dataclass(frozen=True)
class Lookup:
    """What the provider said of a code: its facts, or that it does not know it (``unknown``),
    or nothing (``problem``: the lookup itself failed)."""

    info: SymbolInfo | None = None
    unknown: bool = False
    problem: str = ""


def symbol_info(facts: StaticInfo) -> SymbolInfo:
    """The watchlist's record of a looked-up code (the provider gives simplified Chinese only)."""
    return SymbolInfo(
        symbol=facts.symbol,
        name_en=facts.name_en,
        name_zh=facts.name_cn,
        lot_size=facts.lot_size,
        approx_price=Decimal(0),
        sector="",
        in_hsi=False,
        name_zh_hans=facts.name_cn,
    )


async def look_up(code: str, http: QuoteHttp | None, writer: BatchWriter | None) -> Lookup:
    if http is None:
        return Lookup(problem="no lookup on this source")
    try:
        answer = await http.static_info([code])
    except HttpError as exc:
        return Lookup(problem=str(exc))
    if code in answer.unknown:
        return Lookup(unknown=True)
    facts = answer.found.get(code)
    if facts is None:
        return Lookup(problem="no answer for this code")
    if writer is not None:
        writer.put_symbol_info([facts])
    return Lookup(info=symbol_info(facts))


async def stored_symbols(engine: Engine | None, executor: Executor) -> dict[str, SymbolInfo]:
    """Codes looked up in earlier runs, as watchlist records."""
    if engine is None:
        return {}
    try:
        facts = await asyncio.get_running_loop().run_in_executor(executor, known_symbols, engine)
    except Exception:
        return {}
    return {code: symbol_info(f) for code, f in facts.items()}
