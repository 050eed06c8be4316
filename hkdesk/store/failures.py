"""How the writer reads a database failure: worth retrying or not, and what to tell the user.

A transient failure (locked, gone, timed out, disk full, the file deleted underneath) leaves the
batch in memory for a retry; anything else is isolated by bisection and parked (``writer``).
"""

from __future__ import annotations

from types import ModuleType

from sqlalchemy import exc as sa_exc

from hkdesk.store.errors import redact_text
from hkdesk.store.file_guard import DatabaseFileReplaced

#: Longest failure text kept for the status bar and the log.
MESSAGE_CHARS = 500
_DRIVER_KINDS = ("OperationalError", "InterfaceError", "IntegrityError", "InternalError")


def is_transient(exc: BaseException, dbapi: ModuleType | None) -> bool:
    """Whether retrying the same batch later may succeed; ``dbapi`` is the driver module, for
    its own exception classes raised outside SQLAlchemy."""
    if isinstance(exc, DatabaseFileReplaced):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        return exc.connection_invalidated or isinstance(
            exc,
            sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.IntegrityError | sa_exc.InternalError,
        )
    if isinstance(exc, sa_exc.DisconnectionError | sa_exc.TimeoutError | OSError):
        return True
    kinds = tuple(getattr(dbapi, name) for name in _DRIVER_KINDS if hasattr(dbapi, name))
    return isinstance(exc, kinds)


def describe(exc: BaseException) -> str:
    """The driver's own error (not SQLAlchemy's wrapper) as one line, passwords hidden."""
    reason = getattr(exc, "orig", None) or exc
    return redact_text(f"{type(reason).__name__}: {reason}".strip())[:MESSAGE_CHARS]
