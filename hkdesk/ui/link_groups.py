"""Link colour groups, as in TWS: panels with the same colour follow the same symbol.

Every member (the main window, each chart window) shows a colour chip. Choosing a symbol in a
member of a group (a row of the watchlist, a code typed in a chart window) makes it the group's
symbol, and every other member of that group shows it; members of other groups, and unlinked
ones, stay where they are. So two groups follow two different selections.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from hkdesk.i18n import QT_TRANSLATE_NOOP

translate = QCoreApplication.translate

#: The groups, by key; "" is "not linked".
GROUPS = {
    "red": ("#e5534b", QT_TRANSLATE_NOOP("LinkGroups", "Red group")),
    "green": ("#46954a", QT_TRANSLATE_NOOP("LinkGroups", "Green group")),
    "blue": ("#539bf5", QT_TRANSLATE_NOOP("LinkGroups", "Blue group")),
    "yellow": ("#c69026", QT_TRANSLATE_NOOP("LinkGroups", "Yellow group")),
    "purple": ("#986ee2", QT_TRANSLATE_NOOP("LinkGroups", "Purple group")),
}
UNLINKED = ""
#: The main window's group when the app starts.
MAIN_GROUP = "red"


class LinkGroups(QObject):
    #: (group, symbol): the group's symbol changed; ``origin`` members already show it.
    changed = Signal(str, str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._symbols: dict[str, str] = {}

    def symbol(self, group: str) -> str | None:
        return self._symbols.get(group)

    def publish(self, group: str, symbol: str, origin: object = None) -> None:
        """``symbol`` is now ``group``'s; its members follow (``origin``, who chose it, already does)."""
        if group == UNLINKED or self._symbols.get(group) == symbol:
            return
        self._symbols[group] = symbol
        self.changed.emit(group, symbol, origin)


def group_icon(group: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(0, 0, 0, 0))
    p = QPainter(pixmap)
    if group == UNLINKED:
        p.setPen(QColor("#8b949e"))
        p.drawEllipse(1, 1, 9, 9)
    else:
        p.setBrush(QColor(GROUPS[group][0]))
        p.setPen(QColor(GROUPS[group][0]))
        p.drawEllipse(1, 1, 9, 9)
    p.end()
    return QIcon(pixmap)


def group_name(group: str) -> str:
    if group == UNLINKED:
        return translate("LinkGroups", "Not linked")
    return translate("LinkGroups", GROUPS[group][1])


class LinkChip(QToolButton):
    """The coloured dot that says, and sets, which group a panel follows."""

    group_chosen = Signal(str)

    def __init__(self, group: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linkChip")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        choices = QActionGroup(self)
        self.actions_: dict[str, QAction] = {}
        for key in (*GROUPS, UNLINKED):
            action = QAction(group_icon(key), group_name(key), menu, checkable=True)
            action.triggered.connect(lambda _=False, k=key: self.choose(k))
            choices.addAction(action)
            menu.addAction(action)
            self.actions_[key] = action
        self.setMenu(menu)
        self.group = UNLINKED
        self.show_group(group)

    def show_group(self, group: str) -> None:
        self.group = group
        self.setIcon(group_icon(group))
        self.setToolTip(translate("LinkGroups", "Link: {group}").format(group=group_name(group)))
        self.actions_[group].setChecked(True)

    def choose(self, group: str) -> None:
        if group != self.group:
            self.show_group(group)
            self.group_chosen.emit(group)
