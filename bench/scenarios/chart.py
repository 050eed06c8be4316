"""Chart: frame time while panning a full day of ticks and 10,000 candles, offscreen.

Each frame moves the x range by a step and renders the widget (``grab()`` paints it
synchronously), so the time per frame is what a user dragging the chart waits for.

* Ticks: the app's ``ChartPanel`` (clip to view, peak downsampling, pen width 1) vs a plain
  pyqtgraph plot of the same series (price, VWAP and per-minute volume) with neither.
* Candles: the app's vectorised candles (two ``BarGraphItem`` bodies and one ``connect="pairs"``
  wick curve) vs the usual hand-drawn item that records every bar into a ``QPicture`` once and
  replays it on each paint.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPicture
from PySide6.QtWidgets import QWidget

from bench.report import Result
from bench.scenarios.window import qt_app
from hkdesk.ui.chart import ChartPanel
from hkdesk.ui.chart_data import aggregate

DAY_START = 1_764_207_000.0  # a 09:30 HKT open, epoch seconds
SIZE = (1200, 700)


def day_of_ticks(n: int, seconds: float = 5.5 * 3600) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    t = DAY_START + np.sort(rng.uniform(0, seconds, n))
    price = np.round(400 * np.exp(np.cumsum(rng.normal(0, 0.0004, n))), 1)
    volume = rng.integers(1, 30, n) * 100.0
    return t, price, volume


def minute_ticks(bars: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Four trades a minute for ``bars`` minutes: ``bars`` one-minute candles."""
    n = bars * 4
    rng = np.random.default_rng(12)
    t = DAY_START + np.arange(n) * 15.0
    price = np.round(400 * np.exp(np.cumsum(rng.normal(0, 0.001, n))), 1)
    volume = rng.integers(1, 30, n) * 100.0
    return t, price, volume


def pan_frames(
    widget: QWidget, set_range: Callable[[float, float], None], lo: float, span: float, steps: int
):
    """Milliseconds per frame: move the x range by 1/50 of its span, then render the widget."""
    widget.resize(*SIZE)
    widget.show()
    set_range(lo, lo + span)
    widget.grab()  # the first paint builds caches: not a panning frame
    times = []
    step = span / 50
    for i in range(1, steps + 1):
        started = time.perf_counter()
        x = lo + i * step
        set_range(x, x + span)
        widget.grab()
        times.append((time.perf_counter() - started) * 1000)
    widget.hide()
    return times


# ------------------------------------------------------------------ baselines
def plain_line_chart(
    t: np.ndarray, price: np.ndarray, volume: np.ndarray
) -> tuple[pg.GraphicsLayoutWidget, pg.PlotItem]:
    """Price and VWAP lines over per-minute volume, every point drawn on every frame."""
    w = pg.GraphicsLayoutWidget()
    top = w.addPlot(row=0, col=0)
    bottom = w.addPlot(row=1, col=0)
    bottom.setXLink(top)
    vwap = np.cumsum(price * volume) / np.cumsum(volume)
    top.addItem(pg.PlotDataItem(t, price, pen=pg.mkPen("#58a6ff", width=1)))
    top.addItem(pg.PlotDataItem(t, vwap, pen=pg.mkPen("#d29922", width=1)))
    bars = aggregate(t, price, volume, 60)
    bottom.addItem(pg.BarGraphItem(x=bars[:, 0] + 30, height=bars[:, 5], width=42, brush="#3fb950"))
    return w, top


class PictureCandles(pg.GraphicsObject):
    """Candles painted one by one into a ``QPicture`` when the data is set, replayed per paint."""

    def __init__(self, bars: np.ndarray, interval_s: float) -> None:
        super().__init__()
        self.picture = QPicture()
        painter = QPainter(self.picture)
        half = interval_s * 0.35
        up, down = QColor("#3fb950"), QColor("#f85149")
        for start, o, h, lo, c, _v in bars:
            x = start + interval_s / 2
            colour = up if c >= o else down
            painter.setPen(pg.mkPen(colour))
            painter.drawLine(QPointF(x, lo), QPointF(x, h))
            painter.setBrush(pg.mkBrush(colour))
            painter.drawRect(QRectF(x - half, o, 2 * half, c - o))
        painter.end()

    def paint(self, painter: QPainter, *args) -> None:
        self.picture.play(painter)

    def boundingRect(self) -> QRectF:
        return QRectF(self.picture.boundingRect())


