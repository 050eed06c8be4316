"""The live path beside the stream, on the machine's NATS: a desktop takes each trade from
whichever copy comes first, in its symbol's order and once, whatever the live path loses."""

from __future__ import annotations

import asyncio

import nats
from deskkit import BASE_TS, Received, book, keys, tick, ticks
from support.waits import wait_until
from test_desk_flow import FAST_FEED, desk_feed, live_feed, running_desk

from hkdesk.desk.chain import ChainNumbers
from hkdesk.desk.connection import NatsOptions, connect_nats
from hkdesk.desk.feed import DeskFeed
from hkdesk.desk.follower import StreamFollower
from hkdesk.desk.publisher import DeskPublisher
from hkdesk.desk.subjects import DeskNames
from hkdesk.domain.types import Gap, Tick
from hkdesk.feed.status import FeedState

SYMBOLS = ["700.HK", "5.HK"]


def by_symbol(items: list[Tick]) -> dict[str, list[tuple[str, int, int]]]:
    return {s: keys(t for t in items if t.symbol == s) for s in {t.symbol for t in items}}


async def test_trades_are_taken_from_the_live_path_in_order_and_once(nats_url, desk_name):
    async with (
        running_desk(desk_name, nats_url) as (server, factory),
        live_feed(nats_url, desk_name, SYMBOLS) as (feed, received),
    ):
        await wait_until(lambda: set(factory.current.symbols) == set(SYMBOLS), what="the demand")
        await wait_until(lambda: server.publisher.live.client is not None, what="the desk's live link")
        sent: list[Tick] = []
        for i in range(20):  # each batch waited for: the stream has the one before it
            batch = ticks("700.HK", 1 + 5 * i, 5) + ticks("5.HK", 1 + 5 * i, 5)
            factory.current.push(batch + ticks("9988.HK", 1 + 5 * i, 5))  # 9988 not watched
            sent += batch
            total = len(sent)
            await wait_until(lambda total=total: len(received.ticks) >= total, what=f"batch {i}")
        await asyncio.sleep(0.3)
        assert by_symbol(received.ticks) == by_symbol(sent)
        assert len(received.ticks) == len(sent)
        assert feed.live.taken >= len(sent) // 2, (feed.live.taken, feed.live.left)
        # the stream's copies of trades taken live are dropped as they are read: the feed's own
        # handler sees 9988.HK's 100 (not watched) and the few watched ones not taken live
        assert feed.stats.frames < 100 + len(sent) - feed.live.taken + 20
        assert server.publisher.live.sent >= 19  # the first batch by the stream alone


async def test_live_messages_lost_on_the_way_are_handed_on_from_the_stream_in_order(nats_url, desk_name):
    async with (
        running_desk(desk_name, nats_url) as (_, factory),
        live_feed(nats_url, desk_name, SYMBOLS) as (feed, received),
    ):
        await wait_until(lambda: set(factory.current.symbols) == set(SYMBOLS), what="the demand")
        take, seen = feed.live.take, [0]

        def lossy(data: bytes) -> None:  # every third live message never arrives
            seen[0] += 1
            if seen[0] % 3:
                take(data)

        feed.live.take = lossy  # type: ignore[method-assign]
        sent: list[Tick] = []
        for i in range(60):
            batch = [tick("700.HK", 1 + 2 * i), tick("5.HK", 1 + i), tick("700.HK", 2 + 2 * i)]
            factory.current.push(batch)
            sent += batch
            await asyncio.sleep(0.005 if i % 10 else 0.1)
        await wait_until(lambda: len(received.ticks) >= len(sent), what="every trade")
        await asyncio.sleep(0.3)
        assert by_symbol(received.ticks) == by_symbol(sent)
        assert len(received.ticks) == len(sent)
        assert seen[0] >= 30 and 0 < feed.live.taken < len(sent)


async def test_a_trade_after_a_gap_notice_waits_for_it(nats_url, desk_name):
    events: list[object] = []
    async with running_desk(desk_name, nats_url) as (server, factory):
        feed = DeskFeed(
            nats_url,
            desk=desk_name,
            desktop_id="alice",
            timings=FAST_FEED,
            on_ticks=lambda batch: events.extend(t.seq for t in batch),
            on_gap=lambda gap: events.append("gap"),
            on_status=lambda status: events.append(status.state),
        )
        feed.set_symbols(["700.HK"])
        task = asyncio.create_task(feed.run())
        await wait_until(lambda: FeedState.LIVE in events, what="the feed to be live")
        await wait_until(lambda: factory.current.symbols == ("700.HK",), what="the demand")
        for seq in range(1, 6):
            factory.current.push([tick("700.HK", seq)])
            await wait_until(lambda seq=seq: seq in events, what=f"trade {seq}")
        for round_ in range(5):  # the gap's notice goes by the stream only; the trades after it
            first = 6 + 3 * round_  # would be quicker live, and wait for it
            factory.current.callbacks.on_gap(Gap("700.HK", BASE_TS + first - 1, BASE_TS + first))
            factory.current.push(ticks("700.HK", first, 3))
        await wait_until(lambda: 20 in events, what="the last trade")
        await asyncio.sleep(0.3)
        order = [e for e in events if not isinstance(e, FeedState)]
        expected: list[object] = [1, 2, 3, 4, 5]
        for round_ in range(5):
            expected += ["gap", 6 + 3 * round_, 7 + 3 * round_, 8 + 3 * round_]
        assert order == expected
        assert server.publisher.live.sent > 0
        await feed.close()
        await task


