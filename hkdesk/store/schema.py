"""Tables, exact-number storage and explicit schema migrations.

Exact numbers: prices, volumes and turnovers never pass through a binary float.
- PostgreSQL stores them as unconstrained ``NUMERIC``: exact, and no value the feed can legally
  send (prices up to 1e7, volumes up to 1e13, their product) can overflow it.
- SQLite has no exact decimal type, so they are stored as exact decimal **text** in plain
  notation (``"0.001"``, ``"123456789.123"``), in a column with TEXT affinity so SQLite never
  converts it to REAL. Text was chosen over scaled integers because it has no range limit (a
  ×10^6 integer overflows int64 above 9.2e12, which a large turnover could reach) and no
  rounding for prices with more than six decimals. The cost is that SQL cannot compare or sum
  these columns, so the writer merges bars in Python (see ``minute_bars``).
Either way ``ExactDecimal`` hands back ``Decimal`` on read.

``received_at`` and ``recorded_at`` are our own clock readings (epoch seconds), not market
numbers, and stay plain floats.

``ticks`` is keyed by ``(symbol, ts, seq)``: one B-tree that is both the duplicate check (a trade
sent again carries the same exchange time and sequence number) and the order every read wants
(a symbol's trades by time). Version 1 keyed it by ``(symbol, seq)`` with a second index on
``(symbol, ts)``; every insert then updated two B-trees: SQLite took 3.3 µs a row to insert and
commit instead of 2.0, and 101 bytes a tick instead of 69.

``bars`` holds the 1-minute bars the writer maintains as ticks arrive. Besides OHLCV it keeps the
``(ts, seq)`` of its first and last trade, so a late or replayed tick updates open/close
correctly whatever order ticks are committed in. A bar with ``provided`` set came whole from the
provider's K-lines (a minute we hold no or too few trades of; see ``minute_bars``): its trade
count is 0 and its first and last ``(ts, seq)`` are the minute's start and 0.

``gaps.filled_at`` (NULL: not yet) is when the provider's bars of the minutes inside a gap were
stored. ``symbol_info`` keeps the provider's facts of codes looked up outside the shipped list.

Migrations: ``schema_version`` holds one row with the version number. ``MIGRATIONS[n]`` turns a
version ``n-1`` database into version ``n``; ``migrate`` applies the missing ones in order, each
in its own transaction together with the version bump.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    select,
    text,
)
from sqlalchemy.types import TypeDecorator

from hkdesk.store.errors import StoreError, redact_url


def decimal_text(value: Decimal) -> str:
    """How SQLite stores a decimal: plain digits, never exponent notation ("1E+3" -> "1000").

    ``str`` is about twice as fast as ``format(value, "f")`` and gives the same text unless it
    would use an exponent; the writer's tick rows inline this for that reason.
    """
    text = str(value)
    return text if "E" not in text else format(value, "f")


class ExactDecimal(TypeDecorator):
    """``Decimal`` in and out: NUMERIC on PostgreSQL, plain-notation text on SQLite."""

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Text())
        return dialect.type_descriptor(Numeric(asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return decimal_text(value if isinstance(value, Decimal) else Decimal(value))
        return value

    def process_result_value(self, value, dialect):
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(value)


SYMBOL = String(32)
metadata = MetaData()
#: The columns that make a trade unique, and the order a symbol's trades are stored and read in.
TICK_KEY = ("symbol", "ts", "seq")

ticks = Table(
    "ticks",
    metadata,
    Column("symbol", SYMBOL, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("ts", BigInteger, nullable=False),
    Column("price", ExactDecimal, nullable=False),
    Column("volume", ExactDecimal, nullable=False),
    Column("turnover", ExactDecimal, nullable=False),
    Column("direction", SmallInteger, nullable=False),
    Column("received_at", Float, nullable=False),
    PrimaryKeyConstraint(*TICK_KEY, name="ticks_pk"),
    sqlite_with_rowid=False,
)

depth = Table(
    "depth",
    metadata,
    Column("symbol", SYMBOL, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("ts", BigInteger, nullable=False),
    Column("bids", Text, nullable=False),
    Column("asks", Text, nullable=False),
    Column("received_at", Float, nullable=False),
    PrimaryKeyConstraint("symbol", "seq", "ts", name="depth_pk"),
    Index("depth_symbol_ts", "symbol", "ts"),
    sqlite_with_rowid=False,
)

bars = Table(
    "bars",
    metadata,
    Column("symbol", SYMBOL, nullable=False),
    Column("interval_s", Integer, nullable=False),
    Column("start", BigInteger, nullable=False),
    Column("open", ExactDecimal, nullable=False),
    Column("high", ExactDecimal, nullable=False),
    Column("low", ExactDecimal, nullable=False),
    Column("close", ExactDecimal, nullable=False),
    Column("volume", ExactDecimal, nullable=False),
    Column("turnover", ExactDecimal, nullable=False),
    Column("trades", Integer, nullable=False),
    Column("first_ts", BigInteger, nullable=False),
    Column("first_seq", BigInteger, nullable=False),
    Column("last_ts", BigInteger, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("provided", SmallInteger, nullable=False, server_default=text("0")),
    PrimaryKeyConstraint("symbol", "interval_s", "start", name="bars_pk"),
    sqlite_with_rowid=False,
)

gaps = Table(
    "gaps",
    metadata,
    Column("symbol", SYMBOL, nullable=False),
    Column("start_ts", BigInteger, nullable=False),
    Column("end_ts", BigInteger, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("recorded_at", Float, nullable=False),
    Column("filled_at", Float, nullable=True),
    UniqueConstraint("symbol", "start_ts", "end_ts", "reason", name="gaps_key"),
)

#: The provider's facts of codes looked up (``/static_info``), kept for the next start.
symbol_info = Table(
    "symbol_info",
    metadata,
    Column("symbol", SYMBOL, primary_key=True),
    Column("name_en", String(200), nullable=False),
    Column("name_cn", String(200), nullable=False),
    Column("lot_size", Integer, nullable=False),
    Column("currency", String(16), nullable=False),
    Column("exchange", String(16), nullable=False),
    Column("total_shares", ExactDecimal, nullable=True),
    Column("eps", ExactDecimal, nullable=True),
    Column("eps_ttm", ExactDecimal, nullable=True),
    Column("bps", ExactDecimal, nullable=True),
    Column("dividend_yield", ExactDecimal, nullable=True),
    Column("fetched_at", Float, nullable=False),
)

#: Facts about the database itself; ``source`` names the one quote source whose data it holds.
store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(400), nullable=False),
)

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, nullable=False),
)


def _v1_initial(conn: Connection) -> None:
    """The tables as this version defines them (a new database needs no later migration)."""
    for table in (ticks, depth, bars, gaps, store_meta, symbol_info):
        table.create(conn, checkfirst=True)


#: PostgreSQL: how long the re-keying waits for other sessions' locks on ``ticks`` (another
#: desk reading it) before it fails and the writer retries later, instead of queueing every
#: later reader behind its own exclusive lock.
MIGRATION_LOCK_TIMEOUT = "10s"


def _v2_ticks_by_time(conn: Connection) -> None:
    """Re-key ``ticks`` from ``(symbol, seq)`` plus an index on ``(symbol, ts)`` to the one key
    ``(symbol, ts, seq)``; nothing to do for a database that ``_v1_initial`` made already so."""
    if conn.dialect.name == "postgresql":
        if _ticks_key(conn) == list(TICK_KEY):
            return
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{MIGRATION_LOCK_TIMEOUT}'")
        conn.exec_driver_sql("ALTER TABLE ticks DROP CONSTRAINT ticks_pk")
        conn.exec_driver_sql(f"ALTER TABLE ticks ADD CONSTRAINT ticks_pk PRIMARY KEY ({', '.join(TICK_KEY)})")
        conn.exec_driver_sql("DROP INDEX IF EXISTS ticks_symbol_ts")
        return
    # SQLite cannot change a WITHOUT ROWID table's key: the rows move to a new table. In the old
    # key's order, which for one symbol is nearly time order, so no sort is needed. The steps
    # share one transaction; a connection that committed each on its own and was cut off leaves
    # ``ticks_v1`` behind, and the copy resumes from it.
    if "ticks_v1" not in inspect(conn).get_table_names():
        if _ticks_key(conn) == list(TICK_KEY):
            return
        conn.exec_driver_sql("ALTER TABLE ticks RENAME TO ticks_v1")
    ticks.create(conn, checkfirst=True)
    columns = ", ".join(c.name for c in ticks.columns)
    conn.exec_driver_sql(f"INSERT OR IGNORE INTO ticks ({columns}) SELECT {columns} FROM ticks_v1")
    conn.exec_driver_sql("DROP TABLE ticks_v1")  # and its (symbol, ts) index


def _v3_store_meta(conn: Connection) -> None:
    """A table for facts about the database: which source's data it holds."""
    store_meta.create(conn, checkfirst=True)


