"""The chart panel: intraday line (price, VWAP, previous close) or candles, volume beneath.

Data lives in NumPy buffers (:mod:`hkdesk.ui.chart_data`); the frame timer appends new
trades and calls :meth:`ChartPanel.redraw`, which skips frames when the last redraw was
expensive (a time budget), so a burst cannot starve the event loop. With no trades to draw the
plots give way to a note (axes over nothing would show 1970 and a price range of 0 to 1).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hkdesk.domain import formatting as fmt
from hkdesk.i18n import QT_TRANSLATE_NOOP
from hkdesk.ui.candles import CandleGroup, VolumeGroup
from hkdesk.ui.chart_axes import TimeAxis, VolumeAxis
from hkdesk.ui.chart_crosshair import Crosshair
from hkdesk.ui.chart_data import BarSeries, TickBuffer
from hkdesk.ui.chart_time import LunchAxis
from hkdesk.ui.colours import Palette, make_palette
from hkdesk.ui.freshness_badge import FreshnessBadge

INTRADAY = "Intraday"
INTERVALS: dict[str, int] = {INTRADAY: 60, "1m": 60, "5m": 300, "15m": 900, "1h": 3600, "1d": 86400}
#: The interval buttons' labels: minutes (m), an hour (h), a day (d). The keys are setting values.
INTERVAL_LABELS = {
    INTRADAY: QT_TRANSLATE_NOOP("ChartPanel", "Intraday"),
    "1m": QT_TRANSLATE_NOOP("ChartPanel", "1m"),
    "5m": QT_TRANSLATE_NOOP("ChartPanel", "5m"),
    "15m": QT_TRANSLATE_NOOP("ChartPanel", "15m"),
    "1h": QT_TRANSLATE_NOOP("ChartPanel", "1h"),
    "1d": QT_TRANSLATE_NOOP("ChartPanel", "1d"),
}
VISIBLE_BARS = 120
MIN_VISIBLE_BARS = 40
INTRADAY_STEP_S = 600
MIN_FRAME_S = 1 / 30
#: The least a chart's title (code and names) is given before it is cut.
TITLE_MIN_WIDTH = 60
PLOTS, NOTE = 0, 1

pg.setConfigOptions(antialias=False, background=None)


class ChartPanel(QWidget):
    interval_changed = Signal(str)

    def __init__(self, palette: Palette | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("chartPanel")
        self._palette = palette or make_palette()
        self.symbol: str | None = None
        self._is_index = False
        self.mode = INTRADAY
        self.ticks = TickBuffer()
        self.bars = BarSeries(INTERVALS[INTRADAY])
        #: Daily candles of the days before today (start, O, H, L, C, V), for the 1d view.
        self.past_days = np.zeros((0, 6))
        self.prev_close: float | None = None
        #: The x where the day's view begins when it is before the first point (a hole at the open).
        self.day_start_x: float | None = None
        self.follow = True
        self._x_range: tuple[float, float] | None = None
        self._dirty = True
        self._history_dirty = True
        self._next_draw = 0.0
        self.draw_count = 0
        self.last_draw_ms = 0.0

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        bar.setSpacing(2)
        self.title = QLabel("–", objectName="chartTitle")
        # a long name (whole in the tooltip) and the OHLC readout are cut rather than holding a
        # chart, and a chart window's splitter, at the width of its whole toolbar
        self.title.setMinimumWidth(TITLE_MIN_WIDTH)
        bar.addWidget(self.title)
        self.freshness = FreshnessBadge()
        bar.addWidget(self.freshness)
        bar.addSpacing(12)
        self._buttons = QButtonGroup(self)
        self._buttons.setExclusive(True)
        self.interval_buttons: dict[str, QToolButton] = {}
        for name, label in INTERVAL_LABELS.items():
            b = QToolButton(
                text=QCoreApplication.translate("ChartPanel", label),
                checkable=True,
                objectName="intervalButton",
            )
            b.setChecked(name == self.mode)
            b.clicked.connect(lambda _=False, n=name: self.set_mode(n))
            self._buttons.addButton(b)
            self.interval_buttons[name] = b
            bar.addWidget(b)
        bar.addSpacing(12)
        self.readout = QLabel("", objectName="chartReadout")
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(self.readout, 1)
        self.live_button = QToolButton(text=self.tr("Live ⇥"), checkable=True, objectName="liveButton")
        self.live_button.setChecked(True)
        self.live_button.setToolTip(self.tr("Follow the live edge (pan or zoom to stop following)"))
        self.live_button.toggled.connect(self._set_follow)
        bar.addWidget(self.live_button)

        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.ci.setContentsMargins(2, 2, 2, 2)
        self.canvas.ci.setSpacing(0)
        self.axis = LunchAxis()
        time_of = self.axis.to_time
        self.price_plot: pg.PlotItem = self.canvas.addPlot(
            row=0, col=0, axisItems={"bottom": TimeAxis(to_time=time_of)}
        )
        self.volume_plot: pg.PlotItem = self.canvas.addPlot(
            row=1, col=0, axisItems={"bottom": TimeAxis(to_time=time_of), "right": VolumeAxis("right")}
        )
        self.canvas.ci.layout.setRowStretchFactor(0, 4)
        self.canvas.ci.layout.setRowStretchFactor(1, 1)
        self.volume_plot.setXLink(self.price_plot)
        self.price_plot.getAxis("bottom").setStyle(showValues=False)
        for plot in (self.price_plot, self.volume_plot):
            plot.showGrid(x=True, y=True, alpha=1.0)
            plot.hideButtons()
            plot.setMenuEnabled(False)
            plot.showAxis("right")
            plot.hideAxis("left")
            plot.getAxis("right").setWidth(64)
            for name in ("right", "bottom"):  # grid lines under candle bodies and volume bars:
                plot.getAxis(name).setZValue(-200)  # below the view box (pyqtgraph puts it at -100)
        self.volume_plot.setMaximumHeight(140)
        self.volume_plot.getAxis("right").setStyle(showValues=True)
        self.volume_plot.setMouseEnabled(x=True, y=False)

        self.price_curve = self.price_plot.plot([], [])
        self.vwap_curve = self.price_plot.plot([], [])
        for item in (self.price_curve, self.vwap_curve):
            item.setSkipFiniteCheck(True)
        self.price_plot.setClipToView(True)
        self.price_plot.setDownsampling(auto=True, mode="peak")
        # the previous close is a reference the eye looks for: drawn above the curves and the grid,
        # named on the line's inner side (no edge cuts it; the grid is under the data: set_palette)
        self.prev_line = pg.InfiniteLine(
            angle=0,
            movable=False,
            label=self.tr("Prev close") + " {value:.3f}",
            labelOpts={"position": 0.02, "anchors": [(0, 0), (0, 1)]},
        )
        self.prev_line.setZValue(20)
        self.prev_line.setVisible(False)
        self.price_plot.addItem(self.prev_line)  # in the price range: change is read against it
        self.candles = CandleGroup(self.price_plot, self._palette.up, self._palette.down)
        self.forming = CandleGroup(self.price_plot, self._palette.up, self._palette.down, z=1)
        self.volumes = VolumeGroup(self.volume_plot, self._palette.up, self._palette.down)
        self.forming_volume = VolumeGroup(self.volume_plot, self._palette.up, self._palette.down)
        self.price_plot.getViewBox().setAutoVisible(y=True)
        self.volume_plot.getViewBox().setAutoVisible(y=True)
        self.price_plot.getViewBox().sigRangeChangedManually.connect(self._user_moved)
        self.volume_plot.getViewBox().sigRangeChangedManually.connect(self._user_moved)

        self.crosshair = Crosshair(
            self.canvas, self.price_plot, self.volume_plot, self.readout, self.readout_at
        )
        self._no_symbol = self.tr("Select a symbol to chart")
        self._no_trades = self.tr("No trades yet today")
        self.note = QLabel(self._no_symbol, objectName="chartNote")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack = QStackedLayout()
        self._stack.insertWidget(PLOTS, self.canvas)
        self._stack.insertWidget(NOTE, self.note)
        self._stack.setCurrentIndex(NOTE)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(bar)
        lay.addLayout(self._stack, 1)
        self._apply_mode_visibility()
        self.set_palette(self._palette)

    # ------------------------------------------------------------ inputs
    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        for g in (self.candles, self.forming, self.volumes, self.forming_volume):
            g.set_colours(palette.up, palette.down)
        c = palette.chart
        self.canvas.setBackground(c.background)
        for plot in (self.price_plot, self.volume_plot):
            for name in ("right", "bottom"):
                axis = plot.getAxis(name)
                axis.setTextPen(c.text)
                axis.setPen(c.text)
                axis.setTickPen(pg.mkPen(c.grid, width=1))
                axis.setStyle(tickAlpha=255, maxTickLevel=1)
        self.price_curve.setPen(pg.mkPen(c.price, width=1))
        self.vwap_curve.setPen(pg.mkPen(c.vwap, width=1, style=Qt.PenStyle.DashLine))
        self.prev_line.setPen(pg.mkPen(c.previous_close, width=1, style=Qt.PenStyle.DashLine))
        self.prev_line.label.setColor(c.previous_close)
        self.crosshair.set_colour(c.crosshair)
        self._history_dirty = self._dirty = True

    def set_symbol(self, symbol: str | None, title: str = "", *, is_index: bool = False) -> None:
        self._x_range = None
        self.symbol = symbol
        self._is_index = is_index
        self.title.setText(title or (symbol or "–"))
        self.title.setToolTip(self.title.text())
        self.ticks.clear()
        self.prev_close = None
        self.bars.load(np.zeros(0), np.zeros(0), np.zeros(0))
        self.past_days = np.zeros((0, 6))
        self.day_start_x = None
        self.follow = True
        self.live_button.setChecked(True)
        self.crosshair.hide()
        self._show_plots()
        self._history_dirty = self._dirty = True

    def set_previous_close(self, value: float | None) -> None:
        self.prev_close = value
        self._dirty = True

    def load(
        self, t: np.ndarray, price: np.ndarray, volume: np.ndarray, turnover: np.ndarray | None = None
    ) -> None:
        """Replace the series with loaded history (epoch seconds, time-ordered; ``turnover`` per
        point where it is not price x volume, e.g. a provider's minute drawn as four points)."""
        self.ticks.clear()
        if len(t):
            self.axis.set_day(fmt.hk_time(int(t[-1] * 1000)).date())
        self.ticks.extend(self.axis.to_x(t), price, volume, turnover)
        self._load_bars()

    def set_past_days(self, rows: np.ndarray) -> None:
        """Daily candles before today: the 1d view shows them ahead of today's."""
        self.past_days = rows
        if INTERVALS[self.mode] >= 86_400:
            self._load_bars()

    def _load_bars(self) -> None:
        n = self.ticks.n
        before = self.past_days if self.bars.interval_s >= 86_400 else None
        self.bars.load(self.ticks.t[:n], self.ticks.price[:n], self.ticks.volume[:n], before)
        self._history_dirty = self._dirty = True

    def append(self, trades: Sequence[tuple[float, float, float]]) -> None:
        """New live trades (epoch seconds, price, volume), oldest first; drawn on the next frame."""
        x_of = self.axis.x_of
        for t, p, v in trades:
            x = x_of(t)
            self.ticks.append(x, p, v)
            if self.bars.add(x, p, v):
                self._history_dirty = True
        if trades:
            self._dirty = True

    def set_mode(self, mode: str) -> None:
        if mode not in INTERVALS:
            raise ValueError(f"unknown chart interval {mode!r}")
        self.mode = mode
        self._x_range = None
        self.interval_buttons[mode].setChecked(True)
        self.bars = BarSeries(INTERVALS[mode])
        self._load_bars()
        self.follow = True
        self.live_button.setChecked(True)
        self._apply_mode_visibility()
        self._history_dirty = self._dirty = True
        self.redraw(force=True)
        self.interval_changed.emit(mode)

    # ------------------------------------------------------------ drawing
    def redraw(self, *, force: bool = False) -> bool:
        """Redraw if something changed and the frame budget allows; True if it drew."""
        now = time.perf_counter()
        if not self._dirty or (not force and now < self._next_draw):
            return False
        started = now
        n = self.ticks.n
        iv = self.bars.interval_s
        self._show_plots()
        if self.mode == INTRADAY:
            t = self.ticks.t[:n]
            self.price_curve.setData(t, self.ticks.price[:n])
            self.vwap_curve.setData(t, self.ticks.vwap[:n])
        else:
            if self._history_dirty:
                self.candles.set_bars(self.bars.closed[: self.bars.n], iv)
            forming = self.bars.forming
            self.forming.set_bars(forming[None, :] if forming is not None else np.zeros((0, 6)), iv)
        if self._history_dirty:
            self.volumes.set_bars(self.bars.closed[: self.bars.n], iv)
        forming = self.bars.forming
        self.forming_volume.set_bars(forming[None, :] if forming is not None else np.zeros((0, 6)), iv)
        if self.prev_close is not None:
            self.prev_line.setVisible(INTERVALS[self.mode] < 86_400)
            self.prev_line.setPos(self.prev_close)  # after: a hidden line's label is not rewritten
        else:
            self.prev_line.setVisible(False)
        if self.follow:
            self._scroll_to_live_edge()
        self._history_dirty = self._dirty = False
        cost = time.perf_counter() - started
        self.last_draw_ms = cost * 1000
        # budget: never spend more than about a third of the time drawing the chart
        self._next_draw = time.perf_counter() + max(MIN_FRAME_S, 2 * cost)
        self.draw_count += 1
        return True

    def _scroll_to_live_edge(self) -> None:
        """Keep the live edge in view, moving the x range in steps (a whole bar, or ten minutes
        of intraday) rather than per tick: every change of range repaints both axes."""
        n = self.ticks.n
        if n == 0:
            return
        iv = self.bars.interval_s
        last = float(self.ticks.t[n - 1])
        start = self.day_start_x if self.day_start_x is not None and iv < 86_400 else math.inf
        if self.mode == INTRADAY:
            first = min(float(self.ticks.t[0]), start)
            lo = first - 60
            hi = max(math.ceil((last + 300) / INTRADAY_STEP_S) * INTRADAY_STEP_S, first + 3600)
        else:
            first = min(float(self.bars.closed[0, 0]) if self.bars.n else float(self.ticks.t[0]), start)
            hi = (math.floor(last / iv) + 3) * iv
            lo = max(hi - VISIBLE_BARS * iv, first - 2 * iv)
            # a young day shows its few bars at a readable width, not stretched over the window
            hi = max(hi, lo + MIN_VISIBLE_BARS * iv)
        if (lo, hi) == self._x_range:
            return
        self._x_range = (lo, hi)
        self.price_plot.setXRange(lo, hi, padding=0)
        self.price_plot.enableAutoRange(axis="y")
        self.volume_plot.enableAutoRange(axis="y")

    def _apply_mode_visibility(self) -> None:
        intraday = self.mode == INTRADAY
        self.price_curve.setVisible(intraday)
        self.vwap_curve.setVisible(intraday)
        self.candles.set_visible(not intraday)
        self.forming.set_visible(not intraday)

    def _set_follow(self, on: bool) -> None:
        self.follow = on
        self._x_range = None
        if on:
            self._dirty = True
            self.redraw(force=True)

    def _user_moved(self, *_args) -> None:
        if self.follow:
            self.follow = False
            self.live_button.blockSignals(True)
            self.live_button.setChecked(False)
            self.live_button.blockSignals(False)

    def _show_plots(self) -> None:
        """The plots while there is something to draw; a note saying why not otherwise."""
        if self.ticks.n:
            self._stack.setCurrentIndex(PLOTS)
            return
        self.note.setText(self._no_trades if self.symbol else self._no_symbol)
        self._stack.setCurrentIndex(NOTE)

    def showing_plots(self) -> bool:
        return self._stack.currentIndex() == PLOTS

    # ------------------------------------------------------------ crosshair read-out
    def readout_at(self, x: float) -> str:
        """OHLCV of the bar under the cursor (1-minute bars in intraday mode)."""
        bar = self.bars.bar_at(x)
        if bar is None:
            return ""
        ix = self._is_index
        when = fmt.hk_time(int(self.axis.to_time(bar[0]) * 1000))
        stamp = f"{when:%Y-%m-%d}" if self.bars.interval_s >= 86400 else f"{when:%H:%M}"
        p = fmt.price_text
        return self.tr("{time}   O {open}  H {high}  L {low}  C {close}  V {volume}").format(
            time=stamp,
            open=p(bar[1], is_index=ix),
            high=p(bar[2], is_index=ix),
            low=p(bar[3], is_index=ix),
            close=p(bar[4], is_index=ix),
            volume=fmt.amount_text(bar[5]),
        )