async def test_a_trade_the_upstream_sent_twice_reaches_a_desktop_once(nats_url, desk_name):
    async with (
        running_desk(desk_name, nats_url) as (_, factory),
        live_feed(nats_url, desk_name, ["700.HK"]) as (_feed, received),
    ):
        await wait_until(lambda: factory.current.symbols == ("700.HK",), what="the demand")
        first = ticks("700.HK", 1, 10)
        factory.current.push(first)
        await wait_until(lambda: len(received.ticks) == 10, what="the first trades")
        factory.current.push(first[7:] + ticks("700.HK", 11, 2))  # 8-10 again, then 11 and 12
        factory.current.push(ticks("700.HK", 13, 3))
        await wait_until(lambda: len(received.ticks) >= 15, what="the new trades")
        await asyncio.sleep(0.5)
        assert keys(received.ticks) == keys(ticks("700.HK", 1, 15))


async def test_a_live_message_not_from_the_desk_or_unreadable_is_not_shown(nats_url, desk_name, caplog):
    async with (
        running_desk(desk_name, nats_url) as (server, factory),
        live_feed(nats_url, desk_name, ["700.HK"]) as (feed, received),
    ):
        await wait_until(lambda: factory.current.symbols == ("700.HK",), what="the demand")
        factory.current.push(ticks("700.HK", 1, 3))
        await wait_until(lambda: len(received.ticks) == 3, what="the first trades")
        forger = ChainNumbers()  # another epoch: not the desk's publisher
        forger.number_ticks(ticks("700.HK", 1, 3))
        runs = forger.number_ticks([tick("700.HK", 99, price="1.00")]).runs
        nc = await nats.connect(nats_url)
        subject = DeskNames(desk_name).live_subject
        await nc.publish(subject, forger.live_messages(runs)[0])
        epoch = server.publisher.chains.epoch.encode()  # the desk's next number, but not a trade
        await nc.publish(subject, b'{"e": "%b", "runs": [["700=2EHK", 4, [{"code": 1}]]]}' % epoch)
        await nc.publish(subject, b"not json")
        await nc.flush()
        await wait_until(lambda: feed.live.left >= 1 and feed.live.bad >= 2, what="both refused")
        factory.current.push(ticks("700.HK", 4, 2))  # the feed goes on
        await wait_until(lambda: len(received.ticks) >= 5, what="the next trades")
        await asyncio.sleep(0.3)
        assert keys(received.ticks) == keys(ticks("700.HK", 1, 5))
        assert "desk live path: a message that could not be read" in caplog.text
        await nc.close()


async def test_a_desktop_without_the_live_path_gets_everything_from_the_stream(nats_url, desk_name):
    """A desk server of an earlier version (no chains, no live subject)."""
    async with running_desk(desk_name, nats_url) as (server, factory):
        server.publisher.attach_live(None)
        client = server.publisher._desk_client
        put = client.put_with_id
        client.put_with_id = lambda subject, payload, reply, msg_id, chain="": put(  # type: ignore[method-assign]
            subject, payload, reply, msg_id
        )
        async with live_feed(nats_url, desk_name, ["700.HK"]) as (feed, received):
            await wait_until(lambda: factory.current.symbols == ("700.HK",), what="the demand")
            for i in range(5):
                factory.current.push(ticks("700.HK", 1 + 4 * i, 4))
                await asyncio.sleep(0.02)
            await wait_until(lambda: len(received.ticks) >= 20, what="every trade")
            await asyncio.sleep(0.2)
            assert keys(received.ticks) == keys(ticks("700.HK", 1, 20)) and feed.live.taken == 0
        assert not feed._chains._at  # no record had a chain: the stream alone, as before