# ------------------------------------------------------------------ scenario
def _ms(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), float(np.percentile(values, 95))


def tick_rows(n: int, steps: int) -> Result:
    t, price, volume = day_of_ticks(n)
    span = 2 * 3600.0  # two hours of the day on screen, panned from the open onwards
    started = time.perf_counter()
    plain, top = plain_line_chart(t, price, volume)
    plain_build = (time.perf_counter() - started) * 1000
    base = pan_frames(plain, lambda a, b: top.setXRange(a, b, padding=0), t[0], span, steps)
    started = time.perf_counter()
    panel = ChartPanel()
    panel.set_symbol("700.HK", "00700 TENCENT")
    panel.load(t, price, volume)
    panel.redraw(force=True)
    ours_build = (time.perf_counter() - started) * 1000
    panel.follow = False
    ours = pan_frames(panel, lambda a, b: panel.price_plot.setXRange(a, b, padding=0), t[0], span, steps)
    whole_plain = pan_frames(plain, lambda a, b: top.setXRange(a, b, padding=0), t[0], t[-1] - t[0], 5)
    whole_ours = pan_frames(
        panel, lambda a, b: panel.price_plot.setXRange(a, b, padding=0), t[0], t[-1] - t[0], 5
    )
    for w in (plain, panel):
        w.deleteLater()
    return Result(
        name=f"chart pan: a day of {n:,} ticks (2 h on screen)",
        unit="ms/frame",
        baseline=_ms(base)[0],
        hkdesk=_ms(ours)[0],
        baseline_label="plain PlotDataItem",
        lower_is_better=True,
        extra={
            "plain_p95_ms": _ms(base)[1],
            "hkdesk_p95_ms": _ms(ours)[1],
            "plain_whole_day_ms": _ms(whole_plain)[0],
            "hkdesk_whole_day_ms": _ms(whole_ours)[0],
            "plain_build_ms": plain_build,
            "hkdesk_load_ms": ours_build,
            "frames": steps,
        },
    )


def candle_rows(bars: int, steps: int) -> Result:
    t, price, volume = minute_ticks(bars)
    ohlc = aggregate(t, price, volume, 60)
    span = 300 * 60.0  # 300 candles on screen
    started = time.perf_counter()
    plain = pg.PlotWidget()
    plain.addItem(PictureCandles(ohlc, 60))
    plain_build = (time.perf_counter() - started) * 1000
    base = pan_frames(plain, lambda a, b: plain.setXRange(a, b, padding=0), t[0], span, steps)
    started = time.perf_counter()
    panel = ChartPanel()
    panel.set_symbol("700.HK", "00700 TENCENT")
    panel.set_mode("1m")
    panel.load(t, price, volume)
    panel.redraw(force=True)
    ours_build = (time.perf_counter() - started) * 1000
    panel.follow = False
    ours = pan_frames(panel, lambda a, b: panel.price_plot.setXRange(a, b, padding=0), t[0], span, steps)
    candles = panel.bars.n + (panel.bars.forming is not None)
    for w in (plain, panel):
        w.deleteLater()
    return Result(
        name=f"chart pan: {candles:,} candles (300 on screen)",
        unit="ms/frame",
        baseline=_ms(base)[0],
        hkdesk=_ms(ours)[0],
        baseline_label="QPicture candles",
        lower_is_better=True,
        extra={
            "picture_p95_ms": _ms(base)[1],
            "hkdesk_p95_ms": _ms(ours)[1],
            "picture_build_ms": plain_build,
            "hkdesk_load_ms": ours_build,
            "hkdesk_has_volume_pane": True,
            "frames": steps,
        },
    )


def run(quick: bool) -> list[Result]:
    qt_app()
    steps = 10 if quick else 150
    return [tick_rows(100_000 if quick else 200_000, steps), candle_rows(10_000, steps)]
