"""The desk on the machine's NATS: publisher, demand, desk feed; every tick once, none lost."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from datetime import date, datetime
from decimal import Decimal

import msgspec
import nats
import pytest
from deskkit import BASE_TS, Received, UpstreamFactory, book, keys, ticks
from support.waits import wait_until

from hkdesk.desk.closes import MAX_TRIES, CloseBoard
from hkdesk.desk.codec import decode_close, decode_tick, tick_id
from hkdesk.desk.connection import NatsOptions, connect_nats
from hkdesk.desk.demand import Demand
from hkdesk.desk.feed import DeskFeed
from hkdesk.desk.feed_status import DeskFeedTimings
from hkdesk.desk.follower import StreamFollower
from hkdesk.desk.publisher import DeskPublisher
from hkdesk.desk.server import DeskServer, DeskTimings
from hkdesk.desk.stream import ensure_bucket
from hkdesk.desk.subjects import DeskNames
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.sessions import HK_TZ, hk_now
from hkdesk.domain.types import Bar, Tick
from hkdesk.feed.http import SessionStart
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState, FeedStatus

FAST_FEED = DeskFeedTimings(heartbeat=0.2, demand_refresh=0.3, leader_poll=0.1, backoff_initial=0.05)
FAST_DESK = DeskTimings(demand_lease=1.0, heartbeat=0.2, latest_interval=0.05, ack_timeout=0.5)
#: 2026-03-03 00:00 in Hong Kong, epoch ms.
MARCH_3 = int(datetime(2026, 3, 3, tzinfo=HK_TZ).timestamp() * 1000)
PLAN = Plan("test", symbols_per_connection=3, connections=2, reconnect_spacing=0.05)


@contextlib.asynccontextmanager
async def running_desk(desk_name: str, nats_url: str, **kw):
    """A leading desk server with a scripted upstream, closed inside the test's own loop run
    (pytest-qt processes Qt events between a test and its fixtures' teardown, which would step
    a sleeping task outside the loop)."""
    factory = UpstreamFactory()
    server = DeskServer(
        desk=desk_name,
        nats_options=NatsOptions(nats_url),
        plan=PLAN,
        upstream_factory=factory,
        writer=None,
        timings=FAST_DESK,
        **kw,
    )
    task = asyncio.create_task(server.run())
    await wait_until(lambda: server.is_leader and factory.made, what="the desk to lead")
    try:
        yield server, factory
    finally:
        await server.close()
        await task


def desk_feed(url: str, desk: str, received: Received, desktop: str = "alice") -> DeskFeed:
    return DeskFeed(url, desk=desk, desktop_id=desktop, timings=FAST_FEED, **received.callbacks())


@contextlib.asynccontextmanager
async def live_feed(url: str, desk: str, symbols: list[str]):
    """A desktop's feed on ``symbols``, once it is live; closed on the way out."""
    received = Received()
    feed = desk_feed(url, desk, received)
    feed.set_symbols(symbols)
    task = asyncio.create_task(feed.run())
    try:
        await wait_until(lambda: received.state is FeedState.LIVE, what="the feed to be live")
        yield feed, received
    finally:
        await feed.close()
        await task


async def _plain_client(url: str) -> nats.aio.client.Client:
    return await nats.connect(url)


async def _desk_client(url: str) -> nats.aio.client.Client:
    return await connect_nats(NatsOptions(url))


@pytest.mark.parametrize("connect", [_plain_client, _desk_client], ids=["nats-py publish", "desk client"])
async def test_publisher_stores_each_record_once_even_when_published_twice(nats_url, desk_name, connect):
    nc = await connect(nats_url)
    names = DeskNames(desk_name)
    publisher = DeskPublisher(nc, names, max_in_flight=64)
    await publisher.start()
    first = ticks("700.HK", 1, 500) + ticks("5.HK", 1, 500)
    for i in range(0, len(first), 50):
        publisher.publish_ticks(first[i : i + 50])
    publisher.publish_ticks(first[100:300])  # a re-publish: no-op by message id
    assert await publisher.flush(20)
    assert publisher.stats.published == 1200 and publisher.stats.duplicates == 200
    got = []
    follower = StreamFollower(nc, names.stream, names.trades_wildcard, got.extend, heartbeat=0.2)
    follower.start()
    await wait_until(lambda: len(got) >= 1000, what="the stream's 1000 trades")
    await asyncio.sleep(0.3)
    assert len(got) == 1000 and follower.last_seq == 1000
    assert [m.headers["Nats-Msg-Id"] for m in got] == [tick_id(t) for t in first]
    assert [decode_tick(m.data) for m in got] == first
    await follower.close()
    await publisher.close()
    await nc.close()


