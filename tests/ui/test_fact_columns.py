"""The market cap, P/E and dividend yield cells: exact figures from the last price and the
provider's reference data, compact texts, numeric sort keys, empty for an index or without
facts, and a tooltip that says where the figures come from, or why there are none."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from hkdesk.app.fundamentals import Missing
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.static_info import StaticInfo
from hkdesk.domain.symbols import default_universe
from hkdesk.domain.types import Tick
from hkdesk.ui.watchlist_model import SORT_ROLE, WatchlistModel
from hkdesk.ui.watchlist_rows import FACT_COLUMNS, Col

FETCHED = datetime(2026, 11, 30, 9, 12, tzinfo=HK_TZ).timestamp()
TENCENT = StaticInfo(
    "700.HK",
    total_shares=Decimal("9100000000"),
    eps_ttm=Decimal("20.5"),
    dividend_yield=Decimal("1.2345"),
    fetched_at=FETCHED,
)
#: A loss: no P/E.
LOSS = StaticInfo(
    "9988.HK", total_shares=Decimal("19000000000"), eps_ttm=Decimal("-1.20"), fetched_at=FETCHED
)
LAST = Decimal("385.6")


def model_with(symbols: list[str], shown=FACT_COLUMNS) -> tuple[WatchlistModel, QuoteHub]:
    hub = QuoteHub()
    model = WatchlistModel(hub, default_universe())
    model.set_symbols(symbols)
    model.set_shown_optional(shown)
    ts = int(FETCHED * 1000)
    hub.apply_ticks(
        [
            Tick("700.HK", 1, ts, LAST, Decimal(100)),
            Tick("9988.HK", 1, ts, Decimal("80.15"), Decimal(100)),
            Tick("HSI", 1, ts, Decimal("25000.5"), Decimal(0)),
        ]
    )
    model.apply_frame(hub.take_dirty())
    return model, hub


def test_the_figures_are_exact_from_the_last_price_and_the_facts(qapp) -> None:
    model, hub = model_with(["700.HK", "9988.HK", "HSI", "5.HK"])

    def cell(sym: str, col: Col, role=None):
        index = model.index(model.row_of(sym), col)
        return index.data() if role is None else index.data(role)

    assert cell("700.HK", Col.MARKET_CAP) == "–", "no facts read yet"
    model.set_facts({"700.HK": TENCENT, "9988.HK": LOSS, "HSI": TENCENT})
    cap = LAST * TENCENT.total_shares
    assert cap == Decimal("3508960000000.0") == TENCENT.market_cap(LAST)
    assert cell("700.HK", Col.MARKET_CAP) == "3.51T"
    assert cell("700.HK", Col.MARKET_CAP, SORT_ROLE) == float(cap)
    pe = LAST / TENCENT.eps_ttm  # 18.809756…
    assert cell("700.HK", Col.PE) == "18.81" and cell("700.HK", Col.PE, SORT_ROLE) == float(pe)
    assert cell("700.HK", Col.DIV_YIELD) == "1.23%"
    assert cell("700.HK", Col.DIV_YIELD, SORT_ROLE) == float(Decimal("1.2345"))
    # a loss has a market cap but no P/E; no dividend yield given: none shown
    assert cell("9988.HK", Col.MARKET_CAP) == "1.52T"  # 80.15 × 19e9 = 1.52285e12
    assert cell("9988.HK", Col.PE) == "–" and cell("9988.HK", Col.PE, SORT_ROLE) == float("-inf")
    assert cell("9988.HK", Col.DIV_YIELD) == "–"
    # an index, and a code without facts: empty, sorted last
    for sym in ("HSI", "5.HK"):
        for col in FACT_COLUMNS:
            assert cell(sym, col) == "–" and cell(sym, col, SORT_ROLE) == float("-inf"), (sym, col)

    # a new last price moves market cap and P/E
    hub.apply_ticks([Tick("700.HK", 2, int(FETCHED * 1000) + 1000, Decimal("400"), Decimal(100))])
    model.apply_frame(hub.take_dirty())
    assert cell("700.HK", Col.MARKET_CAP) == "3.64T" and cell("700.HK", Col.PE) == "19.51"

    # where the figures come from, or why there are none
    tip = cell("700.HK", Col.MARKET_CAP, 3)  # ToolTipRole
    assert tip.startswith("From the provider's reference data, fetched 09:12 (2026-11-30)\n")
    assert (
        cell("700.HK", Col.DIV_YIELD, 3) == "From the provider's reference data, fetched 09:12 (2026-11-30)"
    )
    assert cell("HSI", Col.PE, 3).startswith("An index has no market cap")
    assert cell("5.HK", Col.PE, 3).startswith("The provider's reference data is being read")
    model.set_facts_missing({"5.HK": Missing.NO_PROVIDER})
    assert cell("5.HK", Col.PE, 3).startswith("No reference data: this source has no provider")


def test_hidden_columns_are_not_computed(qapp) -> None:
    model, _ = model_with(["700.HK"], shown={Col.PE})
    model.set_facts({"700.HK": TENCENT})
    row = model.index(0, Col.PE)
    assert row.data() == "18.81"
    assert model.index(0, Col.MARKET_CAP).data() == "–" and model.index(0, Col.DIV_YIELD).data() == "–"


def test_the_dividend_yield_shows_before_the_first_trade(qapp) -> None:
    hub = QuoteHub()
    model = WatchlistModel(hub, default_universe())
    model.set_symbols(["700.HK"])
    model.set_shown_optional(FACT_COLUMNS)
    model.set_facts({"700.HK": TENCENT})
    assert model.index(0, Col.DIV_YIELD).data() == "1.23%"
    assert model.index(0, Col.MARKET_CAP).data() == "–", "no last price, no market cap"
    # another source: its facts are read again
    model.clear_facts()
    assert model.index(0, Col.DIV_YIELD).data() == "–" and not model.facts
