"""How the docks share the window: in proportions of its size, never in fixed pixels.

The first layout (when none was saved) gives the watchlist a little over a third of the height,
the log a tenth, and the depth ladder with time & sales beneath it a fifth of the width; the
chart in the middle takes the rest, never less than :data:`CHART_MIN_HEIGHT`. When the window is
resized, every docked panel keeps its share (a maximised window shows more watchlist rows, not
only a taller chart), except that the ladder never grows past the height its levels are drawn
in: time & sales beneath it takes the rest.

A dock's share is what it had before the window changed size. Qt lays the docks out for the new
size before the window hears of it, so the shares are noted whenever a dock is resized while the
window is not (the user moved a separator, or a layout was applied), and read on a resize.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

WATCHLIST_SHARE = 0.36
LOG_SHARE = 0.10
SIDE_SHARE = 0.2
SIDE_MIN_WIDTH = 280
DEPTH_SHARE = 0.55
CHART_MIN_HEIGHT = 220

_VERTICAL = Qt.Orientation.Vertical
_HORIZONTAL = Qt.Orientation.Horizontal
_SIDES = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)


def apply_default_layout(
    win: QMainWindow,
    *,
    watchlist: QDockWidget,
    log: QDockWidget,
    depth: QDockWidget,
    tape: QDockWidget,
    tallest: Mapping[QDockWidget, int],
) -> None:
    """Size the docks for the window's present size (call once it has its size)."""
    w, h = win.width(), win.height()
    win.resizeDocks([watchlist, log], [round(h * WATCHLIST_SHARE), round(h * LOG_SHARE)], _VERTICAL)
    win.resizeDocks([depth], [max(SIDE_MIN_WIDTH, round(w * SIDE_SHARE))], _HORIZONTAL)
    column = depth.height() + tape.height()
    depth_h = min(round(column * DEPTH_SHARE), tallest.get(depth, column))
    win.resizeDocks([depth, tape], [depth_h, column - depth_h], _VERTICAL)


class DockShares(QObject):
    """Keeps each docked panel's share of the window as the window is resized.

    ``tallest()``: docks that draw nothing useful beyond a height, and that height.
    """

    def __init__(self, win: QMainWindow, tallest: Callable[[], Mapping[QDockWidget, int]]) -> None:
        super().__init__(win)
        self._win = win
        self._tallest = tallest
        self._size: QSize | None = None
        self.shares: dict[QDockWidget, tuple[float, float]] = {}
        for dock in win.findChildren(QDockWidget):
            dock.installEventFilter(self)

    def start(self) -> None:
        """Note every dock's share of the window as it is now."""
        self._size = self._win.size()
        for dock in self._win.findChildren(QDockWidget):
            self._note(dock)

    def _note(self, dock: QDockWidget) -> None:
        size = self._size
        if size is not None and not size.isEmpty() and dock.isVisible() and not dock.isFloating():
            self.shares[dock] = (dock.width() / size.width(), dock.height() / size.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self._win.size() == self._size:
            self._note(watched)  # type: ignore[arg-type]
        return False

    def window_resized(self, new: QSize) -> None:
        """Give the docked panels their noted shares of the window's new size."""
        if self._size is None or new == self._size:
            return
        self._size = QSize(new)
        win, tallest = self._win, self._tallest()
        docks = [d for d in self.shares if d.isVisible() and not d.isFloating()]
        heights = {d: round(self.shares[d][1] * new.height()) for d in docks}
        for dock, cap in tallest.items():
            if heights.get(dock, 0) > cap:
                spare, heights[dock] = heights[dock] - cap, cap
                area = win.dockWidgetArea(dock)
                # the panel docked with it (time & sales under the ladder) takes what it cannot use
                for other in (d for d in docks if d is not dock and win.dockWidgetArea(d) == area):
                    heights[other] += spare
                    break
        win.resizeDocks(docks, [heights[d] for d in docks], _VERTICAL)
        sides = [d for d in docks if win.dockWidgetArea(d) in _SIDES]
        win.resizeDocks(sides, [round(self.shares[d][0] * new.width()) for d in sides], _HORIZONTAL)