async def test_records_queued_before_a_new_term_keep_the_epoch_they_were_numbered_in(nats_url, desk_name):
    nc = await connect_nats(NatsOptions(nats_url))
    names = DeskNames(desk_name)
    publisher = DeskPublisher(nc, names)
    await publisher.start()
    first_epoch = publisher.chains.epoch
    publisher.publish_ticks(ticks("700.HK", 1, 3))  # queued, not yet sent
    publisher.chains.new_term()
    publisher.publish_gap(Gap("700.HK", BASE_TS + 3, BASE_TS + 4))
    publisher.publish_ticks(ticks("700.HK", 4, 2))
    assert await publisher.flush(10)
    got: list = []
    follower = StreamFollower(nc, names.stream, names.trades_wildcard, got.extend, heartbeat=0.2)
    follower.start()
    await wait_until(lambda: len(got) == 6, what="the six records")
    second = publisher.chains.epoch
    assert [m.chain for m in got] == [
        (first_epoch, 1),
        (first_epoch, 2),
        (first_epoch, 3),
        (second, 1),
        (second, 2),
        (second, 3),
    ]
    await follower.close()
    await publisher.close()
    await nc.close()


async def test_a_desktop_in_step_with_the_live_path_leaves_the_stream_until_it_misses_something(
    nats_url, desk_name
):
    events: list[object] = []
    async with running_desk(desk_name, nats_url) as (server, factory):
        feed = DeskFeed(
            nats_url,
            desk=desk_name,
            desktop_id="alice",
            timings=FAST_FEED,
            on_ticks=lambda batch: events.extend((t.symbol, t.seq) for t in batch),
            on_gap=lambda gap: events.append(("gap", gap.start_ts - BASE_TS)),
        )
        feed.set_symbols(SYMBOLS)
        task = asyncio.create_task(feed.run())
        await wait_until(lambda: set(factory.current.symbols) == set(SYMBOLS), what="the demand")
        expected: list[object] = []

        def push(symbol: str, first: int, count: int) -> None:
            factory.current.push(ticks(symbol, first, count))
            expected.extend((symbol, seq) for seq in range(first, first + count))

        push("700.HK", 1, 3)  # a symbol's first records go by the stream only
        push("5.HK", 1, 3)
        await wait_until(lambda: feed.sync.parked, what="the desktop to leave the stream")
        assert feed.sync.parks == 1 and feed.sync.resumes == 0
        frames = feed.stats.frames
        for i in range(20):  # in step: everything by the live path, nothing read from the stream
            push("700.HK", 4 + 5 * i, 5)
            push("5.HK", 4 + 2 * i, 2)
            await asyncio.sleep(0.01)
        await wait_until(lambda: len(events) >= len(expected), what="the trades in step")
        assert feed.sync.parked and feed.stats.frames == frames and feed.live.left == 0

        take, seen = feed.live.take, [0]

        def loses_one(data: bytes) -> None:
            if b'"runs"' in data:  # not a heartbeat
                seen[0] += 1
                if seen[0] == 2:
                    return
            take(data)

        feed.live.take = loses_one  # type: ignore[method-assign]
        for i in range(3):  # the second live message never arrives: its count is missed
            push("700.HK", 104 + i, 1)
            await asyncio.sleep(0.05)
        await wait_until(lambda: len(events) >= len(expected), what="the lost trade from the stream")
        assert feed.sync.resumes == 1
        await wait_until(lambda: feed.sync.parks == 2, what="the desktop to leave the stream again")

        # a gap's notice goes by the stream only: a parked desktop follows the stream for it
        factory.current.callbacks.on_gap(Gap("5.HK", BASE_TS + 44, BASE_TS + 45))
        expected.append(("gap", 44))
        push("5.HK", 45, 2)
        push("700.HK", 107, 1)
        await wait_until(lambda: len(events) >= len(expected), what="the gap and the trades after it")
        assert feed.sync.resumes == 2
        await asyncio.sleep(0.3)
        assert [e for e in events if e[0] != "700.HK"] == [e for e in expected if e[0] != "700.HK"]
        assert [e for e in events if e[0] == "700.HK"] == [e for e in expected if e[0] == "700.HK"]
        assert len(events) == len(expected)
        await feed.close()
        await task
    assert server.publisher.live.sent > 20


async def test_a_parked_desktop_follows_the_stream_again_when_the_live_path_falls_silent(nats_url, desk_name):
    async with (
        running_desk(desk_name, nats_url) as (server, factory),
        live_feed(nats_url, desk_name, ["700.HK"]) as (feed, received),
    ):
        await wait_until(lambda: factory.current.symbols == ("700.HK",), what="the demand")
        factory.current.push(ticks("700.HK", 1, 3))
        await wait_until(lambda: feed.sync.parked, what="the desktop to leave the stream")
        server.publisher.attach_live(None)  # the live link gone: no messages, no heartbeats
        factory.current.push(ticks("700.HK", 4, 3))
        await wait_until(lambda: len(received.ticks) >= 6, timeout=10, what="the trades by the stream")
        assert feed.sync.resumes == 1 and not feed.sync.parked
        assert keys(received.ticks) == keys(ticks("700.HK", 1, 6))