def _v4_backfill(conn: Connection) -> None:
    """Bars from the provider (``bars.provided``), filled gaps (``gaps.filled_at``) and the facts
    of looked-up codes (``symbol_info``). Adding a column with a constant default rewrites
    nothing on either database."""
    found = inspect(conn)
    if "provided" not in {c["name"] for c in found.get_columns(bars.name)}:
        conn.exec_driver_sql("ALTER TABLE bars ADD COLUMN provided SMALLINT NOT NULL DEFAULT 0")
    if "filled_at" not in {c["name"] for c in found.get_columns(gaps.name)}:
        type_name = "REAL" if conn.dialect.name == "sqlite" else "DOUBLE PRECISION"
        conn.exec_driver_sql(f"ALTER TABLE gaps ADD COLUMN filled_at {type_name}")
    symbol_info.create(conn, checkfirst=True)


def _ticks_key(conn: Connection) -> list[str]:
    return inspect(conn).get_pk_constraint(ticks.name)["constrained_columns"]


#: ``MIGRATIONS[n]`` upgrades a version ``n - 1`` database to version ``n``.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _v1_initial,
    2: _v2_ticks_by_time,
    3: _v3_store_meta,
    4: _v4_backfill,
}
SCHEMA_VERSION = max(MIGRATIONS)


