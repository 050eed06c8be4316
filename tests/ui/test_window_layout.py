"""The window's docks: proportions at small and large sizes, titles docked and floating, floating
docks on screen, title-bar buttons that show in both themes, and a focus ring in both themes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QStyle
from support.offline import offline_window

from hkdesk.app.settings import AppSettings
from hkdesk.ui.column_shares import MIN_FACTOR
from hkdesk.ui.dock_layout import CHART_MIN_HEIGHT
from hkdesk.ui.docks import clamp_rect
from hkdesk.ui.theme import GLYPH_COLOUR, apply_theme
from hkdesk.ui.watchlist_panel import COLUMN_WIDTHS
from hkdesk.ui.watchlist_rows import Col

ROW = 21  # the watchlist's row height


def shown(win, width: int, height: int):
    win.resize(width, height)
    win.show()
    QApplication.processEvents()
    return win


def test_at_1280x720_the_chart_keeps_a_usable_height(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown(win, 1280, 720)
        assert win.chart.height() >= max(CHART_MIN_HEIGHT, 0.4 * 720)
        assert win.watchlist.view.viewport().height() >= 8 * ROW
        assert win.depth.height() >= 0.4 * 720


def test_at_2560x1440_the_watchlist_and_the_ladder_use_the_space(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown(win, 2560, 1440)
        assert win.watchlist.view.viewport().height() >= 20 * ROW
        ladder = win.depth
        assert ladder.height() >= 0.95 * ladder.sizeHint().height(), "the ladder gets the height it draws in"
        assert win.tape.height() > ladder.height(), "time & sales takes the rest of the column"
        assert win.chart.height() >= 0.4 * 1440


def test_the_watchlist_columns_share_the_width(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        view = win.watchlist.view
        columns = [c for c in range(view.model().columnCount()) if not view.isColumnHidden(c)]
        assert Col.VWAP not in columns, "the optional columns start hidden"
        for width, height in ((2560, 1440), (1280, 720)):
            shown(win, width, height)
            widths = [view.columnWidth(c) for c in columns]
            assert sum(widths) <= view.viewport().width(), "no sideways scrolling"
            assert sum(widths) >= view.viewport().width() - len(widths), "no gap at the end"
            factors = [view.columnWidth(c) / COLUMN_WIDTHS[c] for c in columns]
            assert max(factors) - min(factors) < 0.05, "every column grows (or narrows) alike"
        shown(win, 600, 720)
        assert view.columnWidth(Col.NAME) == int(COLUMN_WIDTHS[Col.NAME] * MIN_FACTOR), "then it scrolls"
        # at its narrowest the time column still shows a whole time, never "11:00:…"
        margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
        assert view.fontMetrics().horizontalAdvance("88:88:88") + margin <= view.columnWidth(Col.TIME)


def test_a_column_the_user_widens_keeps_its_width_relative_to_the_others(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        view = win.watchlist.view
        shown(win, 2560, 1440)
        view.horizontalHeader().resizeSection(Col.NAME, view.columnWidth(Col.NAME) + 200)
        ratio = view.columnWidth(Col.NAME) / view.columnWidth(Col.LAST)
        shown(win, 2000, 1440)
        assert view.columnWidth(Col.NAME) / view.columnWidth(Col.LAST) == pytest.approx(ratio, rel=0.03)


def test_a_resized_window_keeps_the_panels_shares(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown(win, 1600, 1000)
        share = win.dock_watchlist.height() / 1000
        side = win.dock_depth.width() / 1600
        shown(win, 2560, 1440)  # maximised on a large screen
        assert win.dock_watchlist.height() / 1440 == pytest.approx(share, abs=0.01)
        assert win.dock_depth.width() / 2560 == pytest.approx(side, abs=0.01)
        assert win.depth.height() <= win.depth.sizeHint().height() + 12
        shown(win, 1280, 720)
        assert win.dock_watchlist.height() / 720 == pytest.approx(share, abs=0.02)
        assert win.chart.height() >= CHART_MIN_HEIGHT


def test_a_moved_separator_is_the_new_share(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown(win, 1600, 1000)
        win.resizeDocks([win.dock_watchlist], [250], Qt.Orientation.Vertical)  # as a dragged separator does
        QApplication.processEvents()
        assert win.dock_watchlist.height() == pytest.approx(250, abs=3)
        shown(win, 1600, 2000)
        assert win.dock_watchlist.height() == pytest.approx(500, abs=8)


def test_time_and_sales_reads_right_docked_and_floating(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown(win, 1280, 720)
        dock = win.dock_tape
        assert dock.windowTitle() == "Time && Sales"  # docked: Qt shows "Time & Sales"
        dock.setFloating(True)
        assert dock.windowTitle() == "Time & Sales"  # a window title is shown as written
        assert dock.toggleViewAction().text() == "Time && Sales"
        dock.setFloating(False)
        assert dock.windowTitle() == "Time && Sales"


@pytest.mark.parametrize(
    ("rect", "expected"),
    [
        (QRect(-500, -300, 200, 100), QRect(0, 0, 200, 100)),
        (QRect(5000, 5000, 200, 100), QRect(600, 500, 200, 100)),
        (QRect(100, 100, 2000, 2000), QRect(0, 0, 800, 600)),
        (QRect(10, 20, 200, 100), QRect(10, 20, 200, 100)),
    ],
)
def test_clamp_rect(rect: QRect, expected: QRect) -> None:
    assert clamp_rect(rect, QRect(0, 0, 800, 600)) == expected


def test_a_floating_dock_saved_off_screen_opens_on_screen(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown(win, 1280, 720)
        win.dock_depth.setFloating(True)
        QApplication.processEvents()
        win.dock_depth.setGeometry(-4000, 9000, 5000, 300)  # a screen that was unplugged
        win.save_layout()
    with offline_window(tmp_path) as again:
        shown(again, 1280, 720)
        dock = again.dock_depth
        assert dock.isFloating()
        area = QGuiApplication.primaryScreen().availableGeometry()
        assert area.contains(dock.frameGeometry()), (dock.frameGeometry(), area)
        assert dock.width() <= area.width()


def test_a_dock_floated_now_lands_on_screen(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        shown(win, 1280, 720)
        win.move(-3000, -3000)
        win.dock_log.setFloating(True)
        area = QGuiApplication.primaryScreen().availableGeometry()
        qtbot.waitUntil(lambda: area.contains(win.dock_log.frameGeometry()), timeout=2000)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_dock_close_and_float_buttons_show_in_either_theme(qtbot, tmp_path, theme: str) -> None:
    AppSettings(tmp_path / "cfg").theme = theme
    app = QApplication.instance()
    apply_theme(app, theme)
    try:
        with offline_window(tmp_path) as win:
            shown(win, 1280, 720)
            buttons = win.dock_depth.findChildren(QAbstractButton)
            names = {b.objectName() for b in buttons if b.isVisible()}
            assert {"qt_dockwidget_closebutton", "qt_dockwidget_floatbutton"} <= names
            background = QColor(win.dock_depth.grab().toImage().pixel(2, 2)).lightnessF()
            glyph = QColor(GLYPH_COLOUR[theme]).lightnessF()
            for b in buttons:
                image = b.grab().toImage()
                lightness = [
                    QColor(image.pixel(x, y)).lightnessF()
                    for x in range(image.width())
                    for y in range(image.height())
                ]
                # the glyph is drawn, in a colour that stands out from the title bar
                assert min(abs(v - glyph) for v in lightness) < 0.2, b.objectName()
                assert max(abs(v - background) for v in lightness) > 0.35, b.objectName()
    finally:
        apply_theme(app, "dark")


@pytest.mark.parametrize(("theme", "ring"), [("dark", "#58a6ff"), ("light", "#0969da")])
async def test_the_focused_widget_shows_a_ring(qtbot, tmp_path, theme: str, ring: str) -> None:
    app = QApplication.instance()
    apply_theme(app, theme)
    try:
        with offline_window(tmp_path) as win:
            shown(win, 1280, 720)
            win.activateWindow()
            for widget in (win.watchlist.view, win.watchlist.search, win.chart.interval_buttons["5m"]):
                widget.setFocus()
                qtbot.waitUntil(widget.hasFocus, timeout=2000)
                image = widget.grab().toImage()
                assert QColor(image.pixel(image.width() // 2, 0)).name() == ring, widget.objectName()
            win.log_panel.setFocus()
            image = win.watchlist.view.grab().toImage()
            assert QColor(image.pixel(image.width() // 2, 0)).name() != ring, "no ring without the focus"
    finally:
        apply_theme(app, "dark")
