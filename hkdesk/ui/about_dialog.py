"""Help → About: hkdesk's version, the Qt/PySide6/Python it runs on, and the bundled licences."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hkdesk import about
from hkdesk.ui.theme import app_icon

HOMEPAGE_COLUMN = 3


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About hkdesk"))
        self.setMinimumSize(640, 520)

        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(64, 64))
        title = QLabel(f"<h2>hkdesk {about.app_version()}</h2>" + self.tr("Real-time Hong Kong stock quotes"))
        header = QFormLayout()
        header.addRow(logo, title)

        facts = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, label, value in (
            ("version", self.tr("Version"), about.app_version()),
            ("qt", self.tr("Qt run-time"), qVersion()),
            ("pyside", self.tr("PySide6"), PySide6.__version__),
            ("python", self.tr("Python"), about.python_version()),
            ("platform", self.tr("Platform"), about.platform_name()),
        ):
            field = QLabel(value, objectName=f"about_{key}")
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts.addRow(label, field)
            self.fields[key] = field

        rows = about.entries(qVersion())
        self.table = QTableWidget(len(rows), 4, objectName="aboutComponents")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Component"), self.tr("Version"), self.tr("Licence"), self.tr("Home page")]
        )
        for r, entry in enumerate(rows):
            cells = (entry.name, entry.version or self.tr("not found"), entry.licence, entry.homepage)
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemActivated.connect(self._open_homepage)

        note = QLabel(
            self.tr(
                "Qt and PySide6 (LGPL-3.0) are linked dynamically and can be replaced with other "
                "builds of the same version. Double-click a row to open its home page."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addLayout(header)
        lay.addLayout(facts)
        lay.addWidget(QLabel(self.tr("Bundled components and their licences:")))
        lay.addWidget(self.table, 1)
        lay.addWidget(note)
        lay.addWidget(buttons)

    def _open_homepage(self, item: QTableWidgetItem) -> None:
        link = self.table.item(item.row(), HOMEPAGE_COLUMN)
        if link is not None:
            QDesktopServices.openUrl(QUrl(link.text()))
