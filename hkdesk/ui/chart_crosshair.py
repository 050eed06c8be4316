"""The chart's crosshair: a line through the price and volume plots under the pointer, and a
read-out of the bar there. Both go when the pointer leaves the chart.

Pointer moves arrive rate-limited (at most 30 a second), so a move that happened just before the
pointer left can be delivered after it left; it is dropped, or the crosshair would come back.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtWidgets import QLabel


class Crosshair(QObject):
    def __init__(
        self,
        canvas: pg.GraphicsLayoutWidget,
        price_plot: pg.PlotItem,
        volume_plot: pg.PlotItem,
        readout: QLabel,
        text_at: Callable[[float], str],
    ) -> None:
        super().__init__(canvas)
        self._price_plot = price_plot
        self._volume_plot = volume_plot
        self._readout = readout
        self._text_at = text_at
        self.pointer_inside = False
        self.vline = pg.InfiniteLine(angle=90, movable=False)
        self.hline = pg.InfiniteLine(angle=0, movable=False)
        self.vline_volume = pg.InfiniteLine(angle=90, movable=False)
        for line, plot in (
            (self.vline, price_plot),
            (self.hline, price_plot),
            (self.vline_volume, volume_plot),
        ):
            line.setVisible(False)
            plot.addItem(line, ignoreBounds=True)
        canvas.installEventFilter(self)
        self._proxy = pg.SignalProxy(canvas.scene().sigMouseMoved, rateLimit=30, slot=self._moved)

    def set_colour(self, colour: str) -> None:
        pen = pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine)
        for line in (self.vline, self.hline, self.vline_volume):
            line.setPen(pen)

    def visible(self) -> bool:
        return self.vline.isVisible()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Enter:
            self.pointer_inside = True
        elif kind == QEvent.Type.Leave:
            self.pointer_inside = False
            self.hide()
        return False

    def hide(self) -> None:
        for line in (self.vline, self.hline, self.vline_volume):
            line.setVisible(False)
        self._readout.setText("")

    def _moved(self, event: tuple[QPointF]) -> None:
        if not self.pointer_inside:
            return
        self.show_at(event[0])

    def show_at(self, scene_pos: QPointF) -> None:
        """Put the crosshair at ``scene_pos`` (hidden outside both plots)."""
        inside = self._price_plot.sceneBoundingRect().contains(
            scene_pos
        ) or self._volume_plot.sceneBoundingRect().contains(scene_pos)
        if not inside:
            self.hide()
            return
        point = self._price_plot.getViewBox().mapSceneToView(scene_pos)
        for line in (self.vline, self.hline, self.vline_volume):
            line.setVisible(True)
        self.vline.setPos(point.x())
        self.vline_volume.setPos(point.x())
        self.hline.setPos(point.y())
        self._readout.setText(self._text_at(point.x()))
