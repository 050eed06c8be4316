from __future__ import annotations

from decimal import Decimal

import pytest

from hkdesk.domain.symbols import (
    SymbolError,
    default_universe,
    display_code,
    load_universe,
    normalise,
    search,
)


@pytest.mark.parametrize(
    "typed",
    ["700", "00700", "0700", "0700.HK", "00700.HK", "700.HK", "700.hk", " 00700 ", "HK.00700", "HK00700"],
)
def test_every_typed_form_of_tencent_normalises_to_the_wire_code(typed: str) -> None:
    assert normalise(typed) == "700.HK"


@pytest.mark.parametrize("typed", ["", "abc", "0", "00000", "123456", "700.US", "7 0 0x"])
def test_non_hong_kong_input_is_rejected_with_a_clear_error(typed: str) -> None:
    with pytest.raises(SymbolError, match="not a Hong Kong code"):
        normalise(typed)


def test_indices_keep_their_names() -> None:
    assert normalise("hsi") == "HSI"
    assert normalise("HSTECH.HK") == "HSTECH"


def test_display_code_pads_to_five_digits() -> None:
    assert display_code("5.HK") == "00005"
    assert display_code("9988.HK") == "09988"
    assert display_code("HSI") == "HSI"


def test_shipped_universe_has_the_csv_rows_and_the_three_indices() -> None:
    u = default_universe()
    assert len(u) == 93
    tencent = u["700.HK"]
    assert (tencent.name_en, tencent.name_zh, tencent.lot_size) == ("TENCENT", "騰訊控股", 100)
    assert {"HSI", "HSCEI", "HSTECH"} <= set(u)
    assert all(info.is_index for s, info in u.items() if s in ("HSI", "HSCEI", "HSTECH"))


@pytest.mark.parametrize("query", ["700", "00700", "0700.HK", "tencent", "TENCENT", "騰訊", "騰訊控股"])
def test_search_finds_tencent_first_by_code_or_either_name(query: str) -> None:
    hits = search(query, default_universe().values())
    assert hits and hits[0].symbol == "700.HK"


def test_search_by_code_prefix_and_unknown_query() -> None:
    hits = [h.symbol for h in search("998", default_universe().values())]
    assert "9988.HK" in hits
    assert search("zzzz-no-such", default_universe().values()) == []


def test_malformed_symbols_file_names_the_line(tmp_path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "code,name_en,name_zh,lot_size,approx_price\n00700,TENCENT,騰訊,100,550\n00005,HSBC,滙豐,-1,100\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"s\.csv:3"):
        load_universe(path)


def test_symbols_file_with_missing_columns_is_refused(tmp_path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("code,name\n00700,TENCENT\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns"):
        load_universe(path)


def test_loaded_prices_are_exact_decimals(tmp_path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("code,name_en,name_zh,lot_size,approx_price\n1,CKH,長和,500,52.15\n", encoding="utf-8")
    info = load_universe(path, with_indices=False)["1.HK"]
    assert info.approx_price == Decimal("52.15")


def test_simplified_names_are_found_too() -> None:
    from hkdesk.domain.symbols import default_universe, search

    found = search("腾讯", default_universe().values())
    assert found and found[0].symbol == "700.HK"
