"""Subjects and payloads: reversible symbol tokens, exact records, message ids."""

from __future__ import annotations

import asyncio
import re
from decimal import Decimal
from types import SimpleNamespace

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nats.aio.client import Client

from hkdesk.desk import codec
from hkdesk.desk.connection import DeskClient
from hkdesk.desk.subjects import DeskNames, SubjectError, decode_token, encode_token
from hkdesk.domain.types import Book, Level, Tick

NATS_TOKEN = re.compile(r"^[^.*>\s]+$")
KV_KEY = re.compile(r"^[-/_=\.a-zA-Z0-9]+$")


@given(st.text(min_size=1, max_size=40))
def test_any_symbol_survives_the_subject_token(symbol):
    token = encode_token(symbol)
    assert NATS_TOKEN.match(token) and KV_KEY.match(token) and "." not in token
    assert decode_token(token) == symbol


def test_an_hk_code_is_readable_in_its_subject():
    names = DeskNames("floor1")
    assert names.trade_subject("700.HK") == "hkdesk.floor1.trade.700=2EHK"
    assert names.gap_subject("700.HK") == "hkdesk.floor1.trade.700=2EHK.gap"
    assert names.book_subject("9988.HK") == "hkdesk.floor1.book.9988=2EHK"


@pytest.mark.parametrize("bad", ["", "a.b", "a b", "x" * 33, "désk"])
def test_bad_desk_names_are_refused(bad):
    with pytest.raises(SubjectError):
        DeskNames(bad)


def test_a_token_that_was_not_encoded_is_refused():
    with pytest.raises(SubjectError):
        decode_token("700.HK")


@given(
    price=st.decimals(min_value=Decimal("0.001"), max_value=Decimal(9_999_999), places=3),
    volume=st.decimals(min_value=Decimal(0), max_value=Decimal(10**12), places=0),
    seq=st.integers(0, 2**63 - 1),
)
def test_a_trade_comes_back_digit_for_digit(price, volume, seq):
    tick = Tick("700.HK", seq, 1_733_450_000_123, price, volume, direction=2, received_at=1.25)
    back = codec.decode_tick(codec.encode(tick))
    assert back == tick
    assert str(back.price) == str(price) and str(back.turnover) == str(tick.turnover)


def test_a_book_comes_back_exactly():
    book = Book("5.HK", 9, 1_733_450_000_123, [Level(Decimal("61.25"), Decimal("800"))], [])
    assert codec.decode_book(codec.encode(book)) == book
    assert b'"61.25"' in codec.encode(book)  # decimals travel as strings, never floats


@pytest.mark.parametrize(
    "payload",
    [b"{", b"[]", b'{"code":"700.HK","seq":1,"tick_time":1,"price":"-1","volume":"1"}', b'{"code":""}'],
)
def test_a_malformed_payload_raises_instead_of_yielding_a_record(payload):
    with pytest.raises((msgspec.DecodeError, msgspec.ValidationError)):
        codec.decode_tick(payload)


def test_message_ids_name_the_record():
    a = Tick("700.HK", 5, 1_733_450_000_123, Decimal("1"), Decimal("1"))
    same = Tick("700.HK", 5, 1_733_450_000_123, Decimal("1"), Decimal("1"), received_at=9.0)
    other = Tick("700.HK", 6, 1_733_450_000_123, Decimal("1"), Decimal("1"))
    assert codec.tick_id(a) == codec.tick_id(same) != codec.tick_id(other)
    book = Book("700.HK", 5, 1_733_450_000_123)
    assert codec.book_id(book) != codec.tick_id(a)


HEADER_BLOCKS = [
    b"NATS/1.0\r\nNats-Msg-Id: t:700.HK:1765000000000:123456\r\n\r\n",
    b"NATS/1.0\r\nNats-Msg-Id:   spaced  \r\n\r\n",
    b"NATS/1.0\r\nNats-Msg-Id: a\r\nKV-Operation: DEL\r\n\r\n",
    b"NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 5\r\nNats-Last-Stream: 9\r\n\r\n",
    b"NATS/1.0 503\r\n\r\n",
    b"NATS/1.0\r\nKV-Operation: PURGE\r\n\r\n",
    b"",
]


@pytest.mark.parametrize("block", HEADER_BLOCKS)
async def test_the_desk_client_reads_headers_as_nats_py_does(block):
    assert await DeskClient()._process_headers(block) == await Client()._process_headers(block)


