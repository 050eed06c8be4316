"""Help → About: versions from the package metadata and Qt, and the components' licences."""

from __future__ import annotations

import importlib.metadata

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMenu
from support.offline import offline_window

from hkdesk.ui.about_dialog import AboutDialog


def table_rows(dlg: AboutDialog) -> dict[str, list[str]]:
    t = dlg.table
    return {
        t.item(r, 0).text(): [t.item(r, c).text() for c in range(1, t.columnCount())]
        for r in range(t.rowCount())
    }


def test_dialog_shows_app_qt_and_pyside_versions(qtbot) -> None:
    dlg = AboutDialog()
    qtbot.addWidget(dlg)
    assert dlg.fields["version"].text() == importlib.metadata.version("hkdesk")
    assert dlg.fields["qt"].text() == qVersion()
    assert dlg.fields["pyside"].text() == PySide6.__version__
    rows = table_rows(dlg)
    assert rows["Qt"][:2] == [qVersion(), "LGPL-3.0-only"]
    assert rows["PySide6"][:2] == [importlib.metadata.version("PySide6-Essentials"), "LGPL-3.0-only"]
    assert rows["qasync"][:2] == [importlib.metadata.version("qasync"), "BSD-2-Clause"]
    assert rows["psycopg"][1] == "LGPL-3.0-only"


def test_help_menu_opens_the_dialog(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        qtbot.addWidget(win)
        help_menu = win.menuBar().findChild(QMenu, "menuHelp")
        assert help_menu is not None
        assert win.about_action in help_menu.actions()
        win.about_action.trigger()
        dlg = win.findChild(AboutDialog)
        assert dlg is not None
        qtbot.waitUntil(dlg.isVisible)
        assert dlg.fields["version"].text() == importlib.metadata.version("hkdesk")
        dlg.reject()
