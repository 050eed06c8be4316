"""Indicators drawn on the candles: moving averages and Bollinger bands over the prices, MACD and
RSI in panes of their own beneath the volume.

The values are computed exactly over the stored bars of the chart's interval
(:mod:`hkdesk.app.indicator_series`, on the history worker thread) and converted to floats only
to be drawn, each at the middle of its bar like the candles. They are read again when the symbol
or the interval changes and every few seconds while candles are shown, so the forming bar's
values follow the market. The intraday line has no indicators.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer

from hkdesk.app.indicator_series import IndicatorSeries, indicator_series
from hkdesk.i18n import QT_TRANSLATE_NOOP
from hkdesk.ui.chart import INTERVALS, INTRADAY, ChartPanel
from hkdesk.ui.chart_axes import TimeAxis
from hkdesk.ui.colours import Palette

log = logging.getLogger(__name__)

#: Indicator names (setting values) and their menu labels.
INDICATORS = {
    "ma": QT_TRANSLATE_NOOP("Indicators", "Moving averages (20, 50)"),
    "bollinger": QT_TRANSLATE_NOOP("Indicators", "Bollinger bands (20, 2σ)"),
    "macd": QT_TRANSLATE_NOOP("Indicators", "MACD (12, 26, 9)"),
    "rsi": QT_TRANSLATE_NOOP("Indicators", "RSI (14)"),
}
#: Which drawn series each indicator owns (keys of IndicatorSeries.lines).
OWNS = {
    "ma": ("ma20", "ma50"),
    "bollinger": ("boll_up", "boll_mid", "boll_low"),
    "macd": ("macd", "macd_signal"),
    "rsi": ("rsi",),
}
_COLOURS = {
    "ma20": "#e3b341",
    "ma50": "#a371f7",
    "boll_up": "#56d4dd",
    "boll_mid": "#56d4dd",
    "boll_low": "#56d4dd",
    "macd": "#58a6ff",
    "macd_signal": "#f0883e",
    "rsi": "#d2a8ff",
}
REFRESH_MS = 5000
PANE_HEIGHT = 110

#: ``read(query, *args)``: ``query(engine, *args)`` on the history worker (``MarketService.read``).
Reader = Callable[..., Awaitable[IndicatorSeries | None]]


def _floats(values) -> np.ndarray:
    return np.array([math.nan if v is None else float(v) for v in values], dtype=float)


class IndicatorOverlay(QObject):
    def __init__(self, chart: ChartPanel, read: Reader, active: set[str], palette: Palette) -> None:
        super().__init__(chart)
        self.chart = chart
        self._read = read
        self.active = set(active) & set(INDICATORS)
        self.series: IndicatorSeries | None = None
        self._task: asyncio.Task[None] | None = None
        price = chart.price_plot
        self.curves: dict[str, pg.PlotDataItem] = {}
        for key in ("ma20", "ma50", "boll_up", "boll_mid", "boll_low"):
            self.curves[key] = self._curve(price, key, dashed=key == "boll_mid")
        self.macd_plot = self._pane()
        self.rsi_plot = self._pane()
        for key in ("macd", "macd_signal"):
            self.curves[key] = self._curve(self.macd_plot, key)
        self.histogram = pg.BarGraphItem(x=[], height=[], width=1, pen=pg.mkPen(None), brush="#6e7681")
        self.macd_plot.addItem(self.histogram)
        self.curves["rsi"] = self._curve(self.rsi_plot, "rsi")
        self.rsi_levels = [pg.InfiniteLine(pos=v, angle=0, movable=False) for v in (30, 70)]
        for line in self.rsi_levels:
            self.rsi_plot.addItem(line, ignoreBounds=True)
        self.rsi_plot.setYRange(0, 100, padding=0.05)
        self.rsi_plot.setMouseEnabled(x=True, y=False)
        self.macd_plot.setMouseEnabled(x=True, y=False)
        self._panes_shown: set[str] = set()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.reload)
        self._timer.start(REFRESH_MS)
        chart.interval_changed.connect(lambda _: self.reload())
        self.set_palette(palette)
        self._apply_visibility()

    def _curve(self, plot: pg.PlotItem, key: str, dashed: bool = False) -> pg.PlotDataItem:
        style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
        curve = pg.PlotDataItem([], [], pen=pg.mkPen(_COLOURS[key], width=1, style=style), connect="finite")
        curve.setZValue(2)
        # over the prices the candles set the range; a pane ranges over its own lines
        plot.addItem(curve, ignoreBounds=plot is self.chart.price_plot)
        return curve

    def _pane(self) -> pg.PlotItem:
        plot = pg.PlotItem(axisItems={"bottom": TimeAxis()})
        plot.setXLink(self.chart.price_plot)
        plot.showGrid(x=True, y=True, alpha=1.0)
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.showAxis("right")
        plot.hideAxis("left")
        plot.getAxis("right").setWidth(64)
        plot.getAxis("bottom").setStyle(showValues=False)
        plot.setMaximumHeight(PANE_HEIGHT)
        return plot

    # ------------------------------------------------------------ choices
    def set_active(self, names: set[str]) -> None:
        self.active = set(names) & set(INDICATORS)
        self._apply_visibility()
        self.reload()

    def candles_shown(self) -> bool:
        return self.chart.mode != INTRADAY and self.chart.symbol is not None

    def _apply_visibility(self) -> None:
        shown = self.candles_shown()
        for name, keys in OWNS.items():
            for key in keys:
                self.curves[key].setVisible(shown and name in self.active)
        self.histogram.setVisible(shown and "macd" in self.active)
        layout = self.chart.canvas.ci
        for name, plot, row in (("macd", self.macd_plot, 2), ("rsi", self.rsi_plot, 3)):
            want = shown and name in self.active
            if want and name not in self._panes_shown:
                layout.addItem(plot, row=row, col=0)
                self._panes_shown.add(name)
            elif not want and name in self._panes_shown:
                layout.removeItem(plot)
                self._panes_shown.discard(name)

    def set_palette(self, palette: Palette) -> None:
        c = palette.chart
        for plot in (self.macd_plot, self.rsi_plot):
            for name in ("right", "bottom"):
                axis = plot.getAxis(name)
                axis.setTextPen(c.text)
                axis.setPen(c.text)
                axis.setTickPen(pg.mkPen(c.grid, width=1))
                axis.setStyle(tickAlpha=255, maxTickLevel=1)
        for line in self.rsi_levels:
            line.setPen(pg.mkPen(c.previous_close, width=1, style=Qt.PenStyle.DotLine))

    # ------------------------------------------------------------ data
    def symbol_shown(self) -> None:
        """The chart shows another symbol: yesterday's lines go at once, the new ones follow."""
        self.series = None
        self._draw()
        self.reload()

    def reload(self) -> None:
        self._apply_visibility()
        if not self.active or not self.candles_shown():
            return
        if self._task is not None and not self._task.done():
            return
        self._task = asyncio.ensure_future(self._load(self.chart.symbol, INTERVALS[self.chart.mode]))

    async def _load(self, symbol: str | None, interval_s: int) -> None:
        n = self.chart.ticks.n
        last = self.chart.axis.to_time(float(self.chart.ticks.t[n - 1])) if n else time.time()
        end_ms = int((math.floor(last / interval_s) + 1) * interval_s * 1000)
        try:
            series = await self._read(indicator_series, symbol, interval_s, end_ms)
        except Exception as exc:  # a database without bars yet, or unreadable: nothing drawn
            log.info("indicators for %s unavailable: %s", symbol, exc)
            return
        if series is None or symbol != self.chart.symbol or interval_s != INTERVALS[self.chart.mode]:
            return
        self.series = series
        self._draw()

    def x(self) -> np.ndarray:
        """The middles of the series' bars on the chart's axis (the lunch hour squeezed out)."""
        s = self.series
        if s is None:
            return np.zeros(0)
        return self.chart.axis.to_x(np.array(s.starts, dtype=float) / 1000) + s.interval_s / 2

    def _draw(self) -> None:
        s = self.series
        x = self.x()
        for key, curve in self.curves.items():
            if s is None or not len(x):
                curve.setData([], [])
            else:
                curve.setData(x, _floats(s.lines[key]))
        if s is None or not len(x):
            self.histogram.setOpts(x=[], height=[])
        else:
            self.histogram.setOpts(
                x=x, height=np.nan_to_num(_floats(s.lines["macd_hist"])), width=s.interval_s * 0.7
            )


def indicator_label(name: str) -> str:
    return QCoreApplication.translate("Indicators", INDICATORS[name])
