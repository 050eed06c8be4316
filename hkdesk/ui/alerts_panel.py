"""The Alerts dock: every alert with its state (new, edit, pause, delete, import, export), and
today's log of firings, read back from the alert log in the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hkdesk.alerts.csv_format import AlertFileError
from hkdesk.alerts.model import Alert, Kind
from hkdesk.alerts.store import LogEntry
from hkdesk.domain import formatting as fmt
from hkdesk.domain.sessions import hk_now
from hkdesk.domain.symbols import SymbolInfo
from hkdesk.ui.alert_dialog import AlertDialog
from hkdesk.ui.alert_text import kind_name, repeat_text, rule_text, state_text, symbol_title
from hkdesk.ui.background import spawn

if TYPE_CHECKING:
    from hkdesk.app.alert_service import AlertService
    from hkdesk.app.settings import AppSettings

_DISPLAY = Qt.ItemDataRole.DisplayRole
#: Shortest time between two redraws of the dock's tables.
REFRESH_MS = 500


class _Table(QAbstractTableModel):
    """Rows of texts, replaced whole (alerts change at human speed)."""

    def __init__(self, headers: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        if role == _DISPLAY:
            return self.rows[index.row()][index.column()]
        return None


def _table(model: _Table, name: str) -> QTableView:
    view = QTableView(objectName=name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setMinimumSize(80, 24)  # the dock shares the bottom with the log: it may be short
    return view


class AlertsPanel(QWidget):
    def __init__(
        self,
        service: AlertService,
        universe: dict[str, SymbolInfo],
        settings: AppSettings,
        tell: Callable[[str], None],
        clear_marks: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        """``tell(text)``: a message for the status bar; ``clear_marks()``: unmark the rows."""
        super().__init__(parent)
        self.setObjectName("alertsPanel")
        self.service = service
        self.universe = universe
        self.settings = settings
        self._tell = tell
        self._shown: list[Alert] = []
        self.alerts_model = _Table(
            (self.tr("Symbol"), self.tr("Alert"), self.tr("Repeat"), self.tr("State"), self.tr("Last fired"))
        )
        self.log_model = _Table((self.tr("Time"), self.tr("Symbol"), self.tr("Alert"), self.tr("Price")))
        self.alerts_view = _table(self.alerts_model, "alertsView")
        self.alerts_view.doubleClicked.connect(lambda _: self.edit_selected())
        self.log_view = _table(self.log_model, "alertLogView")

        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        self.buttons: dict[str, QToolButton] = {}
        for key, text, slot in (
            ("new", self.tr("New…"), lambda: self.new_alert()),
            ("edit", self.tr("Edit…"), self.edit_selected),
            ("pause", self.tr("Pause"), lambda: self.pause_selected(True)),
            ("resume", self.tr("Resume"), lambda: self.pause_selected(False)),
            ("delete", self.tr("Delete"), self.delete_selected),
        ):
            button = QToolButton(text=text, objectName=f"alerts_{key}")
            button.clicked.connect(slot)
            self.buttons[key] = button
            bar.addWidget(button)
        more = QToolButton(text=self.tr("More"), objectName="alerts_more")
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_menu = QMenu(more)
        for key, text, slot in (
            ("import", self.tr("Import…"), lambda: self.import_file()),
            ("export", self.tr("Export…"), lambda: self.export_file()),
            ("marks", self.tr("Clear marks"), clear_marks),
        ):
            entry = QAction(text, self.more_menu, objectName=f"alerts_{key}")
            entry.triggered.connect(slot)
            self.more_menu.addAction(entry)
        more.setMenu(self.more_menu)
        bar.addWidget(more)
        bar.addStretch(1)
        self.sound = QCheckBox(self.tr("Sound"), objectName="alertSound")
        self.sound.setChecked(settings.alert_sound)
        self.sound.toggled.connect(self._sound_toggled)
        bar.addWidget(self.sound)

        # side by side: the dock shares the window's bottom with the log, wide and short
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self.alerts_view)
        split.addWidget(self.log_view)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        #: What waits to be shown again while the dock is hidden or a refresh was just made.
        self._stale = {"alerts", "log"}
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(REFRESH_MS)
        self._later.timeout.connect(self._refresh)
        # a bound method, not a lambda: Qt then drops the connection when this panel is deleted,
        # while the service (closed after the window) may still announce a change
        service.changed.connect(self._alerts_changed)
        self.show_alerts()

    # ------------------------------------------------------------ showing
    def _alerts_changed(self) -> None:
        self._changed("alerts")

    def _changed(self, what: str) -> None:
        """Alerts fire in bursts: redraw at most every REFRESH_MS, and only while shown."""
        self._stale.add(what)
        if self.isVisible() and not self._later.isActive():
            self._later.start()

    def _refresh(self) -> None:
        if not self.isVisible():
            return
        stale, self._stale = self._stale, set()
        if "alerts" in stale:
            self.show_alerts()
        if "log" in stale:
            self._load_log()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refresh()

    def show_alerts(self) -> None:
        """The alerts as they are now; the rows selected stay selected."""
        chosen = {a.id for a in self.selected()} if self._shown else set()
        self._shown = self.service.alerts()
        self.alerts_model.set_rows(
            [
                (
                    symbol_title(a.symbol, self.universe),
                    rule_text(a),
                    repeat_text(a),
                    state_text(a),
                    fmt.time_text(a.last_fired_ts) if a.last_fired_ts else fmt.EMPTY,
                )
                for a in self._shown
            ]
        )
        selection = self.alerts_view.selectionModel()
        for row, alert in enumerate(self._shown):
            if alert.id in chosen:
                flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
                selection.select(self.alerts_model.index(row, 0), flags)

    def show_log(self, entries: list[LogEntry]) -> None:
        """Newest first, at the trade's exchange time (as "Last fired"); each firing named by its
        alert's rule while the alert exists."""
        rows = []
        for e in reversed(entries):
            alert = self.service.alert(e.alert_id) if e.alert_id else None
            what = rule_text(alert) if alert is not None else kind_name(Kind(e.kind))
            rows.append((fmt.time_text(e.ts), symbol_title(e.symbol, self.universe), what, str(e.price)))
        self.log_model.set_rows(rows)

    def refresh_log(self) -> None:
        """Read today's log back from the database (once the dock shows)."""
        self._changed("log")

    def _load_log(self) -> None:
        midnight = hk_now().replace(hour=0, minute=0, second=0, microsecond=0).timestamp()

        async def load() -> None:
            self.show_log(await self.service.log_entries(midnight))

        spawn(load(), "reading the alert log")

    def selected(self) -> list[Alert]:
        rows = sorted({i.row() for i in self.alerts_view.selectionModel().selectedRows()})
        return [self._shown[r] for r in rows if r < len(self._shown)]

    # ------------------------------------------------------------ editing
    def new_alert(self, symbol: str = "", kind: Kind = Kind.ABOVE, value=None) -> AlertDialog:
        dlg = AlertDialog(self.universe, self, symbol=symbol, kind=kind, value=value)
        dlg.chosen.connect(lambda a: spawn(self.service.add([a]), "adding an alert", self._tell))
        return self._open(dlg)

    def edit_selected(self) -> AlertDialog | None:
        chosen = self.selected()
        if not chosen:
            return None
        dlg = AlertDialog(self.universe, self, alert=chosen[0])
        dlg.chosen.connect(lambda a: spawn(self.service.update(a), "changing an alert", self._tell))
        return self._open(dlg)

    def _open(self, dlg: AlertDialog) -> AlertDialog:
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def pause_selected(self, paused: bool) -> None:
        ids = [a.id for a in self.selected()]
        if ids:
            spawn(self.service.set_paused(ids, paused), "pausing alerts", self._tell)

    def delete_selected(self) -> None:
        ids = [a.id for a in self.selected()]
        if ids:
            spawn(self.service.delete(ids), "deleting alerts", self._tell)

    def import_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import alerts"), "", self.tr("CSV files (*.csv)")
            )
        if path:
            spawn(self._import(Path(path)), "importing alerts", self._tell)

    async def _import(self, path: Path) -> None:
        try:
            added, skipped = await self.service.import_file(path)
        except AlertFileError as exc:
            first = exc.problems[0]
            self._tell(
                self.tr("{file}: nothing imported, {n} bad line(s); line {line}: {reason}").format(
                    file=path.name, n=len(exc.problems), line=first[0], reason=first[1]
                )
            )
            return
        self._tell(
            self.tr("{added} alert(s) imported, {skipped} already defined").format(
                added=added, skipped=skipped
            )
        )

    def export_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export alerts"), "hkdesk-alerts.csv", self.tr("CSV files (*.csv)")
            )
        if path:
            spawn(self._export(Path(path)), "exporting alerts", self._tell)

    async def _export(self, path: Path) -> None:
        n = await self.service.export_file(path)
        self._tell(self.tr("{n} alert(s) written to {path}").format(n=n, path=path))

    def _sound_toggled(self, on: bool) -> None:
        self.settings.alert_sound = on
        self.settings.sync()
