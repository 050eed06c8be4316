"""Helpers shared by the store tests: tick factories, polling, and ways to make a database busy."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import psycopg
from sqlalchemy.engine import make_url

from hkdesk.domain.types import Tick
from hkdesk.store import make_engine

T0 = 1_700_000_000_000  # 2023-11-14T22:13:20Z, a Wednesday 06:13 in Hong Kong


def tick(
    seq: int, symbol: str = "700.HK", ts: int | None = None, price: str = "300", volume: str = "100"
) -> Tick:
    return Tick(
        symbol=symbol,
        seq=seq,
        ts=T0 + seq * 100 if ts is None else ts,
        price=Decimal(price),
        volume=Decimal(volume),
        received_at=1.5,
    )


def ticks(start: int, stop: int, symbol: str = "700.HK") -> list[Tick]:
    return [tick(i, symbol, price=f"{300 + (i % 17) / 1000:.3f}") for i in range(start, stop)]


def quick_engine(url: str):
    """An engine that gives up quickly on a locked database (50 ms busy/lock timeout)."""
    if url.startswith("sqlite"):
        return make_engine(url, busy_timeout_ms=50)
    sep = "&" if "?" in url else "?"
    if "options=" in url:
        return make_engine(url.replace("options=", "options=-clock_timeout%3D50%20", 1))
    return make_engine(f"{url}{sep}options=-clock_timeout%3D50")


def _pg_conninfo(url: str) -> str:
    u = make_url(url)
    options = u.query.get("options", "")
    return f"host={u.host} port={u.port or 5432} user={u.username} dbname={u.database} options='{options}'"


@contextmanager
def database_locked(url: str) -> Iterator[None]:
    """Hold an exclusive lock so the writer's transactions fail until the block exits."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(make_url(url).database, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    with psycopg.connect(_pg_conninfo(url)) as conn:
        conn.execute("LOCK TABLE ticks, bars IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            conn.rollback()
