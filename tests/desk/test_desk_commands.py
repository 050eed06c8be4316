"""The desk as the commands spell it: ``hkdesk record --publish``, ``hkdesk --url nats://`` and
``hkdesk record --url nats://``, over the real simulator, NATS and databases."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import datetime, time

from sqlalchemy.exc import ProgrammingError
from support.desks import control, make_desk
from support.waits import wait_until

from hkdesk.backfill.day import hk_date
from hkdesk.desk.feed import DeskFeed
from hkdesk.domain.bars import MINUTE
from hkdesk.domain.day_holes import DayFill
from hkdesk.domain.freshness import Freshness
from hkdesk.domain.quotes import hk_datetime
from hkdesk.domain.sessions import HK_TZ
from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import HTTP_LIMITS
from hkdesk.sim.process import start_simulator_process
from hkdesk.store import make_engine
from hkdesk.store.history import bars_between, count_ticks


def hkdesk(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-m", "hkdesk", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


async def test_a_desk_server_feeds_a_desktop_and_a_second_site_s_recorder(
    qtbot, tmp_path, nats_url, desk_name
):
    server = hkdesk(
        "record", "--symbols", "700,5,9988", "--db", f"sqlite:///{tmp_path / 'desk.db'}",
        "--publish", nats_url, "--desk", desk_name, "--duration", "60", "--progress-every", "1",
    )  # fmt: skip
    try:
        desk = make_desk(tmp_path / "cfg", None, url=nats_url, desk=desk_name, token=None)
        win = await desk.open()
        try:
            hub = desk.market.hub

            # a book alone (painted from the latest-quote bucket) is live before the first trade
            def traded_live() -> bool:
                quote = hub.quotes.get("700.HK")
                live = hub.freshness("700.HK").state is Freshness.LIVE
                return live and quote is not None and quote.last is not None

            await wait_until(traded_live, 40, "a live trade from the desk")
            assert desk.market.source_text == f"Shared desk ({desk_name})"
            feed = desk.market.feed
            assert isinstance(feed, DeskFeed)
            await wait_until(lambda: feed.sync.parked, 20, "the desktop on the live path alone")
            assert win.model.rowCount()
            witness = hkdesk(
                "record", "--url", nats_url, "--desk", desk_name, "--symbols", "700",
                "--db", f"sqlite:///{tmp_path / 'witness.db'}", "--duration", "4",
            )  # fmt: skip
            _, err = await asyncio.to_thread(witness.communicate, timeout=60)
            assert witness.returncode == 0, err[-2000:]
        finally:
            await desk.close()
    finally:
        server.terminate()
        out_server, err_server = server.communicate(timeout=60)
    assert "leading" in out_server, err_server[-2000:]
    witness_db = make_engine(f"sqlite:///{tmp_path / 'witness.db'}")
    desk_db = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    try:
        recorded = count_ticks(witness_db, "700.HK")
        assert recorded > 0 and count_ticks(desk_db, "700.HK") >= recorded
    finally:
        witness_db.dispose()
        desk_db.dispose()


async def asked_directly(ws_url: str, symbol: str) -> dict:
    """``symbol``'s previous close and session so far as a direct connection asks for them."""
    direct = QuoteHttp(ws_url, "a-direct-desktop", limits=HTTP_LIMITS["professional"])
    for _ in range(20):  # the simulator may still be spacing requests
        if answer := await direct.previous_closes([symbol]):
            return answer
        await asyncio.sleep(1.0)
    raise AssertionError(f"the simulator never answered for {symbol}")


def _minute_starts(engine, symbol: str) -> list[int]:
    """Every 1-minute bar's start of ``symbol`` (any day), oldest first."""
    return [b.start for b in bars_between(engine, symbol, MINUTE, 0, 2**62)]


