"""The window's tools without a feed: keys, panel shortcuts and the shortcut list, text size,
columns per list, and the context menus of rows, header, chart and time & sales."""

from __future__ import annotations

import asyncio
import re
from decimal import Decimal

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QGuiApplication, QStandardItemModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QTableView
from support.offline import offline_window

from hkdesk.app.settings import AppSettings, _key_part
from hkdesk.domain.quotes import hk_day
from hkdesk.domain.types import Tick
from hkdesk.ui.alert_dialog import AlertDialog
from hkdesk.ui.chart_window import SIDE_WIDTH, ChartWindow
from hkdesk.ui.export_dialog import ExportDialog
from hkdesk.ui.shortcuts import KEYS, PANEL_KEYS, ShortcutsDialog
from hkdesk.ui.watchlist_rows import FACT_COLUMNS, OPTIONAL, Col

SYMS = ["700.HK", "5.HK", "9988.HK", "1299.HK", "939.HK", "388.HK", "3690.HK", "1810.HK"]


def trade(win, sym: str, seq: int, price: str, volume: int = 100) -> None:
    tick = Tick(sym, seq, 1_764_207_000_000 + seq, Decimal(price), Decimal(volume))
    win.market.hub.apply_ticks([tick])
    win.on_frame()
    win.on_frame()


def actions(menu: QMenu) -> dict[str, QAction]:
    return {a.objectName(): a for a in menu.actions() if a.objectName()}


def shown_window(win):
    win.resize(1400, 900)
    win.show()
    QApplication.processEvents()
    return win


