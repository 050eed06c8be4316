"""Writer throughput on SQLite and PostgreSQL at batch sizes 1, 10, 100, 1,000.

The baseline is the naive design: one transaction per tick (batch 1). hkdesk's rows are
the same ``BatchWriter`` the app uses, fed batches of the given size.
"""

from __future__ import annotations

import tempfile
import time
from decimal import Decimal
from pathlib import Path

from bench.report import Result
from hkdesk.domain.types import Tick
from hkdesk.store.writer import BatchWriter

T0 = 1_764_207_000_000
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dhkdesk_bench"


def make_ticks(n: int, offset: int = 0) -> list[Tick]:
    symbols = [f"{c}.HK" for c in (700, 5, 9988, 1299, 3690, 939, 1398, 2318, 388, 1810)]
    out = []
    for i in range(offset, offset + n):
        price = Decimal(500) + Decimal(i % 200) / 10
        out.append(Tick(symbols[i % 10], i, T0 + i, price, Decimal(100), price * 100, 1 + i % 2))
    return out


def writer_rate(url: str, spill: Path, batch: int, n: int) -> float:
    """Rows/s committing ``n`` ticks in batches of ``batch``, one transaction per batch."""
    writer = BatchWriter(url, flush_rows=batch, flush_interval=0.0005, spill_dir=spill)
    ticks = make_ticks(n)
    writer.start()
    while writer.stats().batches == 0 and not writer.stats().last_error:
        writer.put_ticks(make_ticks(1, offset=10**9))
        time.sleep(0.05)
    base = writer.stats().stored_total
    started = time.perf_counter()
    for i in range(0, n, batch):
        writer.put_ticks(ticks[i : i + batch])
        if batch < 1000:
            while writer.stats().stored_total - base < i + batch:
                time.sleep(0)
    while writer.stats().stored_total - base < n:
        time.sleep(0.001)
    elapsed = time.perf_counter() - started
    writer.stop()
    return n / elapsed


def _pg_ready() -> bool:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3) as c:
            c.execute("DROP SCHEMA IF EXISTS hkdesk_bench CASCADE")
            c.execute("CREATE SCHEMA hkdesk_bench")
            c.commit()
        return True
    except Exception:
        return False


def run(quick: bool) -> list[Result]:
    results = []
    sizes = {
        1: 300 if quick else 2_000,
        10: 2_000 if quick else 20_000,
        100: 10_000 if quick else 100_000,
        1000: 20_000 if quick else 200_000,
    }
    backends = [("sqlite", None)]
    if _pg_ready():
        backends.append(("postgresql", PG_URL))
    for name, url in backends:
        with tempfile.TemporaryDirectory() as tmp:
            rates = {}
            for batch, n in sizes.items():
                if url is None:
                    db = f"sqlite:///{Path(tmp) / f'b{batch}.db'}"
                else:
                    _pg_ready()
                    db = url
                rates[batch] = writer_rate(db, Path(tmp) / f"spill{batch}", batch, n)
            for batch in (10, 100, 1000):
                results.append(
                    Result(
                        name=f"persistence {name} batch {batch}",
                        unit="rows/s",
                        baseline=rates[1],
                        hkdesk=rates[batch],
                        baseline_label="batch 1",
                    )
                )
    return results
