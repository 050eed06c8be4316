"""Persistence: schema and migrations, the batch writer with its spill file, history queries."""

from hkdesk.domain.types import Gap
from hkdesk.store.engine import default_db_url, make_engine, ping
from hkdesk.store.errors import StoreError, redact_url
from hkdesk.store.schema import SCHEMA_VERSION, migrate
from hkdesk.store.writer import BatchWriter
from hkdesk.store.writer_stats import WriterStats

__all__ = [
    "SCHEMA_VERSION",
    "BatchWriter",
    "Gap",
    "StoreError",
    "WriterStats",
    "default_db_url",
    "make_engine",
    "migrate",
    "ping",
    "redact_url",
]
