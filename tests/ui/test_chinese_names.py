"""Stock names in the script of the interface: simplified in 简体中文 when the symbols file has a
simplified name (``name_zh_hans``), traditional otherwise; in the watchlist, the chart title and
the search completion."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from support.offline import offline_window

from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.symbols import SymbolInfo, default_universe
from hkdesk.ui.symbol_search import entry_text
from hkdesk.ui.translations import install_translation
from hkdesk.ui.watchlist_model import Col, WatchlistModel

TENCENT = default_universe()["700.HK"]
TENCENT_HANS = dataclasses.replace(TENCENT, name_zh_hans="腾讯控股")
HSBC_NO_HANS = dataclasses.replace(default_universe()["5.HK"], name_zh_hans="")
UNIVERSE = {"700.HK": TENCENT_HANS, "5.HK": HSBC_NO_HANS}


@pytest.fixture
def language(request, qapp) -> Iterator[str]:
    install_translation(qapp, request.param)
    try:
        yield request.param
    finally:
        install_translation(qapp, "en")


def shown_names(universe: dict[str, SymbolInfo]) -> list[str]:
    model = WatchlistModel(QuoteHub(), universe)
    model.set_symbols(list(universe))
    return [model.index(r, Col.NAME_ZH).data() for r in range(model.rowCount())]


@pytest.mark.parametrize(
    ("language", "tencent"),
    [("zh_CN", "腾讯控股"), ("zh_HK", "騰訊控股"), ("en", "騰訊控股")],
    indirect=["language"],
)
def test_the_watchlist_and_the_search_name_stocks_in_the_interface_script(
    language: str, tencent: str
) -> None:
    hsbc = default_universe()["5.HK"].name_zh
    assert shown_names(UNIVERSE) == [tencent, hsbc], "HSBC has no simplified name here: traditional"
    assert entry_text(TENCENT_HANS).endswith(f"  {tencent}")


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
async def test_the_chart_title_and_window_title_use_the_simplified_name(
    qtbot, tmp_path, language: str
) -> None:
    with offline_window(tmp_path) as win:
        win.universe = {**win.universe, **UNIVERSE}
        win.select_symbol("700.HK")
        assert win.chart.title.text() == "00700  TENCENT  腾讯控股"
        assert win.windowTitle().endswith("腾讯控股")