async def interest_reached(nc, publisher, subject: str, got: list) -> None:
    """Publish to ``subject`` until a message reaches ``got`` (then forgotten). The machine's
    nats-server 2.9 now and then drops what is published just after a new subscription, even
    after the subscriber's flush (about 1 in 100 tries, plain nats-py subscriptions alike)."""
    await nc.flush()
    for _ in range(100):
        await publisher.publish(subject, b"probe")
        await publisher.flush()
        await asyncio.sleep(0.02)
        if got:
            break
    assert got, "nothing published reached the subscription"
    await asyncio.sleep(0.05)
    got.clear()
    nc.stats["in_msgs"] = 0


async def test_a_direct_subscription_hands_each_message_over_in_place_until_unsubscribed(nats_url, desk_name):
    failures: list[logging.LogRecord] = []
    catch = logging.Handler(logging.ERROR)
    catch.emit = failures.append  # type: ignore[method-assign]
    logging.getLogger("hkdesk.desk.connection").addHandler(catch)  # whatever another test did to the root
    nc = await connect_nats(NatsOptions(nats_url))
    publisher = await nats.connect(nats_url)
    got: list[tuple[bytes, bytes, bytes, bytes]] = []

    def handler(subject: bytes, reply: bytes, data: bytes, headers: bytes) -> None:
        if data == b"boom":
            raise ValueError("a handler that fails")
        got.append((subject, reply, data, headers))

    subject = f"{desk_name}.direct"
    sub = await nc.subscribe_direct(subject + ".*", handler)
    await interest_reached(nc, publisher, subject + ".probe", got)
    await publisher.publish(subject + ".a", b"1", reply="answer.here")
    await publisher.publish(subject + ".b", b"boom")
    await publisher.publish(subject + ".b", b"2", headers={"X-Kind": "test"})
    await publisher.flush()
    await wait_until(lambda: len(got) == 2, what="both messages")
    assert got[0] == (f"{subject}.a".encode(), b"answer.here", b"1", b"")
    assert got[1][:3] == (f"{subject}.b".encode(), b"", b"2")
    assert nc._parse_header_lines(got[1][3]) == {"X-Kind": "test"}
    logging.getLogger("hkdesk.desk.connection").removeHandler(catch)
    assert [r.getMessage() for r in failures] == [f"NATS message handler failed on {subject}.b"]
    assert nc.stats["in_msgs"] == 3
    await sub.unsubscribe()
    assert not nc._direct
    await publisher.publish(subject + ".a", b"3")
    await publisher.flush()
    await asyncio.sleep(0.2)
    assert len(got) == 2
    # a closed connection keeps no handler
    await nc.subscribe_direct(subject + ".d", handler)
    await nc.close()
    assert not nc._direct
    await publisher.close()


async def test_a_follower_answers_a_heartbeat_that_says_its_consumer_stalled(nats_url, desk_name):
    """A flow-control answer lost on the way leaves the consumer stalled, and its heartbeats then
    name where the answer is still awaited: the follower answers there (as nats-py does)."""
    nc = await connect_nats(NatsOptions(nats_url))
    listener = await nats.connect(nats_url)
    asked = f"$JS.FC.{desk_name}.stalled"
    answers: list[bytes] = []

    async def on_answer(msg) -> None:
        answers.append(msg.data)

    await listener.subscribe(asked, cb=on_answer)
    await interest_reached(listener, nc, asked, answers)
    follower = StreamFollower(nc, "no-such-stream", "x.>", lambda _msgs: None)
    heartbeat = (
        f"NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 0\r\nNats-Consumer-Stalled: {asked}\r\n\r\n"
    )
    follower._on_raw(b"_INBOX.x", b"", b"", heartbeat.encode())
    await wait_until(lambda: answers == [b""], what="the answer to the stalled consumer")
    await follower.close()
    await listener.close()
    await nc.close()


