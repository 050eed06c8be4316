"""The tools' entries in the menu bar and the window's shortcuts: File → Export, the Alerts dock
and the text size under View, Help → Keyboard shortcuts, a key for each panel."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from hkdesk.ui.alerts_panel import AlertsPanel
from hkdesk.ui.shortcuts import (
    EXPORT_LIST,
    NEW_ALERT,
    PANEL_KEYS,
    PANEL_WORDS,
    ZOOM_IN,
    ZOOM_OUT,
    ZOOM_RESET,
    ZOOM_STEP,
    ShortcutsDialog,
    TextSize,
    action,
)
from hkdesk.ui.tool_host import ToolHost

translate = QCoreApplication.translate


class MenuTools(Protocol):
    """What the menus call on the tools."""

    alerts_panel: AlertsPanel

    def export_dialog(self, what: str) -> object: ...
    def new_alert_for(self, symbol: str | None) -> object: ...


def _menu(win: ToolHost, name: str) -> QMenu:
    found = win.menuBar().findChild(QMenu, name)
    assert found is not None, name
    return found


def _first_separator(menu: QMenu) -> QAction | None:
    return next((a for a in menu.actions() if a.isSeparator()), None)


def add_tool_menus(win: ToolHost, tools: MenuTools) -> TextSize:
    file_menu, view, help_menu = _menu(win, "menuFile"), _menu(win, "menuView"), _menu(win, "menuHelp")
    export = QMenu(translate("MainWindow", "&Export"), file_menu)
    export.setObjectName("menuExport")
    for what, text, keys in (
        ("watchlist", translate("MainWindow", "&Watchlist…"), EXPORT_LIST),
        ("ticks", translate("MainWindow", "&Ticks of a day…"), ""),
        ("bars", translate("MainWindow", "&Bars…"), ""),
    ):
        a = action(win, text, keys, lambda w=what: tools.export_dialog(w), f"export_{what}")  # type: ignore[arg-type]
        export.addAction(a)
    file_menu.insertMenu(file_menu.actions()[1], export)

    alerts_toggle = win.dock_alerts.toggleViewAction()
    view.insertAction(_first_separator(view), alerts_toggle)
    text_size = TextSize(win.settings, win)  # type: ignore[arg-type]
    view.addSeparator()
    for text, keys, factor, name in (
        (translate("MainWindow", "&Larger text"), ZOOM_IN, ZOOM_STEP, "zoomIn"),
        (translate("MainWindow", "&Smaller text"), ZOOM_OUT, 1 / ZOOM_STEP, "zoomOut"),
        (translate("MainWindow", "&Normal text size"), ZOOM_RESET, None, "zoomReset"),
    ):
        view.addAction(action(win, text, keys, lambda f=factor: text_size.change(f), name))

    keys = QAction(translate("MainWindow", "&Keyboard shortcuts"), win, objectName="shortcutsAction")
    keys.triggered.connect(lambda: open_shortcuts(win))
    help_menu.insertAction(help_menu.actions()[0], keys)
    help_menu.insertSeparator(help_menu.actions()[1])

    targets: dict[str, tuple[QWidget | None, QWidget]] = {
        "watchlist": (win.dock_watchlist, win.watchlist.view),
        "chart": (None, win.chart.canvas),
        "depth": (win.dock_depth, win.depth),
        "time_sales": (win.dock_tape, win.tape.view),
        "alerts": (win.dock_alerts, tools.alerts_panel.alerts_view),
        "log": (win.dock_log, win.log_panel),
    }
    for key, keys_text in PANEL_KEYS.items():
        dock, widget = targets[key]
        words = translate("Shortcuts", PANEL_WORDS[key])
        action(win, words, keys_text, lambda d=dock, w=widget: go_to(d, w), f"goto_{key}")
    action(
        win,
        translate("Shortcuts", "New alert for the selected symbol"),
        NEW_ALERT,
        lambda: tools.new_alert_for(win.selected),
        "newAlertAction",
    )
    return text_size


def go_to(dock: QWidget | None, widget: QWidget) -> None:
    """Show a panel (its dock raised if tabbed) and put the keyboard there."""
    if dock is not None:
        dock.show()
        dock.raise_()
    widget.setFocus(Qt.FocusReason.ShortcutFocusReason)


def open_shortcuts(win: QWidget) -> ShortcutsDialog:
    dlg = ShortcutsDialog(win)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg
