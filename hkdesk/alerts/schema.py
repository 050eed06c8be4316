"""The alerts file: definitions, the log of firings, and a revision counter, versioned.

Alerts live in their own SQLite file in the config folder (``alerts.db``), not in the market
database: they belong to the user and the workstation, like the watchlists, so they stay the
same whichever quote source or market database (SQLite file, shared PostgreSQL, one per source)
is in use, and a desk can copy a configured folder to another machine. The app and the CLI open
the same file; SQLite in WAL mode lets one write while the other reads.

``revision`` counts changes to the definitions (not firings), so the app can notice an import
made from the command line with one cheap read.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from hkdesk.store.schema import SYMBOL, ExactDecimal

metadata = MetaData()

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("symbol", SYMBOL, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value", ExactDecimal, nullable=False),
    Column("minutes", Integer),
    Column("cooldown_minutes", Integer),
    Column("paused", Boolean, nullable=False),
    Column("last_fired_ts", BigInteger),
    Column("created_at", Float, nullable=False),
)

#: No foreign key to ``alerts``: the log keeps what happened after an alert is deleted.
alert_log = Table(
    "alert_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer),
    Column("source", String(40), nullable=False),
    Column("symbol", SYMBOL, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("condition", Text, nullable=False),
    Column("price", ExactDecimal, nullable=False),
    Column("ts", BigInteger, nullable=False),
    Column("logged_at", Float, nullable=False),
    Index("alert_log_logged_at", "logged_at"),
)

revision = Table("revision", metadata, Column("value", Integer, nullable=False))

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))


def _v1_initial(conn: Connection) -> None:
    for table in (alerts, alert_log, revision):
        table.create(conn, checkfirst=True)
    conn.execute(revision.insert().values(value=0))


#: ``MIGRATIONS[n]`` upgrades a version ``n - 1`` alerts file to version ``n``.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1_initial}