async def test_desktop_gets_its_symbols_live_once_each(nats_url, desk_name):
    async with running_desk(desk_name, nats_url) as desk:
        _, factory = desk
        received = Received()
        feed = desk_feed(nats_url, desk_name, received)
        feed.set_symbols(["700.HK", "5.HK"])
        task = asyncio.create_task(feed.run())
        await wait_until(
            lambda: set(factory.current.symbols) == {"700.HK", "5.HK"}, what="the desk to follow demand"
        )
        await wait_until(lambda: received.state is FeedState.LIVE, what="the feed to be live")
        sent = ticks("700.HK", 1, 300) + ticks("5.HK", 1, 300)
        for i in range(0, len(sent), 20):
            factory.current.push(sent[i : i + 20])
            factory.current.push(ticks("9988.HK", 1 + i, 20))  # not watched by this desktop
            await asyncio.sleep(0)
        await wait_until(lambda: len(received.ticks) >= len(sent), what="every trade")
        await asyncio.sleep(0.3)
        assert sorted(keys(received.ticks)) == sorted(keys(sent))
        assert received.ticks[0] == sent[0] and received.batches < len(sent) / 2  # many per callback
        await feed.close()
        await task


async def test_a_desktop_started_late_replays_the_day_then_follows(nats_url, desk_name):
    async with running_desk(desk_name, nats_url) as desk:
        server, factory = desk
        morning = ticks("700.HK", 1, 400)
        factory.current.push(morning)
        assert await server.publisher.flush(10)
        received = Received()
        feed = desk_feed(nats_url, desk_name, received, desktop="bob")
        feed.set_symbols(["700.HK"])
        task = asyncio.create_task(feed.run())
        await wait_until(lambda: len(received.ticks) == 400, what="the morning's trades")
        afternoon = ticks("700.HK", 401, 100)
        factory.current.push(afternoon)
        await wait_until(lambda: len(received.ticks) == 500, what="the live trades")
        await asyncio.sleep(0.3)
        assert keys(received.ticks) == keys(morning + afternoon)  # in order, each once
        await feed.close()
        await task


async def test_depth_symbols_paint_the_latest_book_at_once(nats_url, desk_name):
    async with running_desk(desk_name, nats_url) as desk:
        server, factory = desk
        factory.current.callbacks.on_books([book("700.HK", 1), book("700.HK", 2), book("5.HK", 3)])
        await wait_until(lambda: server.publisher.latest.writes >= 2, what="the latest-quote bucket")
        received = Received()
        feed = desk_feed(nats_url, desk_name, received, desktop="carol")
        feed.set_depth_symbols(["700.HK"])
        task = asyncio.create_task(feed.run())
        await wait_until(lambda: received.books, what="the painted book")
        assert [(b.symbol, b.seq) for b in received.books] == [("700.HK", 2)]
        factory.current.callbacks.on_books([book("700.HK", 3)])
        await wait_until(lambda: len(received.books) == 2, what="a live book")
        assert received.books[-1].seq == 3
        await feed.close()
        await task


async def test_demand_is_the_union_and_a_closed_desktop_releases_its_symbols(nats_url, desk_name):
    async with running_desk(desk_name, nats_url) as desk:
        _, factory = desk
        a, b = Received(), Received()
        feed_a = desk_feed(nats_url, desk_name, a, "alice")
        feed_b = desk_feed(nats_url, desk_name, b, "bob")
        feed_a.set_symbols(["700.HK", "5.HK"])
        feed_b.set_symbols(["5.HK", "9988.HK"])
        feed_b.set_depth_symbols(["9988.HK"], depth_level=5)
        tasks = [asyncio.create_task(f.run()) for f in (feed_a, feed_b)]
        await wait_until(
            lambda: set(factory.current.symbols) == {"700.HK", "5.HK", "9988.HK"}, what="the union"
        )
        assert factory.current.symbols[0] == "5.HK"  # watched by both: first in line
        assert factory.current.depth == ("9988.HK",) and factory.current.depth_level == 5
        await feed_b.close()
        await wait_until(
            lambda: set(factory.current.symbols) == {"700.HK", "5.HK"}, what="bob's symbols released"
        )
        await feed_a.close()
        await asyncio.gather(*tasks)


