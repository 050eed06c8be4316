"""A symbol the desk has streamed no trade of shows its last price, as a direct connection does."""

from __future__ import annotations

import time
from decimal import Decimal

import nats
from deskkit import BASE_TS, tick
from test_desk_flow import written_close

from hkdesk.app.desk_session import apply_desk_session
from hkdesk.app.snapshots import FETCHED_ONCE
from hkdesk.desk.closes import CloseBoard
from hkdesk.desk.stream import ensure_bucket
from hkdesk.desk.subjects import DeskNames
from hkdesk.domain.freshness import Freshness, Origin
from hkdesk.domain.quotes import QuoteHub, hk_datetime
from hkdesk.domain.types import SessionSoFar, Tick
from hkdesk.feed.http import SessionStart


async def test_the_desk_gives_a_quiet_symbol_the_providers_latest_trade(nats_url, desk_name) -> None:
    names = DeskNames(desk_name)
    nc = await nats.connect(nats_url)
    await ensure_bucket(nc.jetstream(), names.latest_bucket, ttl=60.0)
    fetched_at = time.time() - 120
    asked: list[list[str]] = []

    async def fetch(symbols: list[str]) -> dict[str, SessionStart]:
        return {s: SessionStart(Decimal("126.4")) for s in symbols}

    async def fetch_latest(symbols: list[str]) -> dict[str, Tick]:
        asked.append(symbols)
        quiet = tick("5.HK", 77, price="126.9")
        quiet.received_at = fetched_at
        return {"5.HK": quiet}

    board = CloseBoard(nc, names, fetch, fetch_latest)
    board.watch(["700.HK", "5.HK"])
    board.note_ticks([tick("700.HK", 1)])  # 700.HK streams: its trades tell its price
    board.start()
    try:
        quiet = await written_close(nats_url, desk_name, "5.HK")
        streamed = await written_close(nats_url, desk_name, "700.HK")
    finally:
        await board.close()
        await nc.close()
    assert asked == [["5.HK"]], "only the symbol the desk has streamed nothing of"
    assert quiet.latest is not None and quiet.latest.price == Decimal("126.9") and quiet.latest.seq == 77
    assert quiet.latest.received_at == fetched_at, "when the desk fetched it, read back from the wire"
    assert streamed.latest is None


def test_a_desktop_shows_the_quiet_symbols_trade_as_fetched_once_when_the_desk_fetched_it() -> None:
    hub, closes = QuoteHub(), {}
    fetched_at = time.time() - 300
    latest = Tick("5.HK", 77, BASE_TS, Decimal("126.9"), Decimal("400"), received_at=fetched_at)
    day = hk_datetime(BASE_TS).date()
    hub.apply_ticks([tick("700.HK", 9, price="381.00")])  # streamed already: its own trade stays
    older = Tick("700.HK", 3, BASE_TS, Decimal("379.00"), Decimal("100"), received_at=fetched_at)
    for record in (
        SessionSoFar("5.HK", day, Decimal("126.4"), latest=latest),
        SessionSoFar("700.HK", day, Decimal("380.2"), latest=older),
    ):
        apply_desk_session(hub, record, lambda symbol, price: closes.update({symbol: price}))
    quiet = hub.quotes["5.HK"]
    assert quiet.last == Decimal("126.9") and closes["5.HK"] == Decimal("126.4")
    info = hub.freshness("5.HK")
    assert info.state is Freshness.SNAPSHOT and info.note == FETCHED_ONCE
    assert info.since == fetched_at, "its age is counted from the desk's fetch, not from now"
    assert hub.quotes["700.HK"].last == Decimal("381.00") and hub.quotes["700.HK"].origin is Origin.LIVE
