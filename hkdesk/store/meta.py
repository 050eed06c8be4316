"""Which quote source a database belongs to: data from the simulator never mixes with real data.

The first writer to use a database stamps it with its source (``simulator``, ``alltick``); a
writer for another source is refused before it writes anything, with the reason in words.
"""

from __future__ import annotations

from sqlalchemy import Engine, select

from hkdesk.store.errors import StoreError, redact_url
from hkdesk.store.schema import migrate, store_meta

SOURCE_KEY = "source"


class ForeignDatabase(StoreError):
    """The database holds another source's data."""


def database_source(engine: Engine) -> str | None:
    """The source whose data the database holds, if it was ever stamped."""
    with engine.connect() as conn:
        return conn.execute(select(store_meta.c.value).where(store_meta.c.key == SOURCE_KEY)).scalar()


def claim_source(engine: Engine, source: str) -> None:
    """Create or upgrade the schema, and stamp the database with ``source`` unless it holds
    another source's data (then raise :class:`ForeignDatabase`)."""
    migrate(engine)
    with engine.begin() as conn:
        found = conn.execute(select(store_meta.c.value).where(store_meta.c.key == SOURCE_KEY)).scalar()
        if found is None:
            conn.execute(store_meta.insert().values(key=SOURCE_KEY, value=source))
        elif found != source:
            raise ForeignDatabase(
                f"database {redact_url(engine.url)} holds {found} data; {source} data is kept apart "
                f"(choose another database for it)"
            )