async def test_a_desktop_shows_the_morning_a_late_desk_stored_when_given_the_desk_database(
    qtbot, tmp_path, nats_url, desk_name, pg_url
):
    """The desk (and the simulator's day) started at 11:00: the stream has nothing before, the
    desk's database has the morning from its own backfill; ``--desk-db`` brings it to the desktop."""
    sim = start_simulator_process(["--start", "11:00", "--seed", "7"])
    server = hkdesk(
        "record", "--url", sim.ws_url, "--token", "desk-test", "--plan", "professional",
        "--symbols", "700", "--db", pg_url, "--publish", nats_url, "--desk", desk_name,
        "--duration", "90", "--progress-every", "1",
    )  # fmt: skip
    desk_db = make_engine(pg_url)
    try:

        def desk_morning() -> list[int]:
            try:
                starts = _minute_starts(desk_db, "700.HK")
            except ProgrammingError:  # the desk server has not made its tables yet
                return []
            opens = (
                int(datetime.combine(hk_date(starts[-1]), time(9, 30), HK_TZ).timestamp() * 1000)
                if starts
                else 0
            )
            return [s for s in starts if s < opens + 90 * 60_000]  # up to 11:00

        await wait_until(lambda: len(desk_morning()) >= 90, 60, "the desk's morning from its backfill")
        desk = make_desk(
            tmp_path / "cfg", None, url=nats_url, desk=desk_name, token=None, desk_db=pg_url, symbols="700"
        )
        await desk.open()
        try:
            local = desk.market.engine
            try:
                await wait_until(
                    lambda: set(desk_morning()) <= set(_minute_starts(local, "700.HK")),
                    40,
                    "the morning on the desktop",
                )
            except AssertionError:
                missing = sorted(set(desk_morning()) - set(_minute_starts(local, "700.HK")))
                raise AssertionError(
                    f"{len(missing)} of the desk's morning minutes missing on the desktop, e.g. "
                    f"{[hk_datetime(m).strftime('%m-%d %H:%M') for m in missing[:5]]}; the desktop "
                    f"has {len(_minute_starts(local, '700.HK'))} minutes"
                ) from None
            assert desk.market.filler.day_fill("700.HK") is DayFill.FILLED
            quote = desk.market.hub.quotes["700.HK"]
            await wait_until(lambda: quote.prev_close is not None, 20, "the previous close from the desk")
            answer = await asked_directly(sim.ws_url, "700.HK")
            assert quote.prev_close == answer["700.HK"].previous_close  # as a direct connection shows it
        finally:
            await desk.close()
    finally:
        desk_db.dispose()
        server.terminate()
        server.communicate(timeout=60)
        sim.stop()


async def test_a_desk_begun_late_shows_its_desktops_the_whole_day_as_a_direct_connection_does(
    qtbot, tmp_path, nats_url, desk_name
):
    """The simulator's day and the desk began at 11:00 (demo clock at 10×): the desk's stream
    holds nothing before. Once the desk has given the day before its stream, the desktop's day
    (volume, turnover, open, high, low) is the provider's own, to the share: with the market
    held still, it equals what a direct HTTP query answers for the session so far."""
    sim = start_simulator_process(["--start", "11:00", "--seed", "7", "--speed", "10"])
    server = hkdesk(
        "record", "--url", sim.ws_url, "--token", "desk-test", "--plan", "professional",
        "--symbols", "700", "--db", f"sqlite:///{tmp_path / 'desk.db'}", "--publish", nats_url,
        "--desk", desk_name, "--duration", "120", "--progress-every", "1",
    )  # fmt: skip
    try:
        desk = make_desk(tmp_path / "cfg", None, url=nats_url, desk=desk_name, token=None, symbols="700")
        await desk.open()
        try:
            hub = desk.market.hub

            def joined() -> bool:
                quote = hub.quotes.get("700.HK")
                return quote is not None and quote.counted_from > 0 and quote.trades > 0

            await wait_until(joined, 90, "the desk's day before its stream")
            await control(sim.control_url, "speed", x="0.000001")  # the market holds still
            await asyncio.sleep(3.0)
            answer = await asked_directly(sim.ws_url, "700.HK")
            day = answer["700.HK"].today
            quote = hub.quotes["700.HK"]
            assert (quote.volume, quote.turnover) == (day.volume, day.turnover)
            assert quote.counted_from > day.start  # the stream began after the open
            assert (quote.open, quote.high, quote.low, quote.last) == (day.open, day.high, day.low, day.close)
        finally:
            await desk.close()
    finally:
        server.terminate()
        server.communicate(timeout=60)
        sim.stop()
