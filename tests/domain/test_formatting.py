"""Display strings for prices, amounts, changes and times."""

from __future__ import annotations

from decimal import Decimal

from hkdesk.domain import formatting as fmt


def test_number_formats() -> None:
    assert fmt.price_text(Decimal("385.2")) == "385.200"
    assert fmt.price_text(Decimal("26543.219"), is_index=True) == "26,543.22"
    assert fmt.amount_text(Decimal(950)) == "950"
    assert fmt.amount_text(Decimal(12_345)) == "12.35K"
    assert fmt.amount_text(Decimal(3_210_000)) == "3.21M"
    assert fmt.amount_text(Decimal(4_500_000_000)) == "4.50B"
    assert fmt.amount_text(Decimal(820_400_000_000)) == "820.40B"
    assert fmt.amount_text(Decimal(3_508_960_000_000)) == "3.51T"
    assert fmt.change_text(Decimal("-0.4")) == "▼0.400"
    assert fmt.change_text(Decimal(0)) == "0.000"
    assert fmt.percent_text(Decimal("1.234")) == "▲1.23%"
    assert fmt.price_text(None) == fmt.EMPTY
    # 2026-11-27 01:30:05 UTC is 09:30:05 in Hong Kong
    assert fmt.time_text(1_795_743_005_000) == "09:30:05"
