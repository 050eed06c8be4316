"""Calm sorting: a sorted watchlist re-sorts at most once a second, never while the mouse is over
it or within two seconds of a key press, and neither a re-sort nor a filter moves the selection
(so the linked panels never jump)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QEnterEvent, QKeyEvent
from PySide6.QtWidgets import QApplication
from support.clock import FakeClock

from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.symbols import default_universe
from hkdesk.domain.types import Tick
from hkdesk.ui.watchlist_model import Col, WatchlistModel
from hkdesk.ui.watchlist_panel import WatchlistPanel

SYMS = ["700.HK", "5.HK", "9988.HK", "1299.HK", "388.HK"]


class Board:
    def __init__(self) -> None:
        self.hub = QuoteHub()
        self.model = WatchlistModel(self.hub, default_universe())
        self.model.set_symbols(SYMS)
        self.panel = WatchlistPanel(self.model, default_universe())
        self.clock = FakeClock()
        self.panel.calm._clock = self.clock
        self.selected: list[str] = []
        self.panel.symbol_selected.connect(self.selected.append)
        self.seq = 0
        self.panel.resize(900, 400)
        self.panel.show()

    def trade(self, sym: str, price: str) -> None:
        self.seq += 1
        self.hub.apply_ticks(
            [Tick(sym, self.seq, 1_764_207_000_000 + self.seq, Decimal(price), Decimal(100))]
        )
        self.model.apply_frame(self.hub.take_dirty())

    def order(self) -> list[str]:
        px = self.panel.proxy
        return [px.index(r, Col.CODE).data() for r in range(px.rowCount())]

    def current(self) -> str | None:
        return self.panel.current_symbol()


@pytest.fixture
def board(qapp) -> Board:
    b = Board()
    for sym, price in zip(SYMS, ("400", "60", "80", "70", "300"), strict=True):
        b.trade(sym, price)
    b.panel.view.sortByColumn(Col.LAST, Qt.SortOrder.DescendingOrder)
    b.panel.select_symbol("9988.HK")
    b.selected.clear()
    return b


def enter(b: Board) -> None:
    view = b.panel.view
    QApplication.sendEvent(
        view, QEnterEvent(view.rect().center(), view.rect().center(), view.rect().center())
    )


def leave(b: Board) -> None:
    QApplication.sendEvent(b.panel.view, QEvent(QEvent.Type.Leave))


def key(b: Board, widget=None) -> None:
    press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget or b.panel.view, press)


def test_a_sorted_list_resorts_at_most_once_a_second(board: Board) -> None:
    assert board.order() == ["00700", "00388", "09988", "01299", "00005"]
    board.clock.now += 5
    board.trade("5.HK", "500")
    assert board.panel.calm.tick()
    assert board.order()[0] == "00005"
    board.trade("1299.HK", "900")
    board.clock.now += 0.5
    assert not board.panel.calm.tick(), "half a second after the last re-sort"
    assert board.order()[0] == "00005"
    board.clock.now += 0.5
    assert board.panel.calm.tick()
    assert board.order()[:2] == ["01299", "00005"]


def test_no_resort_while_the_mouse_is_over_the_list(board: Board) -> None:
    board.clock.now += 5
    board.trade("5.HK", "500")
    enter(board)
    board.clock.now += 10
    assert not board.panel.calm.tick()
    assert board.order()[0] == "00700", "the rows stay under the pointer"
    leave(board)
    assert board.panel.calm.tick()
    assert board.order()[0] == "00005"


@pytest.mark.parametrize("where", ["view", "filter", "search"])
def test_no_resort_within_two_seconds_of_a_key(board: Board, where: str) -> None:
    board.clock.now += 5
    board.trade("5.HK", "500")
    key(board, getattr(board.panel, where))
    board.clock.now += 1.9
    assert not board.panel.calm.tick()
    assert board.order()[0] == "00700"
    board.clock.now += 0.2
    assert board.panel.calm.tick()
    assert board.order()[0] == "00005"


def test_an_unsorted_list_is_never_resorted(qapp) -> None:
    b = Board()
    b.clock.now += 5
    assert not b.panel.calm.tick() and b.panel.calm.sorts == 0


def test_the_selection_and_the_panels_stay_on_their_symbol_through_a_resort(board: Board) -> None:
    assert board.current() == "9988.HK"
    row_before = board.panel.view.currentIndex().row()
    board.clock.now += 5
    board.trade("9988.HK", "999")
    assert board.panel.calm.tick()
    assert board.current() == "9988.HK", "the selection follows its symbol to its new row"
    assert board.panel.view.currentIndex().row() != row_before
    assert board.selected == [], "the linked panels were not told to change"
    # a click on a header sorts at once, and keeps the symbol too
    board.panel.view.sortByColumn(Col.CODE, Qt.SortOrder.AscendingOrder)
    assert board.current() == "9988.HK" and board.selected == []


def test_a_filter_never_moves_the_panels_to_another_symbol(board: Board) -> None:
    board.panel.filter.setText("hsbc")  # 9988 filtered out: the panels keep showing it
    assert board.order() == ["00005"]
    assert board.selected == [] and board.panel.chosen == "9988.HK"
    assert board.current() is None, "no other row is selected in its place"
    board.panel.filter.setText("")
    assert board.current() == "9988.HK" and board.selected == []
    board.panel.filter.setText("baba")
    assert board.current() == "9988.HK" and board.selected == []


def test_escape_clears_the_filter_and_the_search(board: Board) -> None:
    board.panel.filter.setText("hsbc")
    board.panel.search.setText("70")
    esc = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(board.panel.filter, esc)
    assert board.panel.filter.text() == "" and board.panel.search.text() == ""
    assert len(board.order()) == len(SYMS) and board.current() == "9988.HK"
    board.panel.search.setText("70")
    QApplication.sendEvent(
        board.panel.search, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    )
    assert board.panel.search.text() == ""
