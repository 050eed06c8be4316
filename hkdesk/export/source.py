"""Which market database an export reads when ``--db`` is not given.

The one place to change when each quote source gets its own database.
"""

from __future__ import annotations

from hkdesk.store.engine import default_db_url


def market_db_url(explicit: str | None = None) -> str:
    return explicit or default_db_url()