async def test_live_messages_missed_while_the_stream_lags_are_waited_for_before_leaving_it(
    nats_url, desk_name
):
    """The desk's live link and stream both held up a moment (a NATS blip): the desktop hears
    that it missed messages, and leaves the stream again only once what they held is read."""
    async with (
        running_desk(desk_name, nats_url) as (server, factory),
        live_feed(nats_url, desk_name, SYMBOLS) as (feed, received),
    ):
        await wait_until(lambda: set(factory.current.symbols) == set(SYMBOLS), what="the demand")
        publisher = server.publisher
        sent = ticks("700.HK", 1, 3) + ticks("5.HK", 1, 3)
        factory.current.push(sent)
        await wait_until(lambda: feed.sync.parked, what="the desktop to leave the stream")
        client, send_new, held = publisher.live.client, publisher._send_new, [True]
        put = client.put_now
        client.put_now = lambda subject, payload: False if held[0] else put(subject, payload)  # type: ignore[method-assign]

        async def stream_held() -> None:
            if not held[0]:
                await send_new()

        publisher._send_new = stream_held  # type: ignore[method-assign]
        blip = [tick("700.HK", 4), tick("5.HK", 4)]  # 5.HK trades no more today
        factory.current.push(blip)
        sent += blip
        await asyncio.sleep(0.1)
        client.put_now = put  # type: ignore[method-assign]  # the live link back: a beat tells
        await wait_until(lambda: feed.sync.resumes == 1, what="the missed messages noticed")
        await asyncio.sleep(1.0)  # the stream caught up with nothing new: not left yet
        assert not feed.sync.parked and len(received.ticks) == 6
        held[0] = False
        await wait_until(lambda: len(received.ticks) == 8, what="the trades the blip held")
        await wait_until(lambda: feed.sync.parks == 2, what="the desktop to leave the stream again")
        more = ticks("700.HK", 5, 3)
        factory.current.push(more)
        sent += more
        await wait_until(lambda: len(received.ticks) == 11, what="the trades after")
        await asyncio.sleep(0.3)
        assert by_symbol(received.ticks) == by_symbol(sent) and len(received.ticks) == len(sent)


async def test_a_quiet_symbol_added_mid_day_gets_its_day_and_does_not_keep_the_desktop_on_the_stream(
    nats_url, desk_name
):
    bob = desk_feed(nats_url, desk_name, Received(), desktop="bob")  # the desk streams 5.HK for him
    bob.set_symbols(["5.HK"])
    async with (
        running_desk(desk_name, nats_url) as (_, factory),
        live_feed(nats_url, desk_name, ["700.HK"]) as (feed, received),
    ):
        bob_runs = asyncio.create_task(bob.run())
        await wait_until(lambda: set(factory.current.symbols) == set(SYMBOLS), what="the demand")
        morning = ticks("5.HK", 1, 3)
        factory.current.push(morning + ticks("700.HK", 1, 3))
        await wait_until(lambda: feed.sync.parked, what="the desktop to leave the stream")
        feed.set_symbols(["700.HK", "5.HK"])  # 5.HK trades no more for a while
        await wait_until(lambda: len(received.ticks) == 6, what="5.HK's morning")
        await wait_until(lambda: feed.sync.parks == 2, what="the desktop to leave the stream again")
        assert feed.sync.resumes == 1
        afternoon = ticks("5.HK", 4, 3)
        taken = feed.live.taken
        factory.current.push(afternoon)
        await wait_until(lambda: len(received.ticks) == 9, what="5.HK's afternoon")
        await asyncio.sleep(0.3)
        assert keys(t for t in received.ticks if t.symbol == "5.HK") == keys(morning + afternoon)
        assert feed.live.taken == taken + 3 and feed.sync.resumes == 1  # by the live path alone
        await bob.close()
        await bob_runs


async def test_a_server_whose_term_ended_publishes_nothing_new(nats_url, desk_name):
    nc = await connect_nats(NatsOptions(nats_url))
    publisher = DeskPublisher(nc, DeskNames(desk_name))
    publisher.publish_ticks(ticks("700.HK", 1, 2))
    publisher.chains.end_term()  # deposed: the new leader holds the upstream now
    publisher.publish_ticks(ticks("700.HK", 3, 2))
    publisher.publish_gap(Gap("700.HK", BASE_TS + 4, BASE_TS + 5))
    publisher.publish_books([book("700.HK", 1)])
    assert publisher.stats.queued == 2  # what it had queued while it led still goes
    publisher.chains.new_term()
    publisher.publish_ticks(ticks("700.HK", 5, 1))
    assert publisher.stats.queued == 3
    await nc.close()
