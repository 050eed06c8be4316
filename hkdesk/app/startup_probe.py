"""``hkdesk --startup-probe``: report when the window first paints, and first paints a quote.

For timing start-up from outside, e.g. of a frozen build (packaging/measure_startup.py). Prints
``hkdesk-first-paint T`` and ``hkdesk-first-quote T`` to stdout, T being ``time.monotonic()``,
one clock for every process on the machine, so a parent that reads it just before starting the
app gets process start to first painted quote. A quote is painted at the first watchlist paint
that shows a last price, as in bench/scenarios/startup.py. After it the app quits by itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

from hkdesk.ui import formatting as fmt
from hkdesk.ui.main_window import MainWindow
from hkdesk.ui.watchlist_model import Col

FIRST_PAINT = "hkdesk-first-paint"
FIRST_QUOTE = "hkdesk-first-quote"


class StartupProbe(QObject):
    def __init__(self, window: MainWindow, on_quote: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self.on_quote = on_quote
        self.painted = False
        self.quoted = False
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
            QTimer.singleShot(0, self.on_quote)
        return False