async def test_a_desktop_that_vanishes_is_dropped_when_its_lease_lapses(nats_url, desk_name):
    async with running_desk(desk_name, nats_url) as desk:
        _, factory = desk
        nc = await nats.connect(nats_url)
        js = nc.jetstream()
        demand = Demand(("1299.HK",), ())
        await js.publish(f"$KV.{DeskNames(desk_name).demand_bucket}.ghost", msgspec.json.encode(demand))
        await wait_until(lambda: factory.current.symbols == ("1299.HK",), what="the ghost's demand")
        await wait_until(
            lambda: factory.current.symbols == (), timeout=FAST_DESK.demand_lease * 5, what="lease lapse"
        )
        await nc.close()


async def test_symbols_beyond_the_plan_are_reported_to_the_desktop(nats_url, desk_name):
    async with running_desk(desk_name, nats_url) as desk:
        _, factory = desk
        received = Received()
        feed = desk_feed(nats_url, desk_name, received)
        watched = [f"{n}.HK" for n in (1, 2, 3, 5, 11, 16, 27, 700)]  # 8 > capacity 6
        feed.set_symbols(watched)
        task = asyncio.create_task(feed.run())
        await wait_until(lambda: len(received.symbol_errors) == 2, what="two symbols beyond the plan")
        beyond = {s for s, ret, _ in received.symbol_errors if ret == 603}
        assert beyond == set(watched[6:]) and len(factory.current.symbols) == 6
        await wait_until(lambda: set(feed.status.overflow) == beyond, what="overflow in the status")
        assert Counter(s for s, *_ in received.symbol_errors) == Counter(beyond)  # reported once each
        await feed.close()
        await task


async def test_a_desktop_closed_before_the_desk_ever_painted_stops(nats_url, desk_name):
    """No desk server under this name: the latest-quote bucket never exists, so the first paint
    never comes; a close must still end run() (it waited for that paint for ever)."""
    received = Received()
    feed = desk_feed(nats_url, desk_name, received)
    feed.set_symbols(["700.HK"])
    task = asyncio.create_task(feed.run())
    await wait_until(lambda: feed._announcer is not None, what="the desktop to announce its lists")
    await feed.close()
    await asyncio.wait_for(task, 5)


async def test_a_desk_with_no_desktop_streams_its_own_list_and_says_what_it_streams(nats_url, desk_name):
    """``hkdesk record --publish --symbols …`` records from the start, before any desktop (an empty
    demand bucket sends no message, and the desk used to wait for one), and its backfill is told
    what the desk streams while it leads."""
    streaming: list[tuple[str, ...]] = []
    base = Demand(("700.HK", "5.HK"), ())
    async with running_desk(desk_name, nats_url, base=base, on_streaming=streaming.append) as desk:
        _, factory = desk
        await wait_until(lambda: factory.current.symbols == ("700.HK", "5.HK"), what="the desk's own list")
        assert streaming[-1] == ("700.HK", "5.HK")
        received = Received()
        feed = desk_feed(nats_url, desk_name, received)
        feed.set_symbols(["9988.HK"])
        task = asyncio.create_task(feed.run())
        await wait_until(
            lambda: streaming[-1] == ("700.HK", "5.HK", "9988.HK"), what="a desktop's symbol told"
        )
        await feed.close()
        await task
    assert streaming[-1] == ()  # stepped down: nothing streamed any more


