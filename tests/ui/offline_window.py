"""The main window built from a real Desk's parts, without a feed or a running event loop."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from live_support import make_desk

from hkdesk.ui.main_window import MainWindow


@contextmanager
def offline_window(tmp_path: Path) -> Iterator[MainWindow]:
    desk = make_desk(tmp_path / "cfg", f"sqlite:///{tmp_path / 'offline.db'}", token="offline-token")
    win = MainWindow(desk.market, desk.settings, desk.store, desk.watchlists, desk.universe, desk.tokens)
    try:
        yield win
    finally:
        win.close()
        win.deleteLater()
        desk.market.close_executor()
