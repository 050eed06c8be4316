"""The dialog that makes or edits one alert: symbol, kind, value, window and repeat.

It checks what it can say in the interface language (a symbol it knows, a number, a range)
and leaves the rest to the alert model, whose message it shows; OK stays open until the alert
is valid, then :attr:`AlertDialog.chosen` carries it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from hkdesk.alerts.model import (
    MAX_COOLDOWN_MINUTES,
    MAX_MOVE_MINUTES,
    MAX_SURGE_MINUTES,
    WINDOWED,
    Alert,
    AlertError,
    Kind,
)
from hkdesk.domain.symbols import SymbolInfo, display_code, search, try_normalise
from hkdesk.store.schema import decimal_text
from hkdesk.ui.alert_text import kind_name


class AlertDialog(QDialog):
    #: The valid :class:`Alert` (id and state of the edited one kept).
    chosen = Signal(object)

    def __init__(
        self,
        universe: dict[str, SymbolInfo],
        parent: QWidget | None = None,
        *,
        alert: Alert | None = None,
        symbol: str = "",
        kind: Kind = Kind.ABOVE,
        value: Decimal | None = None,
    ) -> None:
        """Edit ``alert``, or make a new one from ``symbol``, ``kind`` and ``value``."""
        super().__init__(parent)
        self.setObjectName("alertDialog")
        self._universe = universe
        self._editing = alert
        self.setWindowTitle(self.tr("Edit alert") if alert else self.tr("New alert"))
        if alert is not None:
            symbol, kind, value = alert.symbol, alert.kind, alert.value
        self.symbol = QLineEdit(display_code(symbol) if symbol else "", objectName="alertSymbol")
        self.symbol.setPlaceholderText(self.tr("Code or name"))
        self.kind = QComboBox(objectName="alertKind")
        for k in Kind:
            self.kind.addItem(kind_name(k), k)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.value = QLineEdit("" if value is None else decimal_text(value), objectName="alertValue")
        self.minutes = QSpinBox(objectName="alertMinutes")
        self.minutes.setValue(alert.minutes if alert and alert.minutes else 5)
        self.rearm = QCheckBox(self.tr("Re-arm after"), objectName="alertRearm")
        self.cooldown = QSpinBox(objectName="alertCooldown")
        self.cooldown.setRange(1, MAX_COOLDOWN_MINUTES)
        self.cooldown.setSuffix(self.tr(" min"))
        cooldown = alert.cooldown_minutes if alert else None
        self.rearm.setChecked(cooldown is not None)
        self.cooldown.setValue(cooldown or 15)
        self.problem = QLabel("", objectName="alertProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)

        repeat = QHBoxLayout()
        repeat.addWidget(self.rearm)
        repeat.addWidget(self.cooldown)
        repeat.addStretch(1)
        form = QFormLayout(self)
        form.addRow(self.tr("Symbol"), self.symbol)
        form.addRow(self.tr("When"), self.kind)
        self._value_label = QLabel()
        form.addRow(self._value_label, self.value)
        form.addRow(self.tr("Within (minutes)"), self.minutes)
        form.addRow(self.tr("Repeat"), repeat)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.rearm.toggled.connect(self.cooldown.setEnabled)
        self.cooldown.setEnabled(self.rearm.isChecked())
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = Kind(self.kind.currentData())
        windowed = kind in WINDOWED
        self.minutes.setEnabled(windowed)
        self.minutes.setRange(1, MAX_MOVE_MINUTES if kind is Kind.MOVE else MAX_SURGE_MINUTES)
        if kind in (Kind.ABOVE, Kind.BELOW):
            self._value_label.setText(self.tr("Price"))
        elif kind is Kind.VOLUME_SURGE:
            self._value_label.setText(self.tr("Times the average"))
        else:
            self._value_label.setText(self.tr("Percent"))

    def resolve_symbol(self) -> str | None:
        text = self.symbol.text().strip()
        if not text:
            return None
        found = search(text.split()[0], self._universe.values(), limit=1)
        return found[0].symbol if found else try_normalise(text)

    def alert(self) -> Alert | str:
        """The alert the fields describe, or why there is none (in the interface language)."""
        symbol = self.resolve_symbol()
        if symbol is None:
            return self.tr("Give a Hong Kong code or a name the app knows.")
        try:
            value = Decimal(self.value.text().strip())
        except InvalidOperation:
            return self.tr("The value must be a number, e.g. 412.4 or -2.5.")
        if not value.is_finite():
            return self.tr("The value must be a number, e.g. 412.4 or -2.5.")
        kind = Kind(self.kind.currentData())
        minutes = self.minutes.value() if kind in WINDOWED else None
        cooldown = self.cooldown.value() if self.rearm.isChecked() else None
        try:
            made = Alert(symbol, kind, value, minutes, cooldown)
        except AlertError as exc:
            return self.tr("This alert cannot be used: {reason}").format(reason=exc)
        if self._editing is not None:
            made = replace(made, id=self._editing.id, paused=self._editing.paused)
        return made

    def accept(self) -> None:
        made = self.alert()
        if isinstance(made, str):
            self.problem.setText(made)
            return
        self.problem.clear()
        super().accept()
        self.chosen.emit(made)
