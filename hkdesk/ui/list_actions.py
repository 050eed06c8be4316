"""Named watch lists from the menus: new, rename and delete (asked first: a list is the user's
work). Refusals (a taken or empty name) go to the log and the status bar."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from hkdesk.app.watchlists import WatchlistService
from hkdesk.ui.list_name_dialog import ListNameDialog

log = logging.getLogger("hkdesk.ui.main_window")


class ListActions(QObject):
    def __init__(self, watchlists: WatchlistService, status: QStatusBar, window: QWidget) -> None:
        super().__init__(window)
        self._lists = watchlists
        self._status = status
        self._window = window

    def _ask_name(self, title: str, text: str = "") -> str | None:
        return ListNameDialog.ask(title, self._lists.name_problem, text, self._window)

    def _refused(self, problem: str | None) -> None:
        if problem:
            log.warning(problem)
            self._status.showMessage(problem, 8000)

    def new_list(self) -> None:
        name = self._ask_name(self.tr("New watchlist"))
        if name is not None:
            self._refused(self._lists.create(name))

    def rename_list(self) -> None:
        name = self._ask_name(self.tr("Rename watchlist"), self._lists.current)
        if name is not None:
            self._refused(self._lists.rename(name))

    def delete_list(self) -> None:
        name = self._lists.current
        question = self.tr("Delete the watchlist “{name}” and its {n} symbols?").format(
            name=name, n=len(self._lists.symbols())
        )
        if self.confirm(self.tr("Delete watchlist"), question):
            self._refused(self._lists.delete())

    def confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self._window, title, question)
        return answer == QMessageBox.StandardButton.Yes
