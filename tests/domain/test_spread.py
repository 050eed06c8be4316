from datetime import date
from decimal import Decimal as D

import pytest

from hkdesk.domain.spread import (
    MAX_PRICE,
    MIN_PRICE,
    TABLE_2025_08_04,
    MilliGrid,
    Rounding,
    decimal_to_milli,
    is_on_grid,
    milli_to_decimal,
    round_to_tick,
    tick_down,
    tick_size,
    tick_up,
)

OLD_DAY = date(2025, 8, 1)
NEW_DAY = date(2025, 8, 4)

# (edge, tick at and below the edge, tick just above it) for the table in force since 4 Aug 2025
CURRENT_EDGES = [
    ("0.25", "0.001", "0.005"),
    ("0.50", "0.005", "0.01"),
    ("20", "0.01", "0.02"),
    ("50", "0.02", "0.05"),
    ("100", "0.05", "0.1"),
    ("200", "0.1", "0.2"),
    ("500", "0.2", "0.5"),
    ("1000", "0.5", "1"),
    ("2000", "1", "2"),
    ("5000", "2", "5"),
]
OLD_EDGES = [
    ("0.25", "0.001", "0.005"),
    ("0.50", "0.005", "0.01"),
    ("10", "0.01", "0.02"),
    ("20", "0.02", "0.05"),
    ("100", "0.05", "0.1"),
    ("200", "0.1", "0.2"),
]


@pytest.mark.parametrize(("edge", "below", "above"), CURRENT_EDGES)
def test_current_table_both_sides_of_each_edge(edge, below, above):
    e, b, a = D(edge), D(below), D(above)
    assert tick_size(e) == b  # "up to and including"
    assert tick_size(e - b) == b
    assert tick_size(e + a) == a
    assert tick_up(e) == e + a
    assert tick_down(e) == e - b
    assert tick_down(e + a) == e
    assert tick_up(e - b) == e
    assert is_on_grid(e) and is_on_grid(e + a) and is_on_grid(e - b)
    if a > b:
        assert not is_on_grid(e + b)  # a step of the lower band is off-grid above the edge


@pytest.mark.parametrize(("edge", "below", "above"), OLD_EDGES)
def test_old_table_edges(edge, below, above):
    e, b, a = D(edge), D(below), D(above)
    assert tick_size(e, OLD_DAY) == b
    assert tick_size(e + a, OLD_DAY) == a
    assert tick_up(e, OLD_DAY) == e + a
    assert tick_down(e + a, OLD_DAY) == e


def test_examples_from_the_brief_and_the_table_change():
    assert tick_up(D("10.00")) == D("10.01")
    assert tick_down(D("20.02")) == D("20.00")
    assert tick_size(D("15"), OLD_DAY) == D("0.02")
    assert tick_size(D("15"), NEW_DAY) == D("0.01")
    assert tick_size(D("30"), OLD_DAY) == D("0.05")
    assert tick_size(D("30"), NEW_DAY) == D("0.02")
    assert tick_size(D("30")) == D("0.02")  # default: newest table


def test_top_and_bottom_of_the_table():
    assert tick_size(MAX_PRICE) == D("5")
    assert tick_down(MAX_PRICE) == D("9990")
    assert tick_up(D("9990")) == MAX_PRICE
    assert tick_up(MIN_PRICE) == D("0.011")
    with pytest.raises(ValueError):
        tick_up(MAX_PRICE)
    with pytest.raises(ValueError):
        tick_down(MIN_PRICE)
    with pytest.raises(ValueError):
        tick_size(D("10000"))
    with pytest.raises(ValueError):
        tick_size(D("0"))
    with pytest.raises(TypeError):
        tick_size(10.0)  # type: ignore[arg-type]


def test_off_grid_prices_move_to_neighbours():
    assert tick_up(D("20.01")) == D("20.02")
    assert tick_down(D("20.01")) == D("20.00")
    assert round_to_tick(D("20.01"), Rounding.UP) == D("20.02")
    assert round_to_tick(D("20.01"), "down") == D("20.00")
    assert round_to_tick(D("100.07"), "nearest") == D("100.1")
    assert round_to_tick(D("100.03"), "nearest") == D("100.0")
    assert round_to_tick(D("100.05"), "nearest") == D("100.1")  # ties go up
    assert round_to_tick(D("551.5"), "nearest") == D("551.5")
    assert not is_on_grid(D("551.3"))
    assert not is_on_grid(D("NaN"))
    assert not is_on_grid(D("10001"))


def test_milli_grid_matches_decimal_functions_everywhere_near_edges():
    grid = MilliGrid.for_date(None)
    for upper, tick in TABLE_2025_08_04.bands[:-1]:
        for offset in (-3, -2, -1, 0, 1, 2, 3):
            price = upper + offset * tick
            m = decimal_to_milli(price)
            assert milli_to_decimal(grid.up(m)) == tick_up(price)
            assert milli_to_decimal(grid.down(m)) == tick_down(price)
            assert milli_to_decimal(grid.tick_of(m)) == tick_size(price)
    assert grid.floor(20_010) == 20_000
    assert grid.floor(20_020) == 20_020
