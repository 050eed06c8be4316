"""The main window's menu bar: File, Watchlist, View and Help.

Texts go through ``translate("MainWindow", …)`` so they share the window's translation context.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenuBar

translate = QCoreApplication.translate


class _Looks(Protocol):
    theme: str
    colours: str


class MenuHost(Protocol):
    """What the menus need of the window they are built for."""

    settings: _Looks
    about_action: QAction | None
    dock_watchlist: QDockWidget
    dock_depth: QDockWidget
    dock_tape: QDockWidget
    dock_log: QDockWidget

    def menuBar(self) -> QMenuBar: ...
    def open_settings(self) -> object: ...
    def close(self) -> bool: ...
    def new_list(self) -> None: ...
    def rename_list(self) -> None: ...
    def delete_list(self) -> None: ...
    def start_typing(self, text: str) -> None: ...
    def set_looks(self, *, colours: str | None = None, theme: str | None = None) -> None: ...
    def open_about(self) -> object: ...
    def save_diagnostics(self) -> None: ...


def build_menus(win: MenuHost) -> None:
    mb = win.menuBar()
    file_menu = mb.addMenu(translate("MainWindow", "&File"))
    file_menu.setObjectName("menuFile")
    settings = QAction(translate("MainWindow", "&Settings…"), win, shortcut=QKeySequence("Ctrl+,"))
    settings.triggered.connect(win.open_settings)
    file_menu.addAction(settings)
    file_menu.addSeparator()
    quit_action = QAction(translate("MainWindow", "&Quit"), win, shortcut=QKeySequence("Ctrl+Q"))
    quit_action.triggered.connect(win.close)
    file_menu.addAction(quit_action)

    lists = mb.addMenu(translate("MainWindow", "&Watchlist"))
    lists.setObjectName("menuWatchlist")
    new = QAction(translate("MainWindow", "&New list…"), win)
    new.triggered.connect(win.lists.new_list)
    rename = QAction(translate("MainWindow", "&Rename list…"), win)
    rename.triggered.connect(win.lists.rename_list)
    delete = QAction(translate("MainWindow", "&Delete list"), win)
    delete.triggered.connect(win.lists.delete_list)
    find = QAction(translate("MainWindow", "&Find / add symbol"), win, shortcut=QKeySequence("Ctrl+F"))
    find.triggered.connect(lambda: win.start_typing(""))
    for a in (new, rename, delete, find):
        lists.addAction(a)

    view = mb.addMenu(translate("MainWindow", "&View"))
    view.setObjectName("menuView")
    for dock in (win.dock_watchlist, win.dock_depth, win.dock_tape, win.dock_log):
        view.addAction(dock.toggleViewAction())
    view.addSeparator()
    themes = QActionGroup(win)
    for name, label in (
        ("dark", translate("MainWindow", "Dark theme")),
        ("light", translate("MainWindow", "Light theme")),
    ):
        a = QAction(label, win, checkable=True, checked=win.settings.theme == name)
        a.triggered.connect(lambda _=False, n=name: win.set_looks(theme=n))
        themes.addAction(a)
        view.addAction(a)
    view.addSeparator()
    colours = QActionGroup(win)
    for key, label in (
        ("hk", translate("MainWindow", "Green up / red down (HK)")),
        ("mainland", translate("MainWindow", "Red up / green down (Mainland)")),
    ):
        a = QAction(label, win, checkable=True, checked=win.settings.colours == key)
        a.triggered.connect(lambda _=False, k=key: win.set_looks(colours=k))
        colours.addAction(a)
        view.addAction(a)

    help_menu = mb.addMenu(translate("MainWindow", "&Help"))
    help_menu.setObjectName("menuHelp")
    win.about_action = QAction(translate("MainWindow", "&About hkdesk"), win, objectName="aboutAction")
    win.about_action.setMenuRole(QAction.MenuRole.AboutRole)
    win.about_action.triggered.connect(win.open_about)
    help_menu.addAction(win.about_action)
    diagnostics = QAction(translate("MainWindow", "Save &diagnostics…"), win, objectName="diagnosticsAction")
    diagnostics.triggered.connect(win.save_diagnostics)
    help_menu.addAction(diagnostics)