def current_version(conn: Connection, table: Table = schema_version) -> int:
    """The stored schema version, 0 for an empty database."""
    if not conn.dialect.has_table(conn, table.name):
        return 0
    return conn.execute(select(table.c.version)).scalar() or 0


def run_migrations(engine: Engine, table: Table, migrations: dict[int, Callable[[Connection], None]]) -> int:
    """Apply ``migrations`` missing from the database whose version row lives in ``table``;
    return the version found before. Shared by the market database and the alerts file.

    Raises ``StoreError`` if the database was written by a newer hkdesk.
    """
    latest = max(migrations)
    with engine.begin() as conn:
        table.create(conn, checkfirst=True)
        found = current_version(conn, table)
    if found > latest:
        raise StoreError(
            f"database {redact_url(engine.url)!r} has schema version {found}, newer than this "
            f"hkdesk understands ({latest}); upgrade hkdesk"
        )
    for version in range(found + 1, latest + 1):
        with engine.begin() as conn:
            migrations[version](conn)
            conn.execute(table.delete())
            conn.execute(table.insert().values(version=version))
    return found


def migrate(engine: Engine) -> int:
    """Bring the database up to ``SCHEMA_VERSION``; return the version found before.

    Raises ``StoreError`` if the database was written by a newer hkdesk.
    """
    return run_migrations(engine, schema_version, MIGRATIONS)
