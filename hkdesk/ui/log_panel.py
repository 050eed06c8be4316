"""The log dock: a bounded text view fed by a logging handler, with secrets redacted."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPlainTextEdit


class _Bridge(QObject):
    line = Signal(str)


class QtLogHandler(logging.Handler):
    """Thread-safe: records from any thread reach the widget through a queued signal.

    ``redact`` is applied to every formatted line, so a token can never reach the panel.
    """

    def __init__(self, redact: Callable[[str], str], level: int = logging.INFO) -> None:
        super().__init__(level)
        self._redact = redact
        self.bridge = _Bridge()
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.bridge.line.emit(self._redact(self.format(record)))
        except Exception:  # a broken log line must never take the app down
            self.handleError(record)


class LogPanel(QPlainTextEdit):
    def __init__(self, max_lines: int = 2000, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("logPanel")
        self.setReadOnly(True)
        self.setMaximumBlockCount(max_lines)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        font.setPointSizeF(max(8.0, self.font().pointSizeF() - 1))
        self.setFont(font)

    def attach(self, handler: QtLogHandler) -> None:
        handler.bridge.line.connect(self.appendPlainText)
