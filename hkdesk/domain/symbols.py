"""Hong Kong symbols: normalising what users type, and the shipped universe.

AllTick writes HK codes as the exchange number without leading zeros plus ``.HK``
(``700.HK``); users type ``700``, ``00700``, ``0700.HK``, ``HK.00700`` or a name.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

INDEX_CODES = ("HSI", "HSCEI", "HSTECH")

_NUMERIC = re.compile(r"^(?:HK[.:]?)?0*(\d{1,5})(?:\.HK)?$", re.IGNORECASE)
_INDEX = re.compile(r"^(HSI|HSCEI|HSTECH)(?:\.HK)?$", re.IGNORECASE)


class SymbolError(ValueError):
    """Raised for input that is not a Hong Kong code."""


def normalise(text: str) -> str:
    """Return the canonical wire code for user input, e.g. ``"00700"`` -> ``"700.HK"``."""
    raw = text.strip().replace(" ", "")
    m = _NUMERIC.match(raw)
    if m and int(m.group(1)) > 0:
        return f"{int(m.group(1))}.HK"
    m = _INDEX.match(raw)
    if m:
        return m.group(1).upper()
    raise SymbolError(f"not a Hong Kong code: {text!r}")


def try_normalise(text: str) -> str | None:
    try:
        return normalise(text)
    except SymbolError:
        return None


def parse_symbol_list(text: str | None) -> tuple[list[str], list[str]]:
    """A comma-separated list as typed (``--symbols 700,5,9988``): the codes, in order and without
    repeats, and the parts that are not Hong Kong codes (the caller says whether that is fatal)."""
    codes: list[str] = []
    bad: list[str] = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        code = try_normalise(part)
        if code is None:
            bad.append(part.strip())
        elif code not in codes:
            codes.append(code)
    return codes, bad


def display_code(symbol: str) -> str:
    """Five-digit display form (``700.HK`` -> ``00700``); indices unchanged."""
    if symbol.endswith(".HK"):
        return symbol[:-3].zfill(5)
    return symbol


@dataclass(frozen=True, slots=True)
class SymbolInfo:
    symbol: str
    name_en: str
    name_zh: str
    lot_size: int
    approx_price: Decimal
    sector: str
    in_hsi: bool
    is_index: bool = False
    #: Simplified Chinese name (AllTick's ``name_cn``); empty when the symbols file has none.
    name_zh_hans: str = ""

    @property
    def display_code(self) -> str:
        return display_code(self.symbol)


_INDICES = (
    SymbolInfo("HSI", "HANG SENG INDEX", "恒生指數", 0, Decimal("26500"), "Index", False, True, "恒生指数"),
    SymbolInfo("HSCEI", "HS CHINA ENT", "國企指數", 0, Decimal("9400"), "Index", False, True, "国企指数"),
    SymbolInfo(
        "HSTECH", "HS TECH INDEX", "恒生科技指數", 0, Decimal("5800"), "Index", False, True, "恒生科技指数"
    ),
)


def default_symbols_file() -> Path:
    return Path(str(resources.files("hkdesk.resources").joinpath("hk-symbols.csv")))


def load_universe(path: Path | None = None, *, with_indices: bool = True) -> dict[str, SymbolInfo]:
    """Read a symbols CSV (``code,name_en,name_zh,lot_size,approx_price``, optional ``name_zh_hans``,
    ``sector``, ``in_hsi``; other columns, such as further index memberships, are left to their users).

    Raises ``ValueError`` naming the file and line for a malformed row.
    """
    path = path or default_symbols_file()
    out: dict[str, SymbolInfo] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        required = {"code", "name_en", "name_zh", "lot_size", "approx_price"}
        missing = required - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        for lineno, row in enumerate(reader, start=2):
            try:
                symbol = normalise(row["code"])
                lot = int(row["lot_size"])
                price = Decimal(row["approx_price"])
                if lot <= 0 or not price.is_finite() or price <= 0:
                    raise ValueError("lot size and price must be positive")
            except (ValueError, ArithmeticError) as exc:
                raise ValueError(f"{path}:{lineno}: {exc}") from exc
            out[symbol] = SymbolInfo(
                symbol=symbol,
                name_en=row["name_en"].strip(),
                name_zh=row["name_zh"].strip(),
                lot_size=lot,
                approx_price=price,
                sector=(row.get("sector") or "").strip(),
                in_hsi=(row.get("in_hsi") or "0").strip() == "1",
                name_zh_hans=(row.get("name_zh_hans") or "").strip(),
            )
    if with_indices:
        for info in _INDICES:
            out.setdefault(info.symbol, info)
    return out


@cache
def default_universe() -> dict[str, SymbolInfo]:
    return load_universe()


def _starts(name: str, prefix: str) -> bool:
    return bool(name) and name.startswith(prefix)


def search(query: str, universe: Iterable[SymbolInfo], limit: int = 20) -> list[SymbolInfo]:
    """Find symbols by code (any typed form), English or Chinese name; best matches first."""
    q = query.strip()
    if not q:
        return []
    items = list(universe)
    code = try_normalise(q)
    ranked: list[tuple[int, str, SymbolInfo]] = []
    ql = q.lower()
    digits = ql.removeprefix("hk.").removesuffix(".hk").lstrip("0")
    digits = digits if digits.isdigit() else ""
    for info in items:
        if code is not None and info.symbol == code:
            rank = 0
        elif digits and info.symbol.startswith(digits) and not info.is_index:
            rank = 1
        elif (
            info.name_en.lower().startswith(ql) or info.name_zh.startswith(q) or _starts(info.name_zh_hans, q)
        ):
            rank = 2
        elif (
            ql in info.name_en.lower() or q in info.name_zh or (info.name_zh_hans and q in info.name_zh_hans)
        ):
            rank = 3
        else:
            continue
        ranked.append((rank, info.symbol, info))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in ranked[:limit]]
