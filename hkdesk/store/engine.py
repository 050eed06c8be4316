"""Engine construction: SQLite by default (tuned for one writer), PostgreSQL through psycopg 3.

SQLite connections get WAL journalling (readers never block the writer), ``synchronous=NORMAL``
(a commit survives a process crash; a power cut may lose the last commits but never corrupts the
file) and a ``busy_timeout`` so a briefly locked file is waited for instead of failing at once.
The driver's own implicit transaction handling is switched off and SQLAlchemy emits ``BEGIN``
itself, so reads and DDL run inside real transactions too.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from hkdesk.folders import default_data_dir
from hkdesk.store.errors import StoreError, redact_text, redact_url

DEFAULT_BUSY_TIMEOUT_MS = 5_000
DEFAULT_CONNECT_TIMEOUT_S = 10


def default_db_url(name: str = "hkdesk", data_dir: Path | None = None) -> str:
    """SQLite file ``<name>.db`` in ``data_dir`` (the user's data folder by default; the folder is
    created by ``make_engine``). Each quote source has its own name, so their data never mix."""
    return f"sqlite:///{(data_dir or default_data_dir()) / f'{name}.db'}"


def _normalise(url: URL) -> URL:
    if url.drivername in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    return url


def _sqlite_file(url: URL) -> Path | None:
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def sqlite_path(engine: Engine) -> Path | None:
    """The file behind a SQLite engine (None for other databases and in-memory SQLite)."""
    if engine.dialect.name != "sqlite":
        return None
    return _sqlite_file(engine.url)


#: SQLite page cache per connection, KiB.
SQLITE_CACHE_KIB = 64 * 1024


def _tune_sqlite(engine: Engine, busy_timeout_ms: int, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        else:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # The default 2 MiB page cache makes the tick table and its (symbol, ts) index evict
        # each other's hot leaf pages during a big batch; 64 MiB (taken only as pages are
        # touched) cut SQLite's insert time per row by about a fifth.
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")


def make_engine(
    url: str | URL | None = None,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    connect_timeout_s: int = DEFAULT_CONNECT_TIMEOUT_S,
    echo: bool = False,
    read_only: bool = False,
) -> Engine:
    """An engine for ``url`` (default: ``default_db_url()``); no connection is made yet.
    ``read_only``: every session refuses writes (PostgreSQL's ``default_transaction_read_only``,
    SQLite's ``query_only``; no folder is created for a SQLite file).

    Raises ``StoreError`` for a malformed URL, an unknown dialect or a missing driver; the
    message carries the URL with its password hidden.
    """
    raw = default_db_url() if url is None else url
    try:
        parsed = _normalise(make_url(raw))
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"invalid database URL {redact_url(raw)!r}: {redact_text(str(exc))}") from exc
    shown = redact_url(parsed)
    kwargs: dict = {"echo": echo}
    if parsed.get_backend_name() == "postgresql":
        connect_args: dict = {}
        if "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = connect_timeout_s
        if read_only:  # added to the URL's own options (a search_path, say), not instead
            given = parsed.query.get("options", "")
            given = " ".join(given) if isinstance(given, tuple) else given
            connect_args["options"] = f"{given} -c default_transaction_read_only=on".strip()
        kwargs["connect_args"] = connect_args
    try:
        engine = create_engine(parsed, **kwargs)
    except NoSuchModuleError as exc:
        raise StoreError(f"unsupported database URL {shown!r}: unknown dialect or driver") from exc
    except ImportError as exc:
        hint = " (install it with: pip install 'hkdesk[postgres]')" if "psycopg" in str(exc) else ""
        raise StoreError(f"database driver for {shown!r} is not installed: {exc}{hint}") from exc
    except (ArgumentError, TypeError, ValueError) as exc:
        raise StoreError(f"invalid database URL {shown!r}: {redact_text(str(exc))}") from exc
    if engine.dialect.name == "sqlite":
        path = _sqlite_file(parsed)
        if path is not None and not read_only:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for {shown!r}: {exc}") from exc
        _tune_sqlite(engine, busy_timeout_ms, read_only)
    return engine


def ping(engine: Engine) -> None:
    """Connect once and run ``SELECT 1``; raise ``StoreError`` (password hidden) on failure."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        reason = redact_text(str(getattr(exc, "orig", None) or exc)).strip()
        raise StoreError(f"cannot reach the database {redact_url(engine.url)!r}: {reason}") from exc
