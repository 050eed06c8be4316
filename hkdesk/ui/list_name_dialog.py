"""Ask for a watchlist's name, and say what is wrong with it while it is typed (OK waits for a good one)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class ListNameDialog(QDialog):
    """``problem(name)`` returns why a name cannot be used, or None; the answer shows under the field."""

    def __init__(
        self, title: str, problem: Callable[[str], str | None], text: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("listNameDialog")
        self.setWindowTitle(title)
        self._problem = problem
        self._initial = text
        self.field = QLineEdit(text, objectName="listNameField")
        self.field.setMaxLength(80)
        self.field.selectAll()
        self.message = QLabel(objectName="listNameProblem")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Name:")))
        lay.addWidget(self.field)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.field.textChanged.connect(self._check)
        self._check(text)

    def _check(self, text: str) -> None:
        unchanged = bool(self._initial) and text.strip() == self._initial
        problem = None if unchanged else self._problem(text)
        self.message.setText(problem or "")
        self.message.setVisible(bool(problem))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(problem is None and not unchanged)

    def name(self) -> str:
        return self.field.text().strip()

    @classmethod
    def ask(cls, title: str, problem: Callable[[str], str | None], text: str, parent: QWidget) -> str | None:
        """The name the user chose, or None if they cancelled."""
        dlg = cls(title, problem, text, parent)
        return dlg.name() if dlg.exec() == QDialog.DialogCode.Accepted else None
