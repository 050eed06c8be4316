"""The watchlist model with synthetic ticks: coalesced dataChanged, flashes, colours, sorting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from support.clock import FakeClock

from hkdesk.domain.quotes import QuoteHub, hk_day
from hkdesk.domain.symbols import default_universe
from hkdesk.domain.types import Bar, Tick
from hkdesk.ui.colours import make_palette
from hkdesk.ui.watchlist_model import (
    FLASH_SECONDS,
    QUOTE_ROLES,
    SORT_ROLE,
    Col,
    WatchlistModel,
    contiguous_ranges,
)
from hkdesk.ui.watchlist_proxy import WatchlistProxy

SYMS = ["700.HK", "5.HK", "9988.HK", "1299.HK", "388.HK", "3690.HK"]
DISPLAY = Qt.ItemDataRole.DisplayRole


class Seq:
    def __init__(self) -> None:
        self.n = 0

    def tick(self, sym: str, price: str, volume: int = 100, ts: int = 1_764_207_000_000) -> Tick:
        self.n += 1
        return Tick(symbol=sym, seq=self.n, ts=ts + self.n, price=Decimal(price), volume=Decimal(volume))


@pytest.fixture
def setup(qapp):
    hub = QuoteHub()
    clock = FakeClock()
    model = WatchlistModel(hub, default_universe(), make_palette("hk", "dark"), clock=clock)
    model.set_symbols(SYMS)
    events: list[tuple[int, int, int, int, list]] = []
    resets: list[str] = []
    model.dataChanged.connect(
        lambda a, b, roles: events.append((a.row(), b.row(), a.column(), b.column(), list(roles)))
    )
    model.modelAboutToBeReset.connect(lambda: resets.append("reset"))
    return hub, model, clock, events, resets


def test_contiguous_ranges() -> None:
    assert contiguous_ranges({7, 1, 2, 3, 9, 10}) == [(1, 3), (7, 7), (9, 10)]
    assert contiguous_ranges([]) == []


def test_only_changed_visible_rows_are_emitted_and_never_reset(setup) -> None:
    hub, model, _clock, events, resets = setup
    s = Seq()
    hub.apply_ticks(
        [s.tick("700.HK", "400"), s.tick("5.HK", "60"), s.tick("9988.HK", "80"), s.tick("388.HK", "300")]
    )
    # rows 0,1,2 changed and visible, row 4 changed but scrolled out, rows 3 and 5 unchanged
    emitted = model.apply_frame(hub.take_dirty(), visible={0, 1, 2, 3})
    assert emitted == 1
    assert events == [(0, 2, 0, len(Col) - 1, QUOTE_ROLES)]
    assert resets == []
    # the off-screen row is still formatted correctly when it is finally painted
    assert model.data(model.index(4, Col.LAST), DISPLAY) == "300.000"
    events.clear()
    assert model.apply_frame(hub.take_dirty(), visible={0, 1, 2, 3}) == 0
    assert events == []


def test_contiguous_runs_are_split(setup) -> None:
    hub, model, _clock, events, _ = setup
    s = Seq()
    hub.apply_ticks([s.tick("700.HK", "400"), s.tick("1299.HK", "70"), s.tick("388.HK", "300")])
    model.apply_frame(hub.take_dirty(), visible=None)
    assert [(a, b) for a, b, *_ in events] == [(0, 0), (3, 4)]


def test_flash_fades_and_is_reemitted_only_while_live(setup) -> None:
    hub, model, clock, events, _ = setup
    s = Seq()
    hub.apply_ticks([s.tick("700.HK", "400")])
    model.apply_frame(hub.take_dirty())
    assert (
        model.data(model.index(0, Col.LAST), Qt.ItemDataRole.BackgroundRole) is None
    )  # first trade: no move
    hub.apply_ticks([s.tick("700.HK", "400.2")])
    model.apply_frame(hub.take_dirty())
    up = make_palette("hk", "dark").up
    fresh = model.data(model.index(0, Col.LAST), Qt.ItemDataRole.BackgroundRole)
    assert fresh is not None and fresh.color().rgb() == up.rgb()
    clock.now += FLASH_SECONDS / 2
    events.clear()
    model.apply_frame(set())
    assert events == [(0, 0, Col.LAST, Col.LAST, [Qt.ItemDataRole.BackgroundRole])]
    half = model.data(model.index(0, Col.LAST), Qt.ItemDataRole.BackgroundRole)
    assert half.color().alpha() < fresh.color().alpha()
    clock.now += FLASH_SECONDS
    model.apply_frame(set())
    assert model.data(model.index(0, Col.LAST), Qt.ItemDataRole.BackgroundRole) is None
    events.clear()
    model.apply_frame(set())
    assert events == [] and model.flashing_rows() == set()
    hub.apply_ticks([s.tick("700.HK", "399.8")])
    model.apply_frame(hub.take_dirty())
    down = model.data(model.index(0, Col.LAST), Qt.ItemDataRole.BackgroundRole)
    assert down.color().rgb() == make_palette("hk", "dark").down.rgb()


@pytest.mark.parametrize("convention", ["hk", "mainland"])
def test_colours_follow_the_convention_and_arrows_repeat_them(setup, convention) -> None:
    hub, model, _clock, _events, _ = setup
    palette = make_palette(convention, "dark")
    model.set_palette(palette)
    hub.set_previous_close("700.HK", Decimal("400"))
    hub.set_previous_close("5.HK", Decimal("60"))
    s = Seq()
    hub.apply_ticks([s.tick("700.HK", "410"), s.tick("5.HK", "59.5")])
    model.apply_frame(hub.take_dirty())
    fg = Qt.ItemDataRole.ForegroundRole
    up_brush = model.data(model.index(0, Col.CHANGE), fg)
    down_brush = model.data(model.index(1, Col.CHANGE), fg)
    green, red = make_palette("hk", "dark").up.rgb(), make_palette("hk", "dark").down.rgb()
    expected_up = green if convention == "hk" else red
    assert up_brush.color().rgb() == expected_up
    assert down_brush.color().rgb() == (red if convention == "hk" else green)
    assert model.data(model.index(0, Col.CHANGE), DISPLAY) == "▲10.000"
    assert model.data(model.index(0, Col.CHANGE_PCT), DISPLAY) == "▲2.50%"
    assert model.data(model.index(1, Col.CHANGE), DISPLAY) == "▼0.500"


def test_formats_codes_names_amounts(setup) -> None:
    hub, model, _clock, _events, _ = setup
    s = Seq()
    hub.set_whole_day("700.HK", hk_day(1_764_207_000_000))  # streamed since before the open
    hub.apply_ticks([s.tick("700.HK", "400.2", volume=1_234_500)])
    model.apply_frame(hub.take_dirty())
    row = [model.data(model.index(0, c), DISPLAY) for c in Col]
    assert row[Col.CODE] == "00700"
    assert row[Col.NAME] == "TENCENT" and row[Col.NAME_ZH] == "騰訊控股"
    assert row[Col.VOLUME] == "1.23M"
    assert row[Col.TURNOVER] == "494.05M"
    align = model.data(model.index(0, Col.LAST), Qt.ItemDataRole.TextAlignmentRole)
    assert align & int(Qt.AlignmentFlag.AlignRight)


def test_sorting_is_on_demand_and_numeric(setup) -> None:
    hub, model, _clock, _events, _ = setup
    proxy = WatchlistProxy()
    proxy.setSourceModel(model)
    s = Seq()
    prices = {
        "700.HK": "400",
        "5.HK": "60",
        "9988.HK": "80",
        "1299.HK": "9.5",
        "388.HK": "300",
        "3690.HK": "100",
    }
    hub.apply_ticks([s.tick(k, v) for k, v in prices.items()])
    model.apply_frame(hub.take_dirty())
    proxy.sort(Col.LAST, Qt.SortOrder.DescendingOrder)
    order = [proxy.index(r, Col.CODE).data() for r in range(proxy.rowCount())]
    assert order == ["00700", "00388", "03690", "09988", "00005", "01299"]
    # a new price does not reshuffle rows until the next resort
    hub.apply_ticks([s.tick("1299.HK", "999")])
    model.apply_frame(hub.take_dirty())
    assert proxy.index(5, Col.CODE).data() == "01299"
    proxy.resort()
    assert proxy.index(0, Col.CODE).data() == "01299"
    assert isinstance(model.data(model.index(0, Col.LAST), SORT_ROLE), float)


def test_filter_matches_code_and_names(setup) -> None:
    _hub, model, *_ = setup
    proxy = WatchlistProxy()
    proxy.setSourceModel(model)
    proxy.set_filter_text("騰訊")
    assert proxy.rowCount() == 1
    proxy.set_filter_text("hsbc")
    assert proxy.index(0, Col.CODE).data() == "00005"
    proxy.set_filter_text("")
    assert proxy.rowCount() == len(SYMS)


def test_add_and_remove_rows_keep_flashes_aligned(setup) -> None:
    hub, model, _clock, _events, resets = setup
    s = Seq()
    hub.apply_ticks([s.tick("388.HK", "300"), s.tick("388.HK", "301")])
    model.apply_frame(hub.take_dirty())
    assert model.flashing_rows() == {4}
    assert model.remove_symbol("5.HK")
    assert model.flashing_rows() == {3}
    assert model.add_symbol("2318.HK") and not model.add_symbol("2318.HK")
    assert model.symbols()[-1] == "2318.HK"
    assert resets == []


def test_only_the_cells_that_changed_are_repainted(setup) -> None:
    """After a row has been shown, a trade repaints just the cells whose text or colour moved:
    never the code and names, and not the high when the price stays below it."""
    hub, model, _clock, events, _ = setup
    s = Seq()
    hub.apply_ticks([s.tick("700.HK", "400"), s.tick("5.HK", "60"), s.tick("9988.HK", "80")])
    model.apply_frame(hub.take_dirty())
    events.clear()
    hub.apply_ticks([s.tick("700.HK", "399", volume=300), s.tick("5.HK", "59", volume=300)])
    emitted = model.apply_frame(hub.take_dirty())
    cells = {(row, col) for a, b, c0, c1, _ in events for row in range(a, b + 1) for col in range(c0, c1 + 1)}
    assert all(roles == QUOTE_ROLES for *_, roles in events)
    for row in (0, 1):
        assert {(row, c) for c in (Col.LAST, Col.VOLUME, Col.TURNOVER, Col.LOW)} <= cells
        assert not {(row, c) for c in (Col.CODE, Col.NAME, Col.NAME_ZH, Col.HIGH, Col.BID)} & cells
    assert not any(row == 2 for row, _ in cells), "an unchanged row is not repainted"
    # rows 0 and 1 changed the same columns: one emission per column run covers both rows
    assert emitted == len(events) == len({(c0, c1) for _, _, c0, c1, _ in events})
    assert all((a, b) == (0, 1) for a, b, *_ in events)
    assert model.data(model.index(0, Col.LAST), DISPLAY) == "399.000"


def test_a_row_that_changed_off_screen_is_repainted_whole_when_it_changes_on_screen(setup) -> None:
    hub, model, _clock, events, _ = setup
    s = Seq()
    hub.apply_ticks([s.tick("388.HK", "300")])
    model.apply_frame(hub.take_dirty(), visible={0, 1})  # row 4 is off screen: left stale
    assert events == []
    hub.apply_ticks([s.tick("388.HK", "300")])
    model.apply_frame(hub.take_dirty(), visible={4})
    assert events == [(4, 4, 0, len(Col) - 1, QUOTE_ROLES)]


def test_following_a_list_keeps_rows_unless_the_order_changed(qapp) -> None:
    from hkdesk.domain.quotes import QuoteHub
    from hkdesk.domain.symbols import default_universe
    from hkdesk.ui.colours import make_palette
    from hkdesk.ui.watchlist_model import WatchlistModel

    model = WatchlistModel(QuoteHub(), default_universe(), make_palette("hk", "dark"))
    model.set_symbols(["700.HK", "5.HK", "9988.HK"])
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.sync_symbols(["700.HK", "9988.HK", "1.HK"])
    assert model.symbols() == ["700.HK", "9988.HK", "1.HK"] and not resets
    model.sync_symbols(["1.HK", "700.HK"])
    assert model.symbols() == ["1.HK", "700.HK"] and len(resets) == 1


def test_a_day_known_only_from_the_first_trade_seen_says_so(setup) -> None:
    """Started at 14:30 with no word of the day before (no session bar, no desk record): the
    volume, turnover and high are at least, the low at most what the row shows, the open, VWAP
    and range are not shown, and the tooltip says from when the figures count. The provider's
    day so far makes them whole."""
    hub, model, _clock, _events, _ = setup
    model.set_shown_optional({Col.OPEN, Col.VWAP, Col.AMPLITUDE})
    hub.set_previous_close("700.HK", Decimal("400"))
    at_1430 = 1_764_225_000_000  # 2025-11-27 14:30 in Hong Kong
    hub.apply_ticks([Seq().tick("700.HK", "401.2", volume=1_000, ts=at_1430)])
    model.apply_frame(hub.take_dirty())

    def cells() -> dict[int, str]:
        return {c: model.data(model.index(0, c), DISPLAY) for c in Col}

    row = cells()
    assert (row[Col.VOLUME], row[Col.HIGH], row[Col.LOW]) == ("≥1.00K", "≥401.200", "≤401.200")
    assert row[Col.TURNOVER].startswith("≥") and row[Col.LAST] == "401.200"
    assert row[Col.OPEN] == row[Col.VWAP] == row[Col.AMPLITUDE] == "–"
    tip = model.data(model.index(0, Col.VOLUME), Qt.ItemDataRole.ToolTipRole)
    assert "from 14:30 only" in tip
    assert "count the trades" not in model.data(model.index(0, Col.LAST), Qt.ItemDataRole.ToolTipRole)
    midnight = at_1430 - 14 * 3_600_000 - 1_800_000
    day = Bar("700.HK", midnight, 86_400, *[Decimal("401.2")] * 4, Decimal(9000), Decimal(0))
    assert hub.apply_session_bar("700.HK", day)
    model.apply_frame(hub.take_dirty())
    assert cells()[Col.VOLUME] == "9.00K" and cells()[Col.OPEN] == "401.200"