async def test_a_publish_with_a_message_id_sends_what_nats_py_sends():
    """The desk's own publish command, byte for byte the one nats-py queues for the same header,
    and the buffer's size counted as nats-py counts it."""

    def offline(client: Client) -> Client:
        client._status = Client.CONNECTED  # as if connected, without a server
        client._flush_queue = None
        client._pending, client._pending_data_size = [], 0
        return client

    payload = codec.encode(Tick("700.HK", 7, 1_765_000_000_000, Decimal("400.2"), Decimal("100")))
    msg_id = "t:700.HK:1765000000000:7"
    ours, theirs = offline(DeskClient()), offline(Client())
    await ours.publish_with_id("hkdesk.a.trade.700=2EHK", payload, "_INBOX.x.1", msg_id)
    ours.put_with_id("hkdesk.a.trade.700=2EHK", payload, "_INBOX.x.2", msg_id)
    for reply in ("_INBOX.x.1", "_INBOX.x.2"):
        await theirs.publish("hkdesk.a.trade.700=2EHK", payload, reply, {"Nats-Msg-Id": msg_id})
    ours.put_with_id("hkdesk.a.trade.700=2EHK", payload, "_INBOX.x.3", msg_id, "a1b2c3d4.7")
    await theirs.publish(
        "hkdesk.a.trade.700=2EHK",
        payload,
        "_INBOX.x.3",
        {"Nats-Msg-Id": msg_id, "Hkdesk-Chain": "a1b2c3d4.7"},
    )
    assert len(ours._pending) == 3 and ours._pending == theirs._pending
    assert ours._pending_data_size == theirs._pending_data_size
    assert ours.stats["out_msgs"] == theirs.stats["out_msgs"] == 3


async def test_a_live_message_is_a_plain_publish_and_is_not_kept_while_the_link_is_down():
    class Written:
        def __init__(self) -> None:
            self.data: list[bytes] = []

        def write(self, data: bytes) -> None:
            self.data.append(data)

    client = DeskClient()
    client._status = Client.CONNECTED
    client._pending, client._pending_data_size = [], 0
    client._transport = Written()  # type: ignore[assignment]
    assert client.put_now("hkdesk.a.live", b'{"e":"x","runs":[]}')
    assert client._transport.data == [b'PUB hkdesk.a.live 19\r\n{"e":"x","runs":[]}\r\n']
    client._pending = [b"PING\r\n"]  # something queued first: the live message queues behind it
    client._flush_queue = asyncio.Queue()
    assert client.put_now("hkdesk.a.live", b"{}")
    assert client._pending == [b"PING\r\n", b"PUB hkdesk.a.live 2\r\n{}\r\n"]
    assert client._flush_queue.qsize() == 1  # the flusher is woken
    client._status = Client.RECONNECTING
    assert not client.put_now("hkdesk.a.live", b"{}")
    assert len(client._pending) == 2 and client.stats["out_msgs"] == 2


async def test_a_direct_subscription_with_a_limit_ends_after_that_many_messages():
    """As nats-py's own subscriptions: the count is kept, and the subscription (and its handler)
    is dropped on the message that reaches ``unsubscribe(limit=N)``'s limit."""
    client = DeskClient()
    client._status = Client.CONNECTED  # as if connected, without a server
    client._flush_queue = asyncio.Queue()
    client._flusher_task = asyncio.get_running_loop().create_future()  # a flusher that never writes
    client._pending, client._pending_data_size = [], 0
    got: list[bytes] = []
    sub = await client.subscribe_direct("x.y", lambda _s, _r, data, _h: got.append(data))
    await sub.unsubscribe(limit=2)
    for data in (b"1", b"2", b"3"):  # the server would not send the third; dropped if it did
        await client._process_msg(sub._id, b"x.y", b"", data, None)
    assert got == [b"1", b"2"] and sub.delivered == 2
    assert sub._id not in client._subs and not client._direct
    assert client._pending[-1] == f"UNSUB {sub._id} 2\r\n".encode()


class _SwallowingKV:
    """A key-value bucket whose update swallows the first cancellation and answers anyway, as
    ``asyncio.wait_for`` inside nats-py's request does on Python 3.11 when the answer and the
    cancel meet."""

    def __init__(self) -> None:
        self.updates = 0
        self.swallowed = 0

    async def create(self, key: str, value: bytes) -> int:
        return 1

    async def update(self, key: str, value: bytes, last: int) -> int:
        self.updates += 1
        try:
            await asyncio.sleep(0.05)
        except asyncio.CancelledError:
            if self.swallowed:
                raise
            self.swallowed += 1
        return last + 1


async def test_a_leader_closes_even_when_a_cancellation_is_swallowed():
    """One cancel and an await hung the test suite (and would a desk server's shutdown): the
    swallowed cancel sent the election loop round again, for ever."""
    from hkdesk.desk.leadership import Leadership, LeaseTimings

    kv = _SwallowingKV()
    timings = LeaseTimings(ttl=5.0, refresh=0.01, poll=0.01)
    offline = SimpleNamespace(is_connected=False)  # the key is left to its lease
    leadership = Leadership(
        offline,  # type: ignore[arg-type]
        "bucket",
        "s1",
        timings=timings,
        on_elected=lambda _card: None,
        on_deposed=lambda: None,
    )
    leadership._kv = kv  # type: ignore[assignment]
    leadership.start()
    while kv.updates < 3:  # leading, renewing
        await asyncio.sleep(0.01)
    closing = asyncio.ensure_future(leadership.close())
    done, _ = await asyncio.wait({closing}, timeout=3)
    assert closing in done, "close() waits for ever on a task that swallowed its cancellation"
    assert kv.swallowed == 1 and leadership._task is None
