"""The chart's holes: spans of the day where trades may be missing, shaded and named on the chart.

A line drawn straight across minutes we do not hold would look like a quiet market; an advisor
reading the morning to a client must see that it is not known. The holes come from
:func:`hkdesk.domain.day_holes.day_holes` (the morning while the provider's minutes are fetched or
when they cannot be had, and gaps not filled yet); they are drawn on the intraday views only
(a daily candle has no place for them) and go once the day is whole.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from hkdesk.domain.day_holes import Hole, HoleKind
from hkdesk.domain.freshness import Freshness
from hkdesk.i18n import QT_TRANSLATE_NOOP
from hkdesk.ui.chart import ChartPanel
from hkdesk.ui.colours import Palette

LABELS = {
    HoleKind.FETCHING: QT_TRANSLATE_NOOP("ChartHoles", "fetching from the provider…"),
    HoleKind.NO_DATA: QT_TRANSLATE_NOOP("ChartHoles", "no data"),
    HoleKind.GAP: QT_TRANSLATE_NOOP("ChartHoles", "gap: trades may be missing"),
}
#: Holes are drawn behind the curves and candles, above the grid.
Z = -50


class ChartHoles:
    def __init__(self, chart: ChartPanel, palette: Palette) -> None:
        self._chart = chart
        self._palette = palette
        self.holes: list[Hole] = []
        self._items: list[tuple[pg.PlotItem, pg.LinearRegionItem]] = []
        chart.interval_changed.connect(lambda _mode: self._show())

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self._draw()

    def set(self, holes: list[Hole]) -> None:
        """The holes of the day shown (empty: the day is whole)."""
        if holes == self.holes:
            return
        self.holes = list(holes)
        chart = self._chart
        x_of = chart.axis.x_of
        chart.day_start_x = x_of(holes[0].start_ts / 1000) if holes else None
        chart._x_range = None  # the view may now begin at the open
        chart._dirty = True
        self._draw()
        chart.redraw(force=True)

    def clear(self) -> None:
        self.set([])

    def _draw(self) -> None:
        chart = self._chart
        for plot, item in self._items:
            plot.removeItem(item)
        self._items.clear()
        text_colour = QColor(self._palette.badge[Freshness.STALE].color())
        colour = QColor(text_colour)
        colour.setAlpha(110)
        brush = QBrush(colour, Qt.BrushStyle.BDiagPattern)
        edge = pg.mkPen(colour, width=1)
        x_of = chart.axis.x_of
        for hole in self.holes:
            span = (x_of(hole.start_ts / 1000), x_of(hole.end_ts / 1000))
            for plot, labelled in ((chart.price_plot, True), (chart.volume_plot, False)):
                region = pg.LinearRegionItem(span, movable=False, brush=brush, pen=edge)
                region.setZValue(Z)
                if labelled:
                    text = QCoreApplication.translate("ChartHoles", LABELS[hole.kind])
                    label = pg.InfLineLabel(
                        region.lines[0], text=text, position=0.96, rotateAxis=(1, 0), anchor=(1, 1)
                    )
                    label.setColor(text_colour)
                plot.addItem(region)
                self._items.append((plot, region))
        self._show()

    def _show(self) -> None:
        intraday = self._chart.bars.interval_s < 86_400
        for _plot, item in self._items:
            item.setVisible(intraday)