async def test_keys_move_through_the_list_and_enter_opens_a_chart_window(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown_window(win)
        view = win.watchlist.view
        win.watchlist.select_symbol("5.HK")
        QTest.keyClick(view, Qt.Key.Key_End)
        assert win.selected == SYMS[-1]
        QTest.keyClick(view, Qt.Key.Key_Home)
        assert win.selected == SYMS[0]
        QTest.keyClick(view, Qt.Key.Key_PageDown)
        assert win.selected != SYMS[0]
        QTest.keyClick(view, Qt.Key.Key_Up)
        before = win.selected
        QTest.keyClick(view, Qt.Key.Key_Return)
        windows = win.tools.charts.windows
        assert len(windows) == 1 and isinstance(windows[0], ChartWindow)
        assert windows[0].symbol == before and windows[0].chart.symbol == before
        await asyncio.sleep(0.05)  # laid out
        # the ladder and the tape get a quarter of the window (they had the chart's leftovers,
        # some 150 px, where levels, prices and the spread line ran into each other)
        ladder = windows[0].panels.depth.width()
        # minutes filled from the provider for its symbol: the window reads its day again, as the
        # main chart does (it drew a straight line across the hole it had opened with)
        loading = windows[0].panels._history_task
        win.market.filler.history_changed.emit(before)
        reloaded = windows[0].panels._history_task is not loading
        windows[0].close()
        assert reloaded
        assert ladder >= SIDE_WIDTH * 0.8
        assert win.tools.charts.windows == []


async def test_each_panel_has_a_key_and_help_lists_every_key(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown_window(win)
        found = {a.objectName(): a for a in win.actions()}
        for key, keys in PANEL_KEYS.items():
            action = found[f"goto_{key}"]
            assert action.shortcut().toString() == keys
        found["goto_alerts"].trigger()
        assert win.dock_alerts.isVisible()
        found["goto_watchlist"].trigger()
        assert win.dock_watchlist.isVisible()
        # the menus' shortcuts are in the list too, and no two actions share a key
        shortcuts = [a.shortcut().toString() for a in win.findChildren(QAction) if not a.shortcut().isEmpty()]
        assert len(shortcuts) == len(set(shortcuts)), shortcuts
        listed = {k for k, _ in KEYS}
        assert {s for s in shortcuts if s != "Ctrl+="} <= listed | {"Ctrl++"}
        help_action = win.findChild(QAction, "shortcutsAction")
        help_menu = win.findChild(QMenu, "menuHelp")
        assert help_action in help_menu.actions()
        help_action.trigger()
        dialog = win.findChild(ShortcutsDialog)
        table = dialog.table
        rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
        assert rows["Ctrl+5"] == "Go to the alerts" and rows["Home / End"].startswith("First")
        assert len(rows) == len(KEYS)
        dialog.reject()


async def test_text_size_changes_with_the_keys_and_is_remembered(qtbot, tmp_path) -> None:
    app = QApplication.instance()
    try:
        with offline_window(tmp_path) as win:
            found = {a.objectName(): a for a in win.actions()}
            found["zoomIn"].trigger()
            found["zoomIn"].trigger()
            assert win.tools.text_size.zoom == pytest.approx(1.21)
            sizes = {int(m) for m in re.findall(r"font-size:\s*(\d+)px", app.styleSheet())}
            assert 15 in sizes, "the 12 px text is 15 px now"
            assert win.watchlist.view.verticalHeader().defaultSectionSize() == round(21 * 1.21)
        assert AppSettings(tmp_path / "cfg").font_zoom == pytest.approx(1.21)
        with offline_window(tmp_path) as win:
            assert win.tools.text_size.zoom == pytest.approx(1.21)
            assert win.watchlist.view.verticalHeader().defaultSectionSize() == round(21 * 1.21)
            found = {a.objectName(): a for a in win.actions()}
            found["zoomReset"].trigger()
            assert "font-size: 12px" in app.styleSheet()
    finally:
        from hkdesk.ui.theme import apply_theme

        apply_theme(app, "dark")


async def test_columns_are_chosen_from_the_header_and_kept_per_list(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown_window(win)
        view, chooser = win.watchlist.view, win.tools.columns
        first = win.watchlists.current
        assert all(view.isColumnHidden(c) for c in OPTIONAL)
        menu = chooser.menu()
        titles = [a.text() for a in menu.actions() if a.isCheckable()]
        assert "VWAP" in titles and "Lot" in titles and "52w high" in titles
        vwap = next(a for a in menu.actions() if a.data() == Col.VWAP)
        vwap.setChecked(True)
        assert not view.isColumnHidden(Col.VWAP) and view.columnWidth(Col.VWAP) > 0
        win.market.hub.set_whole_day("700.HK", hk_day(1_764_207_000_000))  # streamed from the open
        trade(win, "700.HK", 1, "400.0", 100)
        trade(win, "700.HK", 2, "401.0", 300)
        m = win.model
        assert m.index(m.row_of("700.HK"), Col.VWAP).data() == "400.750"  # (40000 + 120300) / 400
        next(a for a in chooser.menu().actions() if a.data() == Col.BID).setChecked(False)
        assert view.isColumnHidden(Col.BID)
        # another list has its own columns; coming back brings these back
        win.watchlists.create("Banks")
        assert view.isColumnHidden(Col.VWAP) and not view.isColumnHidden(Col.BID)
        chooser.set_shown(Col.LOT_SIZE, True)
        win.watchlists.switch(first)
        assert not view.isColumnHidden(Col.VWAP) and view.isColumnHidden(Col.BID)
        assert view.isColumnHidden(Col.LOT_SIZE)
        win.watchlists.switch("Banks")
        assert not view.isColumnHidden(Col.LOT_SIZE)
        win.watchlists.rename("Big banks")
        assert not view.isColumnHidden(Col.LOT_SIZE), "a renamed list keeps its columns"
        win.watchlists.switch(first)
        actions(chooser.menu())["resetColumns"].trigger()
        assert view.isColumnHidden(Col.VWAP) and not view.isColumnHidden(Col.BID)
        chooser.set_shown(Col.AMPLITUDE, True)
        win.save_layout()
    with offline_window(tmp_path) as win:  # a restart: each list's columns come back
        view = win.watchlist.view
        assert win.watchlists.current == first
        assert not view.isColumnHidden(Col.AMPLITUDE) and view.isColumnHidden(Col.VWAP)
        win.watchlists.switch("Big banks")
        assert not view.isColumnHidden(Col.LOT_SIZE)


async def test_columns_added_since_a_list_s_layout_was_saved_start_hidden(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown_window(win)
        view, chooser, settings = win.watchlist.view, win.tools.columns, win.settings
        first = win.watchlists.current
        # a layout saved by a version whose last column was the 52-week low, VWAP shown
        old = QTableView()
        old.setModel(QStandardItemModel(1, Col.LOW_52W + 1))
        for col in OPTIONAL - {Col.VWAP}:
            if col <= Col.LOW_52W:
                old.setColumnHidden(col, True)
        state = QByteArray(old.horizontalHeader().saveState())
        settings.save_columns_state(first, state, Col.LOW_52W + 1)
        chooser.load(first)
        assert not view.isColumnHidden(Col.VWAP) and view.isColumnHidden(Col.LOT_SIZE)
        assert all(view.isColumnHidden(c) for c in FACT_COLUMNS), "unknown to that layout: hidden"
        # saved before the count was kept: the same
        settings.save_columns_state(first, state, 0)
        settings.q.remove(f"column_counts/{_key_part(first)}")
        assert settings.columns_known(first) is None
        chooser.load(first)
        assert not view.isColumnHidden(Col.VWAP)
        assert all(view.isColumnHidden(c) for c in FACT_COLUMNS)
        # once chosen and saved with today's columns, they stay
        chooser.set_shown(Col.PE, True)
        chooser.save(first)
        chooser.load(first)
        assert not view.isColumnHidden(Col.PE) and view.isColumnHidden(Col.MARKET_CAP)


async def test_the_row_menu_copies_moves_removes_and_makes_alerts(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown_window(win)
        trade(win, "5.HK", 1, "61.25", 400)
        menu = win.tools.row_menu_for("5.HK")
        assert win.selected == "5.HK", "the row right-clicked is the one selected"
        found = actions(menu)
        assert set(found) >= {"row_alert", "row_chart", "row_copy", "row_remove"}
        found["row_copy"].trigger()
        copied = QGuiApplication.clipboard().text().splitlines()
        assert copied[0].split("\t")[:3] == ["code", "name", "last"]
        assert copied[1].split("\t")[:3] == ["00005", "HSBC HOLDINGS", "61.25"]
        found["row_alert"].trigger()
        d = win.findChild(AlertDialog)
        assert d is not None and d.isVisible(), "the alert dialog opened"
        assert d.symbol.text() == "00005" and d.value.text() == "61.25", (
            "filled with the symbol and its price"
        )
        d.reject()
        found["row_chart"].trigger()
        assert win.tools.charts.windows[-1].symbol == "5.HK"
        win.tools.charts.close_all()
        win.watchlists.create("Later")
        win.watchlists.switch(win.watchlists.names()[0])
        menu = win.tools.row_menu_for("5.HK")
        move = next(m for m in menu.findChildren(QMenu) if m.objectName() == "row_move")
        next(a for a in move.actions() if a.data() == "Later").trigger()
        assert "5.HK" not in win.watchlists.symbols() and win.watchlists.symbols("Later") == ["5.HK"]
        actions(win.tools.row_menu_for("700.HK"))["row_remove"].trigger()
        assert "700.HK" not in win.watchlists.symbols()


async def test_the_time_and_sales_menu_copies_trades(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown_window(win)
        win.watchlist.select_symbol("700.HK")
        for seq, price in enumerate(("400.0", "400.2", "399.8"), 1):
            trade(win, "700.HK", seq, price)
        tape = win.tools.tape_menu
        menu = tape.menu(0)
        actions(menu)["tape_copy"].trigger()
        lines = QGuiApplication.clipboard().text().splitlines()
        assert lines[1].split("\t")[1] == "399.800", "the newest trade is the top row"
        actions(menu)["tape_copy_all"].trigger()
        lines = QGuiApplication.clipboard().text().splitlines()
        assert [line.split("\t")[1] for line in lines[1:]] == ["399.800", "400.200", "400.000"]
        assert not actions(tape.menu(-1))["tape_copy"].isEnabled()
        actions(menu)["tape_export"].trigger()
        dialog = win.findChild(ExportDialog)
        assert dialog.what.currentData() == "ticks" and dialog.symbol.text() == "00700"
        request = dialog.request()
        assert (request.what, request.symbol, request.first) == ("ticks", "700.HK", request.last)
        assert request.file_name().startswith("00700-") and request.file_name().endswith("-ticks.csv")
        dialog.reject()
