"""Which SQLite file a connection writes to, so a deleted or replaced database is noticed.

A deleted SQLite file stays writable through the connections that have it open: without a
check every later batch would be committed into a file nobody can see. Each connection
remembers the (device, inode) of the file it opened; after a commit the writer compares it
with the file now at the path.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Connection, Engine, event

from hkdesk.store.engine import sqlite_path
from hkdesk.store.errors import StoreError

#: Connection-record key: (device, inode) of the SQLite file when the connection opened it.
_FILE_ID = "hkdesk_file_id"

FileId = tuple[int, int]


class DatabaseFileReplaced(StoreError):
    """The SQLite file was deleted or replaced while we had it open (a transient failure)."""


def file_identity(path: Path) -> FileId | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


class SqliteFileGuard:
    """Tracks the file behind each connection of ``engine`` (does nothing for other databases)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.path = sqlite_path(engine)
        if self.path is not None:
            event.listen(engine, "connect", self._remember)

    def _remember(self, _dbapi_connection: object, record: object) -> None:
        assert self.path is not None
        record.info[_FILE_ID] = file_identity(self.path)  # type: ignore[attr-defined]

    def opened(self, conn: Connection) -> FileId | None:
        """Identity of the SQLite file this connection writes to (None for other databases)."""
        if self.path is None:
            return None
        info = conn.connection.info
        if _FILE_ID not in info:  # opened before this guard existed
            info[_FILE_ID] = file_identity(self.path)
        return info[_FILE_ID]

    def replaced(self, opened: FileId | None) -> bool:
        """True if the file now at the path is not the one ``opened`` names."""
        if self.path is None:
            return False
        return opened is None or file_identity(self.path) != opened

    def check_commit(self, opened: FileId | None) -> None:
        """After a commit: raise :class:`DatabaseFileReplaced` (having closed every connection)
        unless it landed in the file that is at the path now. The batch then counts as not
        written and is retried in a new file; nothing committed after the deletion is lost (what
        the deleted file held is gone with it)."""
        if self.replaced(opened):
            self._engine.dispose()
            raise DatabaseFileReplaced(f"the database file {self.path} was deleted or replaced; reopening it")
