"""The database writer's blocking loop, run in a ``QThread`` off the GUI thread."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread

from hkdesk.store.writer import BatchWriter

log = logging.getLogger(__name__)


class WriterThread(QThread):
    """Runs ``BatchWriter.run()``; the writer's ``stop()`` ends it."""

    def __init__(self, writer: BatchWriter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.writer = writer
        self.setObjectName("hkdesk-writer")

    def run(self) -> None:
        try:
            self.writer.run()
        except Exception:
            log.exception("the database writer stopped with an error")
