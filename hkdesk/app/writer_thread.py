"""The database writer's blocking loop, run in a ``QThread`` off the GUI thread."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from pathlib import Path

from PySide6.QtCore import QObject, QThread

from hkdesk.store.spill_keeper import stray_spills
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


async def stop_writer(
    writer: BatchWriter, thread: WriterThread | None, executor: Executor, unfinished: list[WriterThread]
) -> None:
    """Flush and stop the writer and its thread, waiting off the GUI thread. A thread still running
    after that is appended to ``unfinished`` (a QThread destroyed while running aborts the process)."""
    loop = asyncio.get_running_loop()
    finished = await loop.run_in_executor(executor, writer.stop, 30.0)
    if thread is not None:
        finished = await loop.run_in_executor(executor, thread.wait, 5000) and finished
        if not finished:
            unfinished.append(thread)
    if not finished:
        log.error("the database writer did not finish in time; its spill files keep the rest")


async def report_stray_spills(spill_dir: Path, executor: Executor) -> None:
    """Log the ticks waiting in spill files for a database other than the one in use."""
    strays = await asyncio.get_running_loop().run_in_executor(
        executor, stray_spills, spill_dir.parent, spill_dir
    )
    for database, units in strays:
        log.warning(
            "%d ticks wait in spill files for %s, which is not the database in use; they are "
            "stored there when it is configured again",
            units,
            database,
        )
