"""Candlesticks from vectorised primitives: two BarGraphItems for bodies, one pairs curve for wicks.

Rebuilding these from arrays costs a few milliseconds at 10k bars; the forming bar is a
separate one-bar group so a live tick never rebuilds history.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor


class CandleGroup:
    """Up bodies, down bodies and wicks for a block of bars, added to one plot."""

    def __init__(self, plot: pg.PlotItem, up: QColor, down: QColor, z: float = 0) -> None:
        self._up = pg.BarGraphItem(x=[], height=[], width=1, y0=[], pen=pg.mkPen(up), brush=up)
        self._down = pg.BarGraphItem(x=[], height=[], width=1, y0=[], pen=pg.mkPen(down), brush=down)
        self._wick_up = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen(up, width=1), antialias=False)
        self._wick_down = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen(down, width=1), antialias=False)
        self.items = (self._wick_up, self._wick_down, self._up, self._down)
        for item in self.items:
            item.setZValue(z)
            plot.addItem(item)

    def set_colours(self, up: QColor, down: QColor) -> None:
        self._up.setOpts(pen=pg.mkPen(up), brush=up)
        self._down.setOpts(pen=pg.mkPen(down), brush=down)
        self._wick_up.setPen(pg.mkPen(up, width=1))
        self._wick_down.setPen(pg.mkPen(down, width=1))

    def set_bars(self, bars: np.ndarray, interval_s: float) -> None:
        """``bars``: (k, 6) start, open, high, low, close, volume."""
        if len(bars) == 0:
            for body in (self._up, self._down):
                body.setOpts(x=[], height=[], y0=[])
            self._wick_up.setData([], [])
            self._wick_down.setData([], [])
            return
        x = bars[:, 0] + interval_s / 2
        o, h, lo, c = bars[:, 1], bars[:, 2], bars[:, 3], bars[:, 4]
        rising = c >= o
        width = interval_s * 0.7
        # a doji still needs a visible body: at least a hair of height
        span = float(np.nanmax(h) - np.nanmin(lo)) or 1.0
        min_h = span * 0.002
        for body, mask in ((self._up, rising), (self._down, ~rising)):
            y0 = np.minimum(o[mask], c[mask])
            height = np.maximum(np.abs(c[mask] - o[mask]), min_h)
            body.setOpts(x=x[mask], y0=y0, height=height, width=width)
        for wick, mask in ((self._wick_up, rising), (self._wick_down, ~rising)):
            wx = np.repeat(x[mask], 2)
            wy = np.empty(2 * int(mask.sum()))
            wy[0::2] = lo[mask]
            wy[1::2] = h[mask]
            wick.setData(wx, wy, connect="pairs")

    def set_visible(self, visible: bool) -> None:
        for item in self.items:
            item.setVisible(visible)


class VolumeGroup:
    """Volume bars coloured by the bar's direction (history + forming)."""

    def __init__(self, plot: pg.PlotItem, up: QColor, down: QColor) -> None:
        self._up_c, self._down_c = QColor(up), QColor(down)
        self._up_c.setAlpha(170)
        self._down_c.setAlpha(170)
        self._up = pg.BarGraphItem(x=[], height=[], width=1, pen=pg.mkPen(None), brush=self._up_c)
        self._down = pg.BarGraphItem(x=[], height=[], width=1, pen=pg.mkPen(None), brush=self._down_c)
        plot.addItem(self._up)
        plot.addItem(self._down)

    def set_colours(self, up: QColor, down: QColor) -> None:
        self._up_c, self._down_c = QColor(up), QColor(down)
        self._up_c.setAlpha(170)
        self._down_c.setAlpha(170)
        self._up.setOpts(brush=self._up_c)
        self._down.setOpts(brush=self._down_c)

    def set_bars(self, bars: np.ndarray, interval_s: float) -> None:
        if len(bars) == 0:
            self._up.setOpts(x=[], height=[])
            self._down.setOpts(x=[], height=[])
            return
        x = bars[:, 0] + interval_s / 2
        rising = bars[:, 4] >= bars[:, 1]
        w = interval_s * 0.7
        self._up.setOpts(x=x[rising], height=bars[rising, 5], width=w)
        self._down.setOpts(x=x[~rising], height=bars[~rising, 5], width=w)
