"""Python's cycle collector, run only on the GUI thread while the window is open.

CPython collects cycles in whichever thread crosses an allocation threshold: the database
writer or the history worker as often as the GUI thread. A cycle holding a Qt object (a widget
with a timer, a model) is then destroyed from the wrong thread; Qt prints "Timers cannot be
stopped from another thread" and may crash later at a random point (seen once in the window
benchmark). So automatic collection is switched off while the desk runs and this timer does
the same work on the GUI thread, with the interpreter's own thresholds.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

#: How often the allocation counts are checked.
CHECK_MS = 100
#: Full collections walk every tracked object; at most one this often.
FULL_EVERY_S = 30.0


class GuiThreadCollector(QObject):
    """``start()`` disables automatic collection and collects from a GUI-thread timer;
    ``stop()`` restores what was there before and collects once."""

    def __init__(self, parent: QObject | None = None, *, clock=time.monotonic) -> None:
        super().__init__(parent)
        self._clock = clock
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._was_enabled = False
        self._last_full = 0.0
        self.collections = [0, 0, 0]

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        if self.active:
            return
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._last_full = self._clock()
        self._timer.start(CHECK_MS)

    def stop(self) -> None:
        if not self.active:
            return
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, youngest first."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        if counts[0] <= thresholds[0]:
            return
        generation = 0
        if counts[1] > thresholds[1]:
            generation = 1
            now = self._clock()
            if counts[2] > thresholds[2] and now - self._last_full >= FULL_EVERY_S:
                generation = 2
                self._last_full = now
        gc.collect(generation)
        self.collections[generation] += 1
