"""The chart's time axis without the lunch break: the afternoon is drawn right after the morning.

Hong Kong stops trading from 12:00 to 13:00. Drawn on a plain time axis, the line would slope
across that empty hour (and candles would leave a hole); on the chart's axis, a time of the
afternoon is moved one hour earlier (:meth:`LunchAxis.to_x`), and axis labels and the read-out
move it back (:meth:`LunchAxis.to_time`). A half day has no lunch (its closing auction starts at
12:00): its axis is plain time.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from hkdesk.domain.sessions import HK_OFFSET_MS, LUNCH_END, LUNCH_START, is_half_day

_OFFSET_S = HK_OFFSET_MS // 1000
_LUNCH_START_S = LUNCH_START.hour * 3600 + LUNCH_START.minute * 60
LUNCH_S = (LUNCH_END.hour * 3600 + LUNCH_END.minute * 60) - _LUNCH_START_S


class LunchAxis:
    def __init__(self) -> None:
        self.squeeze = True

    def set_day(self, day: date) -> None:
        self.squeeze = not is_half_day(day)

    def to_x(self, t: np.ndarray) -> np.ndarray:
        """Epoch seconds → the chart's x."""
        if not self.squeeze:
            return t
        seconds_of_day = (t + _OFFSET_S) % 86_400
        return t - np.clip(seconds_of_day - _LUNCH_START_S, 0, LUNCH_S)

    def x_of(self, t: float) -> float:
        if not self.squeeze:
            return t
        seconds_of_day = (t + _OFFSET_S) % 86_400
        return t - min(max(seconds_of_day - _LUNCH_START_S, 0.0), LUNCH_S)

    def to_time(self, x: float) -> float:
        """The chart's x → epoch seconds (from 12:00 on the axis, the afternoon: an hour later)."""
        if not self.squeeze:
            return x
        seconds_of_day = (x + _OFFSET_S) % 86_400
        return x + LUNCH_S if seconds_of_day >= _LUNCH_START_S else x
