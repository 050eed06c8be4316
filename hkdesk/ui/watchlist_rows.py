"""One watchlist row: its columns, and its texts, colours and sort keys made from its quote.

Formatting happens once per change, in the frame (or lazily for rows off screen), never in
``data()``. A row whose figures are not live is dimmed and names its state in the Status column.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum

from PySide6.QtCore import Qt

from hkdesk.domain import formatting as fmt
from hkdesk.domain.freshness import Freshness
from hkdesk.domain.quotes import Quote
from hkdesk.domain.static_info import StaticInfo
from hkdesk.domain.symbols import SymbolInfo, display_code
from hkdesk.i18n import QT_TRANSLATE_NOOP
from hkdesk.ui.colours import Palette
from hkdesk.ui.freshness_text import badge_text
from hkdesk.ui.translations import shown_chinese_name


class Col(IntEnum):
    CODE = 0
    NAME = 1
    NAME_ZH = 2
    LAST = 3
    CHANGE = 4
    CHANGE_PCT = 5
    VOLUME = 6
    TURNOVER = 7
    BID = 8
    ASK = 9
    HIGH = 10
    LOW = 11
    TIME = 12
    STATE = 13
    BID_SIZE = 14
    ASK_SIZE = 15
    OPEN = 16
    PREV_CLOSE = 17
    VWAP = 18
    AMPLITUDE = 19
    LOT_SIZE = 20
    HIGH_52W = 21
    LOW_52W = 22
    MARKET_CAP = 23
    PE = 24
    DIV_YIELD = 25


HEADERS = (
    QT_TRANSLATE_NOOP("WatchlistModel", "Code"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Name"),
    QT_TRANSLATE_NOOP("WatchlistModel", "名稱"),  # the Chinese name, titled in Chinese in every language
    QT_TRANSLATE_NOOP("WatchlistModel", "Last"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Chg"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Chg%"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Volume"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Turnover"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Bid"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Ask"),
    QT_TRANSLATE_NOOP("WatchlistModel", "High"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Low"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Time"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Status"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Bid vol"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Ask vol"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Open"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Prev close"),
    QT_TRANSLATE_NOOP("WatchlistModel", "VWAP"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Ampl%"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Lot"),
    QT_TRANSLATE_NOOP("WatchlistModel", "52w high"),
    QT_TRANSLATE_NOOP("WatchlistModel", "52w low"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Mkt cap"),
    QT_TRANSLATE_NOOP("WatchlistModel", "P/E"),
    QT_TRANSLATE_NOOP("WatchlistModel", "Div yld%"),
)
#: Columns hidden until the user shows them (header menu); only shown ones are formatted.
OPTIONAL = frozenset(
    {
        Col.OPEN,
        Col.PREV_CLOSE,
        Col.VWAP,
        Col.AMPLITUDE,
        Col.LOT_SIZE,
        Col.HIGH_52W,
        Col.LOW_52W,
        Col.MARKET_CAP,
        Col.PE,
        Col.DIV_YIELD,
    }
)
#: Columns made from the provider's reference data (``/static_info``), read only while one is shown.
FACT_COLUMNS = frozenset({Col.MARKET_CAP, Col.PE, Col.DIV_YIELD})
#: What a column holds, where its header alone cannot say (shown as the header's tooltip).
HEADER_TIPS = {
    Col.VWAP: QT_TRANSLATE_NOOP(
        "WatchlistModel", "Volume-weighted average price of the day: turnover ÷ volume"
    ),
    Col.AMPLITUDE: QT_TRANSLATE_NOOP(
        "WatchlistModel", "The day's range, high − low, in % of the previous close"
    ),
    Col.LOT_SIZE: QT_TRANSLATE_NOOP("WatchlistModel", "Board lot: shares per trading unit"),
    Col.HIGH_52W: QT_TRANSLATE_NOOP(
        "WatchlistModel", "Highest trade of the last 52 weeks held in the database, today's included"
    ),
    Col.LOW_52W: QT_TRANSLATE_NOOP(
        "WatchlistModel", "Lowest trade of the last 52 weeks held in the database, today's included"
    ),
    Col.MARKET_CAP: QT_TRANSLATE_NOOP(
        "WatchlistModel", "Market capitalisation: last price × total shares (the provider's reference data)"
    ),
    Col.PE: QT_TRANSLATE_NOOP(
        "WatchlistModel",
        "Price/earnings: last price ÷ trailing 12-month earnings per share (the provider's reference "
        "data); empty without positive earnings",
    ),
    Col.DIV_YIELD: QT_TRANSLATE_NOOP(
        "WatchlistModel", "Dividend yield in %, from the provider's reference data"
    ),
}
NCOL = len(HEADERS)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ALIGN = tuple(_LEFT if c in (Col.CODE, Col.NAME, Col.NAME_ZH) else _RIGHT for c in Col)
_STATE_ORDER = {Freshness.LIVE: 0, Freshness.SNAPSHOT: 1, Freshness.STORED: 2, Freshness.STALE: 3}
_FIGURES = (
    Col.LAST,
    Col.CHANGE,
    Col.CHANGE_PCT,
    Col.VOLUME,
    Col.TURNOVER,
    Col.BID,
    Col.ASK,
    Col.HIGH,
    Col.LOW,
    Col.BID_SIZE,
    Col.ASK_SIZE,
    Col.OPEN,
    Col.PREV_CLOSE,
    Col.VWAP,
    Col.AMPLITUDE,
    Col.HIGH_52W,
    Col.LOW_52W,
    Col.MARKET_CAP,
    Col.PE,
)
_INF = float("inf")
_HUNDRED = Decimal(100)


@dataclass(slots=True)
class Row:
    symbol: str
    info: SymbolInfo | None
    stale: bool = True
    texts: list[str] = field(default_factory=lambda: [fmt.EMPTY] * NCOL)
    brushes: list[object] = field(default_factory=lambda: [None] * NCOL)
    keys: list[object] = field(default_factory=lambda: [None] * NCOL)
    seen_seq: int = -1
    seen_ts: int = 0
    flash_at: float = 0.0
    flash_dir: int = 0
    #: Highest and lowest price of the last 52 weeks in the database before today (None: none
    #: stored); shown only once ``year_known`` (read from the database).
    year_known: bool = False
    year_high: Decimal | None = None
    year_low: Decimal | None = None
    #: What the last alert that fired on this symbol said; empty when unmarked.
    alert: str = ""
    #: The provider's reference data (total shares, earnings, dividend yield); None until read.
    facts: StaticInfo | None = None


def format_row(r: Row, q: Quote | None, p: Palette, state: Freshness, optional: Collection[int] = ()) -> None:
    """Fill ``r``'s texts, colours and sort keys from its quote (``state``: its freshness);
    of the :data:`OPTIONAL` columns, only those in ``optional`` (the ones shown)."""
    info = r.info
    is_index = bool(info and info.is_index)
    texts = r.texts
    brushes = r.brushes
    keys = r.keys
    code = display_code(r.symbol)
    texts[Col.CODE] = code
    texts[Col.NAME] = info.name_en if info else ""
    texts[Col.NAME_ZH] = shown_chinese_name(info) if info else ""
    keys[Col.CODE] = code
    keys[Col.NAME] = texts[Col.NAME]
    keys[Col.NAME_ZH] = texts[Col.NAME_ZH]
    brushes[Col.CODE] = None
    brushes[Col.NAME] = None
    brushes[Col.NAME_ZH] = p.muted_brush
    if q is None:
        for c in range(Col.LAST, NCOL):
            texts[c] = fmt.EMPTY
            keys[c] = -_INF
            brushes[c] = None
        texts[Col.STATE] = ""
        if Col.LOT_SIZE in optional:
            _lot(r, is_index)
        if Col.DIV_YIELD in optional:
            _dividend_yield(r, is_index)
        r.stale = False
        return
    change = q.change
    sign = 0 if change is None else (1 if change > 0 else -1 if change < 0 else 0)
    signed = p.for_sign(sign)
    texts[Col.LAST] = fmt.price_text(q.last, is_index=is_index)
    texts[Col.CHANGE] = fmt.change_text(change, is_index=is_index)
    texts[Col.CHANGE_PCT] = fmt.percent_text(q.change_pct)
    texts[Col.VOLUME] = fmt.amount_text(q.volume) if q.trades else fmt.EMPTY
    texts[Col.TURNOVER] = fmt.amount_text(q.turnover) if q.trades else fmt.EMPTY
    texts[Col.BID] = fmt.price_text(q.bid, is_index=is_index)
    texts[Col.ASK] = fmt.price_text(q.ask, is_index=is_index)
    texts[Col.BID_SIZE] = fmt.amount_text(q.bid_volume)
    texts[Col.ASK_SIZE] = fmt.amount_text(q.ask_volume)
    texts[Col.HIGH] = fmt.price_text(q.high, is_index=is_index)
    texts[Col.LOW] = fmt.price_text(q.low, is_index=is_index)
    texts[Col.TIME] = fmt.time_text(q.last_ts)
    brushes[Col.LAST] = brushes[Col.CHANGE] = brushes[Col.CHANGE_PCT] = signed
    brushes[Col.VOLUME] = brushes[Col.TURNOVER] = None
    brushes[Col.BID] = brushes[Col.ASK] = brushes[Col.BID_SIZE] = brushes[Col.ASK_SIZE] = None
    brushes[Col.HIGH] = brushes[Col.LOW] = None
    brushes[Col.TIME] = p.muted_brush
    keys[Col.LAST] = _key(q.last)
    keys[Col.CHANGE] = _key(change)
    keys[Col.CHANGE_PCT] = _key(q.change_pct)
    keys[Col.VOLUME] = float(q.volume)
    keys[Col.TURNOVER] = float(q.turnover)
    keys[Col.BID] = _key(q.bid)
    keys[Col.ASK] = _key(q.ask)
    keys[Col.BID_SIZE] = _key(q.bid_volume)
    keys[Col.ASK_SIZE] = _key(q.ask_volume)
    keys[Col.HIGH] = _key(q.high)
    keys[Col.LOW] = _key(q.low)
    keys[Col.TIME] = q.last_ts
    texts[Col.STATE] = badge_text(state)
    brushes[Col.STATE] = p.badge.get(state)
    keys[Col.STATE] = _STATE_ORDER[state]
    if optional:
        _optional(r, q, is_index, optional)
    if q.part_day_since:
        _partial_day(r)
    if state is not Freshness.LIVE:
        for c in _FIGURES:
            brushes[c] = p.muted_brush
    r.stale = False


def _optional(r: Row, q: Quote, is_index: bool, shown: Collection[int]) -> None:
    texts, keys, brushes = r.texts, r.keys, r.brushes
    figures: dict[int, Decimal | None] = {}
    if Col.OPEN in shown:
        figures[Col.OPEN] = q.open
    if Col.PREV_CLOSE in shown:
        figures[Col.PREV_CLOSE] = q.prev_close
    if Col.VWAP in shown:
        figures[Col.VWAP] = q.vwap
    if Col.HIGH_52W in shown:
        figures[Col.HIGH_52W] = _extreme(max, r.year_high, q.high) if r.year_known else None
    if Col.LOW_52W in shown:
        figures[Col.LOW_52W] = _extreme(min, r.year_low, q.low) if r.year_known else None
    for c, value in figures.items():
        texts[c] = fmt.price_text(value, is_index=is_index)
        keys[c] = _key(value)
        brushes[c] = None
    if Col.AMPLITUDE in shown:
        amp = None
        if q.high is not None and q.low is not None and q.prev_close:
            amp = (q.high - q.low) * _HUNDRED / q.prev_close
        texts[Col.AMPLITUDE] = fmt.EMPTY if amp is None else f"{amp:.2f}%"
        keys[Col.AMPLITUDE] = _key(amp)
        brushes[Col.AMPLITUDE] = None
    if Col.LOT_SIZE in shown:
        _lot(r, is_index)
    if not FACT_COLUMNS.isdisjoint(shown):
        _facts(r, q.last, is_index, shown)


#: Figures of the day that count only the trades since the quote's first one when the day before
#: is not known: volume, turnover and high are at least, the low at most what they show; the
#: open, VWAP and range are not shown.
AT_LEAST = (Col.VOLUME, Col.TURNOVER, Col.HIGH)
UNKNOWN_PART_DAY = (Col.OPEN, Col.VWAP, Col.AMPLITUDE)
PART_DAY_COLUMNS = frozenset({*AT_LEAST, Col.LOW, *UNKNOWN_PART_DAY})


def _partial_day(r: Row) -> None:
    texts = r.texts
    for c in AT_LEAST:
        if texts[c] != fmt.EMPTY:
            texts[c] = "≥" + texts[c]
    if texts[Col.LOW] != fmt.EMPTY:
        texts[Col.LOW] = "≤" + texts[Col.LOW]
    for c in UNKNOWN_PART_DAY:
        texts[c] = fmt.EMPTY
        r.keys[c] = -_INF


def _lot(r: Row, is_index: bool) -> None:
    lot = r.info.lot_size if r.info is not None and not is_index else 0
    r.texts[Col.LOT_SIZE] = f"{lot:,}" if lot else fmt.EMPTY
    r.keys[Col.LOT_SIZE] = float(lot) if lot else -_INF


def _facts(r: Row, last: Decimal | None, is_index: bool, shown: Collection[int]) -> None:
    """Market cap (last × total shares, compact), P/E (last ÷ trailing EPS; none without positive
    earnings) and dividend yield, from the row's reference data; empty for an index or without it."""
    facts = None if is_index else r.facts
    texts, keys, brushes = r.texts, r.keys, r.brushes
    if Col.MARKET_CAP in shown:
        cap = facts.market_cap(last) if facts is not None and last is not None else None
        texts[Col.MARKET_CAP] = fmt.amount_text(cap) if cap else fmt.EMPTY
        keys[Col.MARKET_CAP] = _key(cap or None)
        brushes[Col.MARKET_CAP] = None
    if Col.PE in shown:
        pe = facts.pe_ratio(last) if facts is not None and last is not None else None
        texts[Col.PE] = fmt.EMPTY if pe is None else f"{pe:.2f}"
        keys[Col.PE] = _key(pe)
        brushes[Col.PE] = None
    if Col.DIV_YIELD in shown:
        _dividend_yield(r, is_index)


def _dividend_yield(r: Row, is_index: bool) -> None:
    value = r.facts.dividend_yield if r.facts is not None and not is_index else None
    r.texts[Col.DIV_YIELD] = fmt.EMPTY if value is None else f"{value:.2f}%"
    r.keys[Col.DIV_YIELD] = _key(value)
    r.brushes[Col.DIV_YIELD] = None


def _extreme(pick, stored: Decimal | None, today: Decimal | None) -> Decimal | None:
    if stored is None or today is None:
        return stored if today is None else today
    return pick(stored, today)


def _key(value) -> float:
    return -_INF if value is None else float(value)