async def test_previous_closes_reach_the_desktops_that_watch_the_symbols(nats_url, desk_name):
    """A desktop has no token for the provider's previous closes: the leading desk fetches them for
    what it streams and keeps them in the latest-quote bucket, where a desktop follows them (a
    symbol watched later gets its close too); a symbol the provider does not answer for is not
    asked again in a loop."""
    asked: list[list[str]] = []
    closes = {"700.HK": Decimal("380.2"), "5.HK": Decimal("126.4"), "9988.HK": Decimal("131.5")}

    earlier = Bar("9988.HK", MARCH_3, 86_400, *[Decimal("131")] * 4, Decimal(900), Decimal(117900))

    async def fetch(symbols: list[str]) -> dict[str, SessionStart]:
        asked.append(sorted(symbols))
        bars = {"9988.HK": earlier}
        return {s: SessionStart(closes[s], bars.get(s)) for s in symbols if s in closes}

    base = Demand(("700.HK", "5.HK", "1299.HK"), ())
    async with running_desk(desk_name, nats_url, base=base, fetch_closes=fetch):
        got: list[tuple[str, Decimal, date]] = []
        received = Received()
        feed = DeskFeed(
            nats_url,
            desk=desk_name,
            desktop_id="alice",
            timings=FAST_FEED,
            on_session=lambda s: got.append((s.symbol, s.previous_close, s.day, s.from_open)),
            **received.callbacks(),
        )
        feed.set_symbols(["700.HK", "1299.HK"])
        task = asyncio.create_task(feed.run())
        await wait_until(lambda: len(got) == 1, what="the watched symbol's close")
        today = hk_now().date()
        # 5.HK is not watched, 1299.HK not answered; 700.HK had no trade yet: its stream is whole
        assert got == [("700.HK", Decimal("380.2"), today, True)]
        feed.set_symbols(["700.HK", "1299.HK", "5.HK"])  # already written: handed on at once
        assert got[-1] == ("5.HK", Decimal("126.4"), today, True)
        feed.set_symbols(["700.HK", "1299.HK", "5.HK", "9988.HK"])  # the desk streams it, then asks
        await wait_until(lambda: got[-1][0] == "9988.HK", what="a close fetched for a new symbol")
        # the session's own date; it had traded before the desk's stream (no minute, no bar yet)
        assert got[-1] == ("9988.HK", Decimal("131.5"), date(2026, 3, 3), False)
        await feed.close()
        await task
    assert asked[0] == ["1299.HK", "5.HK", "700.HK"]
    assert sum("1299.HK" in a for a in asked) == 1 and ["9988.HK"] in asked


async def test_a_close_the_provider_left_out_is_asked_again_a_few_times_a_day(nats_url, desk_name):
    names = DeskNames(desk_name)
    nc = await nats.connect(nats_url)
    await ensure_bucket(nc.jetstream(), names.latest_bucket, ttl=60.0)
    asked: list[tuple[str, ...]] = []

    async def fetch(symbols: list[str]) -> dict[str, SessionStart]:
        asked.append(tuple(symbols))
        if len(asked) == 1:
            return {"700.HK": SessionStart(Decimal("380.2"))}  # 5.HK's request failed this time
        return {s: SessionStart(Decimal("126.4")) for s in symbols if s == "5.HK"}  # 1299.HK: unknown

    board = CloseBoard(nc, names, fetch, retry_wait=0.05)
    board.watch(["700.HK", "5.HK", "1299.HK"])
    board.start()
    try:
        await wait_until(lambda: len(asked) == MAX_TRIES, what="the tries of a day")
        await asyncio.sleep(0.3)
        assert asked == [("700.HK", "5.HK", "1299.HK"), ("5.HK", "1299.HK"), ("1299.HK",)]
        kv = await nc.jetstream().key_value(names.latest_bucket)
        assert decode_close((await kv.get("5=2EHK.close")).value).previous_close == Decimal("126.4")
        assert board.written == 2
    finally:
        await board.close()
        await nc.close()


