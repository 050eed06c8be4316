"""The chart's axes: Hong Kong time written in figures, volumes as K/M/B.

pyqtgraph's date axis names months and weekdays in English (``Dec``, ``Mon 04``) whatever the
interface language; these axes write every date in figures (``2026-12``,
``12-04``) instead, as the rest of the app writes dates, so no interface shows English on the chart.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import TickSpec, ZoomLevel

from hkdesk.domain import formatting as fmt

HK_UTC_OFFSET_FOR_AXIS = -8 * 3600  # pyqtgraph's sign: seconds to subtract from UTC... west-positive
#: strftime formats with words, and what is written instead. pyqtgraph's example text for each zoom
#: level stays as it is: it sets how many ticks fit, and narrower ones gave more to draw (a fifth
#: more per panning frame); labels too crowded for a level are left out by pyqtgraph.
FIGURES_FOR_WORDS = {"%b": "%Y-%m", "%a %d": "%m-%d"}


def _in_figures(level: ZoomLevel) -> ZoomLevel:
    specs = [
        TickSpec(s.spacing, s.step, FIGURES_FOR_WORDS.get(s.format, s.format), s.autoSkip)
        for s in level.tickSpecs
    ]
    return ZoomLevel(specs, level.exampleText)


class TimeAxis(pg.DateAxisItem):
    """A date axis in Hong Kong time with every date written in figures; ``to_time`` maps the
    chart's x back to the time it stands for (the lunch break is squeezed out of the axis)."""

    def __init__(self, orientation: str = "bottom", to_time: Callable[[float], float] | None = None) -> None:
        super().__init__(orientation=orientation, utcOffset=HK_UTC_OFFSET_FOR_AXIS)
        self.zoomLevels = OrderedDict(
            (spacing, _in_figures(level)) for spacing, level in self.zoomLevels.items()
        )
        self._to_time = to_time

    def tickStrings(self, values, scale, spacing):
        if self._to_time is not None:
            values = [self._to_time(v) for v in values]
        return super().tickStrings(values, scale, spacing)


class VolumeAxis(pg.AxisItem):
    """Volume ticks as K/M/B, like the watchlist."""

    def tickStrings(self, values, scale, spacing):
        return [fmt.amount_text(v * scale) for v in values]
