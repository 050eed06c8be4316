"""A desktop's day from the desk's database (``--desk-db``): read-only, the whole stored day as
``/kline`` would give it, a day read without its open listed for another read, failures named
with the password hidden; and the backfill engine storing what it reads into the desktop's own
database, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError
from support.waits import wait_until, wait_until_sync

from hkdesk.backfill import Backfill
from hkdesk.desk.history import DeskHistory
from hkdesk.domain.bars import MINUTE
from hkdesk.domain.day_holes import DayFill
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.types import Bar
from hkdesk.feed.http_transport import HttpError
from hkdesk.store import BatchWriter, make_engine, migrate
from hkdesk.store.history import bars_between
from hkdesk.store.schema import bars as bars_table

DAY = date(2026, 3, 3)


def at(hh: int, mm: int, day: date = DAY) -> int:
    return int(datetime.combine(day, time(hh, mm), HK_TZ).timestamp() * 1000)


def minute_bar(start: int, close: str = "301", symbol: str = "700.HK") -> Bar:
    return Bar(
        symbol, start, MINUTE, Decimal("300"), Decimal("302"), Decimal("299"), Decimal(close),
        Decimal("1000"), Decimal("300000"), provided=True,
    )  # fmt: skip


def minutes(first: int, last: int, symbol: str = "700.HK") -> list[Bar]:
    return [minute_bar(t, symbol=symbol) for t in range(first, last + 1, MINUTE * 1000)]


def store(url: str, bars: list[Bar]) -> None:
    """Bars into the desk's database, as its writer leaves them."""
    engine = make_engine(url)
    migrate(engine)
    writer = BatchWriter(engine, flush_interval=0.01)
    writer.start()
    try:
        writer.put_bars(bars)
        wait_until_sync(lambda: writer.stats().queued == 0 and writer.stats().batches >= 1, what="commit")
    finally:
        writer.stop(10)
        engine.dispose()


@contextlib.contextmanager
def desk_history(url: str):
    history = DeskHistory(url)
    try:
        yield history
    finally:
        history.dispose()


async def test_the_day_comes_as_the_provider_would_give_it_and_nothing_can_be_written(db_url):
    yesterday = minutes(at(15, 58, date(2026, 3, 2)), at(15, 59, date(2026, 3, 2)))
    today = minutes(at(9, 30), at(10, 59))
    store(db_url, yesterday + today + minutes(at(9, 30), at(9, 40), symbol="5.HK"))
    with desk_history(db_url) as history:
        klines = await history.minute_bars("700.HK", now_ms=at(10, 59) + 30_000)
        assert [b.start for b in klines.bars] == [b.start for b in today]  # the day, not the one before
        assert klines.in_progress and klines.complete[-1].start == at(10, 58)
        assert klines.bars[0].close == Decimal("301") and klines.bars[0].provided
        assert history.short_days() == set()

        klines = await history.minute_bars("700.HK", now_ms=at(10, 15) + 1)  # the clock bounds the read
        assert klines.bars[-1].start == at(10, 15) and klines.in_progress
        assert not (await history.minute_bars("700.HK", now_ms=at(11, 30))).in_progress
        assert (await history.minute_bars("1299.HK", now_ms=at(11, 0))).bars == []  # never stored there
        assert await history.current_bars(["700.HK"], now_ms=at(11, 0)) == {}

        with pytest.raises(DBAPIError), history._engine.begin() as conn:
            conn.execute(delete(bars_table))
    check = make_engine(db_url)
    try:
        assert len(bars_between(check, "700.HK", MINUTE, at(0, 0), at(23, 59))) == len(today)
    finally:
        check.dispose()


async def test_a_day_without_its_open_is_listed_until_it_is_read_whole(db_url):
    store(db_url, minutes(at(10, 30), at(10, 45)))  # the desk streamed from 10:30, its backfill not done
    with desk_history(db_url) as history:
        await history.minute_bars("700.HK", now_ms=at(10, 46))
        assert history.short_days() == {"700.HK"}
        store(db_url, minutes(at(9, 30), at(10, 29)))
        klines = await history.minute_bars("700.HK", now_ms=at(10, 46))
        assert klines.bars[0].start == at(9, 30) and len(klines.bars) == 76
        assert history.short_days() == set()


async def test_a_day_read_with_no_clock_is_read_again_for_its_newest_minute(db_url):
    """Before a desktop knows the exchange's time its newest stored minute may still be running,
    so it is left out, and the day is listed to be read again (under load, a desk's 10:59 was
    the newest minute when a desktop read it, and never came)."""
    store(db_url, minutes(at(9, 30), at(10, 59)))
    with desk_history(db_url) as history:
        klines = await history.minute_bars("700.HK")
        assert klines.in_progress and klines.complete[-1].start == at(10, 58)
        assert history.short_days() == {"700.HK"}
        klines = await history.minute_bars("700.HK", now_ms=at(11, 0) + 5_000)
        assert not klines.in_progress and klines.complete[-1].start == at(10, 59)
        assert history.short_days() == set()


async def test_an_unreachable_desk_database_is_named_without_its_password():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+psycopg://reader:s3cret@127.0.0.1:{port}/desk?connect_timeout=2"
    with desk_history(url) as history, pytest.raises(HttpError) as raised:
        await history.minute_bars("700.HK", now_ms=at(11, 0))
    text = str(raised.value)
    assert text.startswith(f"desk database postgresql+psycopg://reader:***@127.0.0.1:{port}/desk")
    assert "s3cret" not in text


def test_a_malformed_desk_database_url_is_refused_in_words():
    with pytest.raises(ValueError, match="desk database"):
        DeskHistory("nosuchdialect://x")


async def test_the_backfill_stores_the_desk_s_morning_and_reads_a_short_day_again(db_url, tmp_path):
    desk_url = db_url
    store(desk_url, minutes(at(10, 30), at(10, 45)))
    local = make_engine(f"sqlite:///{tmp_path / 'desktop.db'}")
    migrate(local)
    writer = BatchWriter(local, flush_interval=0.01)
    writer.start()
    now = at(10, 46) + 5_000
    try:
        with desk_history(desk_url) as history:
            backfill = Backfill(history, writer, lambda: now, retry_wait=0.05)
            backfill.watch(["700.HK"])
            task = asyncio.create_task(backfill.run())
            try:
                await wait_until(lambda: backfill.day_fill("700.HK") is DayFill.FILLED, what="the first read")

                def stored() -> list[int]:
                    return [b.start for b in bars_between(local, "700.HK", MINUTE, at(0, 0), at(23, 59))]

                await wait_until(lambda: len(stored()) == 16, what="10:30-10:45 stored")
                assert history.short_days() == {"700.HK"}

                store(desk_url, minutes(at(9, 30), at(10, 29)))  # the desk's own backfill lands
                backfill.refill(history.short_days())
                await wait_until(lambda: len(stored()) == 76, what="the morning stored")
                assert stored()[0] == at(9, 30) and history.short_days() == set()
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    finally:
        writer.stop(10)
        local.dispose()
