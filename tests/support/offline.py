"""The main window built from a real Desk's parts, without a feed or a running event loop."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QApplication

from hkdesk.ui.main_window import MainWindow
from hkdesk.ui.translations import install_translation
from support.desks import make_desk


@contextmanager
def offline_window(tmp_path: Path, language: str | None = None) -> Iterator[MainWindow]:
    """``language``: install that translation first (as the app does), English again afterwards."""
    desk = make_desk(tmp_path / "cfg", f"sqlite:///{tmp_path / 'offline.db'}", token="offline-token")
    app = QApplication.instance()
    if language is not None:
        install_translation(app, language)
    try:
        win = desk.build_window()
        try:
            yield win
        finally:
            win.close()
            win.deleteLater()
            desk.market.close_executor()
    finally:
        if language is not None:
            install_translation(app, "en")