def hk_midnight(ts_ms: int) -> int:
    midnight = datetime.fromtimestamp(ts_ms / 1000, HK_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    return int(midnight.timestamp() * 1000)


async def test_a_desk_begun_after_the_open_gives_its_desktops_the_day_before_its_stream(nats_url, desk_name):
    """The desk began streaming 700.HK in the afternoon: its stream holds 5 trades when the
    provider answers with the day so far and its newest minute (which began at the third). A
    desktop started later counts the day before that minute, then the streamed trades from it
    on, 3 more after the answer included: the provider's day plus those 3, not the 8 streamed
    trades alone; its open, high and low are the day's."""
    answer = asyncio.Event()
    first = ticks("700.HK", 1, 5)
    day = Bar(
        "700.HK",
        hk_midnight(first[0].ts),
        86_400,
        Decimal("371.0"),
        Decimal("384.6"),
        Decimal("369.8"),
        Decimal("380.2"),
        Decimal(2_000_500),
        Decimal("755000190.00"),
    )
    in_minute = first[2:]
    minute = Bar(
        "700.HK",
        in_minute[0].ts,
        60,
        *[Decimal("380.20")] * 4,
        sum(t.volume for t in in_minute),
        sum(t.turnover for t in in_minute),
    )

    async def fetch(symbols: list[str]) -> dict[str, SessionStart]:
        await answer.wait()
        return {"700.HK": SessionStart(Decimal("375.0"), day, minute)}

    base = Demand(("700.HK",), ())
    async with running_desk(desk_name, nats_url, base=base, fetch_closes=fetch) as (server, factory):
        factory.current.push(first)
        assert await server.publisher.flush(10)
        answer.set()
        got = await written_close(nats_url, desk_name, "700.HK", lambda r: r.bar is not None)
        assert got.counted_from == minute.start
        assert got.bar.volume == day.volume - minute.volume and got.bar.open == day.open
        after = ticks("700.HK", 6, 3)
        factory.current.push(after)
        assert await server.publisher.flush(10)
        hub = QuoteHub()
        received = Received()
        callbacks = {**received.callbacks(), "on_ticks": hub.apply_ticks}
        feed = DeskFeed(
            nats_url,
            desk=desk_name,
            desktop_id="dora",
            timings=FAST_FEED,
            on_session=lambda s: hub.apply_session_base(s.symbol, s.bar, s.counted_from),
            **callbacks,
        )
        feed.set_symbols(["700.HK"])
        task = asyncio.create_task(feed.run())
        await wait_until(lambda: "700.HK" in hub.quotes and hub.quotes["700.HK"].trades == 8, what="the day")
        q = hub.quotes["700.HK"]
        assert q.volume == day.volume + sum(t.volume for t in after)
        assert q.turnover == day.turnover + sum(t.turnover for t in after)
        assert (q.open, q.high, q.low) == (day.open, day.high, day.low)
        await feed.close()
        await task


async def written_close(nats_url: str, desk_name: str, symbol: str, ok=lambda record: True):
    """The desk's record of ``symbol``'s session, once one satisfies ``ok``."""
    names = DeskNames(desk_name)
    nc = await nats.connect(nats_url)
    try:
        kv = await nc.jetstream().key_value(names.latest_bucket)
        key = names.close_key(symbol).split(".", 2)[2]
        for _ in range(200):
            with contextlib.suppress(Exception):
                record = decode_close((await kv.get(key)).value)
                if ok(record):
                    return record
            await asyncio.sleep(0.05)
    finally:
        await nc.close()
    raise AssertionError(f"no record of {symbol} as wanted")


async def test_the_day_before_the_stream_waits_for_a_minute_the_stream_holds_and_again_after_a_gap(
    nats_url, desk_name
):
    names = DeskNames(desk_name)
    nc = await nats.connect(nats_url)
    await ensure_bucket(nc.jetstream(), names.latest_bucket, ttl=60.0)
    t0 = hk_midnight(BASE_TS) + 10 * 3_600_000  # 10:00 of the session
    newest = [t0]
    day = Bar("700.HK", hk_midnight(t0), 86_400, *[Decimal("380")] * 4, Decimal(9000), Decimal(3_420_000))

    async def fetch(symbols: list[str]) -> dict[str, SessionStart]:
        minute = Bar("700.HK", newest[0], 60, *[Decimal("380")] * 4, Decimal(100), Decimal(38_000))
        return {"700.HK": SessionStart(Decimal("379"), day, minute)}

    board = CloseBoard(nc, names, fetch, base_wait=0.05)
    board.watch(["700.HK"])
    board.start()
    try:
        record = await written_close(nats_url, desk_name, "700.HK")
        assert record.bar is None, "no trade streamed yet: the close alone"
        assert record.previous_close == Decimal("379")
        board.note_ticks([Tick("700.HK", 1, t0 + 500, Decimal("380"), Decimal("100"))])
        await asyncio.sleep(0.3)
        assert board.written == 1, "the newest minute began before the stream's first trade"
        newest[0] = t0 + 60_000
        record = await written_close(nats_url, desk_name, "700.HK", lambda r: r.bar is not None)
        assert record.counted_from == t0 + 60_000 and record.bar.volume == 8900
        board.note_gap("700.HK")  # trades lost: the day before is taken again after the gap
        board.note_ticks([Tick("700.HK", 9, t0 + 90_000, Decimal("380"), Decimal("100"))])
        newest[0] = t0 + 120_000
        record = await written_close(nats_url, desk_name, "700.HK", lambda r: r.counted_from == t0 + 120_000)
        assert board.written == 3
    finally:
        await board.close()
        await nc.close()


async def test_a_symbol_added_later_gets_its_day_so_far_then_streams_each_trade_once(nats_url, desk_name):
    """The desktop's replay of the day has passed 5.HK's morning when 5.HK is added: it is read
    from 5.HK's own subject, the live trades met meanwhile follow, each once and in order."""
    base = Demand(("700.HK", "5.HK"), ())
    async with running_desk(desk_name, nats_url, base=base) as (server, factory):
        morning = ticks("700.HK", 1, 50) + ticks("5.HK", 1, 200)
        factory.current.push(morning)
        assert await server.publisher.flush(10)
        received = Received()
        feed = desk_feed(nats_url, desk_name, received)
        feed.set_symbols(["700.HK"])
        task = asyncio.create_task(feed.run())
        await wait_until(lambda: received.state is FeedState.LIVE, what="the feed to be live")
        await wait_until(lambda: len(received.ticks) >= 50, what="700.HK's morning")  # its last batch
        assert len(received.ticks) == 50
        feed.set_symbols(["700.HK", "5.HK"])
        for seq in range(201, 301, 10):  # live while 5.HK's morning is read
            factory.current.push(ticks("5.HK", seq, 10) + ticks("700.HK", seq - 150, 10))
            await asyncio.sleep(0.005)
        await wait_until(lambda: sum(t.symbol == "5.HK" for t in received.ticks) >= 300, what="5.HK's day")
        factory.current.push(ticks("5.HK", 301, 5))
        await wait_until(lambda: sum(t.symbol == "5.HK" for t in received.ticks) >= 305, what="5.HK live")
        await asyncio.sleep(0.3)
        assert [t.seq for t in received.ticks if t.symbol == "5.HK"] == list(range(1, 306))
        assert [t.seq for t in received.ticks if t.symbol == "700.HK"] == list(range(1, 151))
        await feed.close()
        await task


async def test_a_desk_on_the_simulator_has_its_desktops_say_so(nats_url, desk_name):
    """The desk's upstream said it is the built-in simulator: the leader's card says so and the
    desktops' status carries it, so what they show is marked as simulated."""
    async with (
        running_desk(desk_name, nats_url) as (server, factory),
        live_feed(nats_url, desk_name, ["700.HK"]) as (_, received),
    ):
        assert not received.statuses[-1].simulator
        factory.current.callbacks.on_status(FeedStatus(FeedState.LIVE, simulator=True))
        await wait_until(lambda: received.statuses[-1].simulator, what="the desktop told")
        assert server.leadership.card.simulator


async def test_a_desk_whose_upstream_is_down_has_its_desktops_go_stale(nats_url, desk_name):
    """The desk server is there but its provider is not (the simulator killed, a reconnect): the
    leader's card says why, and a desktop stops calling its figures live until it streams again."""
    async with (
        running_desk(desk_name, nats_url) as (server, factory),
        live_feed(nats_url, desk_name, ["700.HK"]) as (feed, received),
    ):
        assert feed.streaming() == ({"700.HK"}, set())
        down = FeedStatus(FeedState.BACKING_OFF, reason="cannot connect: connection refused")
        factory.current.callbacks.on_status(down)
        await wait_until(lambda: received.state is FeedState.SUBSCRIBING, what="the desktop told")
        assert "connection refused" in received.statuses[-1].reason and server.leadership.card.upstream
        assert feed.streaming() == (set(), set()), "nothing is live while the desk's upstream is down"
        factory.current.callbacks.on_status(FeedStatus(FeedState.LIVE))
        await wait_until(lambda: received.state is FeedState.LIVE, what="live again")
