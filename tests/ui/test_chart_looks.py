"""The chart in either theme, with nothing to draw, under and away from the pointer, and its axes;
the depth ladder with nothing to show."""

from __future__ import annotations

import re
import time

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QColor, QEnterEvent
from PySide6.QtWidgets import QApplication
from support.visible_text import painted_texts

from hkdesk.ui.chart import INTERVALS, ChartPanel
from hkdesk.ui.chart_axes import TimeAxis
from hkdesk.ui.colours import make_palette
from hkdesk.ui.depth import DepthLadder

T0 = 1_764_812_000.0  # 2025-12-04 09:33:20 HKT


def chart_with_trades(qtbot, theme: str = "dark") -> ChartPanel:
    chart = ChartPanel(make_palette("hk", theme))
    qtbot.addWidget(chart)
    chart.resize(800, 500)
    chart.set_symbol("700.HK", "00700")
    n = 400
    t = T0 + np.arange(n) * 15.0
    chart.load(t, 500 + np.sin(np.arange(n) / 20), np.full(n, 100.0))
    chart.redraw(force=True)
    chart.show()
    QApplication.processEvents()
    return chart


def scene_point(chart: ChartPanel, i: int) -> QPointF:
    at = QPointF(float(chart.ticks.t[i]), float(chart.ticks.price[i]))
    return chart.price_plot.getViewBox().mapViewToScene(at)


def luminance(c: QColor) -> float:
    return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF()


