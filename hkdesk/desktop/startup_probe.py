"""``hkdesk --startup-probe``: report when the window first paints, and first paints a quote.

For timing start-up from outside, e.g. of a frozen build (packaging/measure_startup.py). Prints
``hkdesk-first-paint T`` and ``hkdesk-first-quote T`` to stdout, T being ``time.monotonic()``,
one clock for every process on the machine, so a parent that reads it just before starting the
app gets process start to first painted quote. A quote is painted at the first watchlist paint
that shows a last price. With ``--probe-chart-ticks N`` it then waits (up to 20 s) for the
chart to hold N ticks of the selected symbol's stored day and prints ``hkdesk-chart-ready T
CODE`` (bench/scenarios/startup.py times history loading that way). Then the app quits.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

from hkdesk.domain import formatting as fmt
from hkdesk.domain.symbols import display_code
from hkdesk.ui.main_window import MainWindow
from hkdesk.ui.watchlist_model import Col

FIRST_PAINT = "hkdesk-first-paint"
FIRST_QUOTE = "hkdesk-first-quote"
CHART_READY = "hkdesk-chart-ready"
#: How long to wait for the chart after the first quote.
CHART_WAIT_S = 20.0


class StartupProbe(QObject):
    def __init__(self, window: MainWindow, on_done: Callable[[], None], expect_chart: int = 0) -> None:
        super().__init__(window)
        self.window = window
        self.on_done = on_done
        self.expect_chart = expect_chart
        self.painted = False
        self.quoted = False
        self._chart_deadline = 0.0
        self._chart_timer = QTimer(self)
        self._chart_timer.timeout.connect(self._check_chart)
        window.watchlist.view.viewport().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint or self.quoted:
            return False
        now = time.monotonic()
        if not self.painted:
            self.painted = True
            print(FIRST_PAINT, now, flush=True)
        m = self.window.model
        if any(m.data(m.index(row, Col.LAST)) not in (None, "", fmt.EMPTY) for row in range(m.rowCount())):
            self.quoted = True
            print(FIRST_QUOTE, now, flush=True)
            if self.expect_chart > 0:
                self._chart_deadline = now + CHART_WAIT_S
                self._chart_timer.start(10)
            else:
                QTimer.singleShot(0, self.on_done)
        return False

    def _check_chart(self) -> None:
        """The chart is ready when it holds the stored day of the selected symbol."""
        now = time.monotonic()
        if self.window.chart.ticks.n >= self.expect_chart:
            print(CHART_READY, now, display_code(self.window.selected or ""), flush=True)
        elif now < self._chart_deadline:
            return
        self._chart_timer.stop()
        self.on_done()