@pytest.mark.parametrize(("theme", "light_background"), [("dark", False), ("light", True)])
def test_the_theme_reaches_the_chart(qtbot, theme: str, light_background: bool) -> None:
    chart = chart_with_trades(qtbot, "light" if theme == "dark" else "dark")
    chart.set_palette(make_palette("hk", theme))  # switched while the window is open
    chart.redraw(force=True)
    colours = make_palette("hk", theme).chart
    assert chart.price_curve.opts["pen"].color().name() == colours.price
    assert chart.prev_line.pen.color().name() == colours.previous_close
    assert chart.crosshair.vline.pen.color().name() == colours.crosshair
    image = chart.canvas.grab().toImage()
    corner = image.pixelColor(image.width() // 3, 8)
    assert (luminance(corner) > 0.9) is light_background, corner.name()


def test_an_empty_chart_shows_a_note_not_axes(qtbot) -> None:
    chart = ChartPanel()
    qtbot.addWidget(chart)
    assert not chart.showing_plots() and chart.note.text() == "Select a symbol to chart"
    chart.set_symbol("700.HK", "00700")
    assert not chart.showing_plots() and chart.note.text() == "No trades yet today"
    chart.append([(T0, 500.0, 100.0)])
    chart.redraw(force=True)
    assert chart.showing_plots()
    chart.set_symbol("5.HK", "00005")
    assert not chart.showing_plots(), "a new symbol with no trades yet shows the note again"


def test_an_empty_ladder_says_why_and_draws_no_levels(qtbot) -> None:
    ladder = DepthLadder()
    qtbot.addWidget(ladder)
    ladder.resize(280, 500)
    with painted_texts() as painted:
        ladder.grab()
    assert painted == ["Select a symbol"]
    ladder.set_symbol("700.HK")
    with painted_texts() as painted:
        ladder.grab()
    assert "A10" in painted and "Select a symbol" not in painted


def test_the_crosshair_and_its_read_out_leave_with_the_pointer(qtbot) -> None:
    chart = chart_with_trades(qtbot)
    inside = scene_point(chart, 200)
    QApplication.sendEvent(chart.canvas, QEnterEvent(QPointF(10, 10), QPointF(10, 10), QPointF(10, 10)))
    chart.canvas.scene().sigMouseMoved.emit(inside)
    qtbot.waitUntil(chart.crosshair.visible, timeout=2000)
    assert re.match(r"\d\d:\d\d   O ", chart.readout.text())

    chart.canvas.scene().sigMouseMoved.emit(
        scene_point(chart, 210)
    )  # still on its way when the pointer leaves
    QApplication.sendEvent(chart.canvas, QEvent(QEvent.Type.Leave))
    assert not chart.crosshair.visible() and chart.readout.text() == ""
    qtbot.wait(200)  # past the rate limit: the late move must not bring the crosshair back
    assert not chart.crosshair.visible() and chart.readout.text() == ""


def test_interval_buttons_follow_the_mode_whatever_their_labels(qtbot) -> None:
    chart = chart_with_trades(qtbot)
    for mode in INTERVALS:
        chart.set_mode(mode)
        checked = [name for name, b in chart.interval_buttons.items() if b.isChecked()]
        assert checked == [mode]


@pytest.mark.parametrize("days", [0.02, 0.3, 3, 40, 400, 4000])
def test_the_time_axis_writes_dates_in_figures(qtbot, days: float) -> None:
    axis = chart_with_trades(qtbot).volume_plot.getAxis("bottom")  # painted once: it knows its font
    assert isinstance(axis, TimeAxis)
    start = time.mktime((2025, 12, 4, 9, 30, 0, 0, 0, 0))
    labels = [
        label
        for spacing, values in axis.tickValues(start, start + days * 86400, 900)
        for label in axis.tickStrings(values, 1.0, spacing)
    ]
    assert labels and all(re.fullmatch(r"[\d:.\-]+", s) for s in labels), labels


def test_the_previous_close_is_drawn_above_the_grid_and_named(qapp) -> None:
    chart = ChartPanel()
    chart.set_symbol("700.HK", "00700")
    chart.load(
        np.array([1_764_207_000.0, 1_764_207_060.0]), np.array([401.0, 402.0]), np.array([100.0, 200.0])
    )
    chart.set_previous_close(400.0)
    chart.redraw(force=True)
    line = chart.prev_line
    assert line.isVisible() and line.label.toPlainText().endswith("400.000")
    grid = chart.price_plot.getAxis("bottom")
    assert line.zValue() > grid.zValue() and chart.price_plot.getViewBox().zValue() > grid.zValue()
    low, high = chart.price_plot.getViewBox().viewRange()[1]
    assert low <= 400.0 <= high, "the change is read against it: it stays in view"


@pytest.mark.parametrize("close", [412.0, 390.0], ids=["above the day", "below the day"])
def test_the_previous_close_s_name_stays_inside_the_plot_at_either_edge(qapp, close: float) -> None:
    """A previous close beyond the day's prices sits at the plot's edge: its name is written on
    the inside of the line, not cut off by the edge."""
    chart = ChartPanel()
    chart.resize(800, 400)
    chart.set_symbol("700.HK", "00700")
    chart.load(
        np.array([1_764_207_000.0, 1_764_207_060.0]), np.array([401.0, 402.0]), np.array([100.0, 200.0])
    )
    chart.set_previous_close(close)
    chart.redraw(force=True)
    chart.canvas.grab()
    label = chart.prev_line.label
    label.updatePosition()
    plot_area = chart.price_plot.getViewBox().sceneBoundingRect()
    assert plot_area.contains(label.sceneBoundingRect()), (plot_area, label.sceneBoundingRect())


def test_the_lunch_hour_is_squeezed_out_of_the_axis(qapp) -> None:
    chart = ChartPanel()
    chart.set_symbol("700.HK", "00700")
    morning_close = 1_764_216_000.0 - 1  # 2025-11-27 11:59:59 HKT
    afternoon_open = morning_close + 1 + 3600  # 13:00:00
    chart.load(np.array([morning_close, afternoon_open]), np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    gap = chart.ticks.t[1] - chart.ticks.t[0]
    assert gap == 1.0, "the afternoon follows the morning on the axis"
    assert chart.axis.to_time(float(chart.ticks.t[1])) == afternoon_open
    chart.resize(800, 400)
    chart.redraw(force=True)
    chart.canvas.grab()  # painted once: the axis has chosen its zoom level
    labels = chart.volume_plot.getAxis("bottom").tickStrings([chart.ticks.t[1]], 1, 60)
    assert labels == ["13:00"]
    assert chart.readout_at(float(chart.ticks.t[1])).startswith("13:00")


def test_a_long_name_and_readout_do_not_set_the_chart_s_least_width(qtbot) -> None:
    """A chart window's splitter cannot make the chart narrower than its least width: the title
    and the bar readout are cut (the title's tooltip has it whole) rather than holding it."""
    chart = ChartPanel()
    qtbot.addWidget(chart)
    chart.show()
    QApplication.processEvents()
    short = chart.minimumSizeHint().width()
    chart.set_symbol("9988.HK", "09988 阿里巴巴－ＳＷ ALIBABA GROUP HOLDING LIMITED")
    chart.readout.setText("2026-12-04 10:31   O 88.150  H 88.600  L 88.000  C 88.400  V 12,345,600")
    QApplication.processEvents()  # the layout is done again
    assert chart.minimumSizeHint().width() <= short + 60
    assert chart.title.toolTip() == "09988 阿里巴巴－ＳＷ ALIBABA GROUP HOLDING LIMITED"
