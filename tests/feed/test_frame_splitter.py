"""BulkConnection's frame splitting against websockets' own parser.

For any server stream (handshake response, plain frames of every length encoding, fragmented
messages, pings, pongs, close, and frames the library must refuse: masked, reserved bits or
opcode, oversized, out-of-order continuations) cut into reads at any points, with or without
the stream ending early, BulkConnection delivers the same messages, writes the same bytes back
(pongs, close frames) and ends in the same state as a plain websockets client protocol. The
same holds with permessage-deflate negotiated (compressed frames go to the library, plain ones
do not), when the client starts closing mid-stream, and when the handshake is refused.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.client import ClientProtocol
from websockets.extensions.permessage_deflate import (
    ClientPerMessageDeflateFactory,
    ServerPerMessageDeflateFactory,
)
from websockets.frames import Frame, Opcode
from websockets.protocol import State
from websockets.server import ServerProtocol
from websockets.uri import parse_uri

from hkdesk.feed.bulk_connection import BulkConnection, incoming_limit
from hkdesk.feed.frame_splitter import FrameSplitter

LIMIT = 70_000  # the client's max_size: above 65,535 so 64-bit lengths are exercised too
URI = parse_uri("ws://feed.test/quote")


def raw_frame(first: int, payload: bytes, *, masked: bool = False, declared: int | None = None) -> bytes:
    """A server frame with header byte ``first`` (FIN, RSV, opcode), built by hand so that
    invalid frames can be made too; ``declared`` overrides the length in the header."""
    length = len(payload) if declared is None else declared
    mask_bit = 0x80 if masked else 0
    if length < 126:
        head = bytes([first, mask_bit | length])
    elif length < 65_536:
        head = bytes([first, mask_bit | 126]) + length.to_bytes(2, "big")
    else:
        head = bytes([first, mask_bit | 127]) + length.to_bytes(8, "big")
    return head + (b"\x00\x00\x00\x00" if masked else b"") + payload


def _payload(draw, low: int = 0, high: int = 300) -> bytes:
    size = draw(st.sampled_from([0, 1, 125, 126, 127, 65_535, 65_536]) | st.integers(low, high))
    return bytes([draw(st.integers(0x20, 0x7E))]) * size


@st.composite
def frames(draw) -> bytes:
    kind = draw(
        st.sampled_from(
            ["text"] * 6
            + ["binary", "fragmented", "ping", "pong", "close", "masked", "rsv1", "opcode", "big", "cont"]
            + ["unfinished"]
        )
    )
    if kind == "text":
        return raw_frame(0x81, _payload(draw))
    if kind == "binary":
        return raw_frame(0x82, _payload(draw))
    if kind == "fragmented":
        parts = draw(st.lists(st.binary(max_size=40), min_size=2, max_size=4))
        opcode = draw(st.sampled_from([0x1, 0x2]))
        head = raw_frame(opcode, parts[0])
        middle = b"".join(raw_frame(0x00, p) for p in parts[1:-1])
        # a control frame may come between fragments
        between = raw_frame(0x89, b"mid") if draw(st.booleans()) else b""
        return head + between + middle + raw_frame(0x80, parts[-1])
    if kind == "ping":
        return raw_frame(0x89, draw(st.binary(max_size=125)))
    if kind == "pong":
        return raw_frame(0x8A, draw(st.binary(max_size=125)))
    if kind == "close":
        code = draw(st.sampled_from([1000, 1001, 4001]))
        return raw_frame(0x88, code.to_bytes(2, "big") + draw(st.sampled_from([b"", b"bye"])))
    if kind == "masked":
        return raw_frame(0x81, b"masked", masked=True)
    if kind == "rsv1":
        return raw_frame(0xC1, b"compressed?")
    if kind == "opcode":
        return raw_frame(0x83, b"reserved opcode")
    if kind == "big":
        return raw_frame(0x81, b"x" * 10, declared=LIMIT + draw(st.sampled_from([1, 2**40])))
    if kind == "unfinished":  # a message's first fragment: what follows must continue it
        return raw_frame(draw(st.sampled_from([0x01, 0x02])), b"first part")
    return raw_frame(0x80, b"stray continuation")


def make_client(deflate: bool) -> ClientProtocol:
    extensions = [ClientPerMessageDeflateFactory()] if deflate else None
    return ClientProtocol(URI, max_size=LIMIT, extensions=extensions)


def handshake(deflate: bool = False, refuse: str | None = None) -> tuple[bytes, str, ServerProtocol]:
    """A client key, the server's bytes answering it (``refuse``: a 401 with that body), and the
    server (to write more frames)."""
    client = make_client(deflate)
    request = client.connect()
    server = ServerProtocol(extensions=[ServerPerMessageDeflateFactory()] if deflate else None)
    response = server.reject(401, refuse) if refuse is not None else server.accept(request)
    server.send_response(response)
    return b"".join(server.data_to_send()), client.key, server


class FakeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.eof_written = False
        self.closed = False

    def write(self, data: bytes) -> None:
        self.written += data

    def write_eof(self) -> None:
        self.eof_written = True

    def can_write_eof(self) -> bool:
        return True

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def get_write_buffer_size(self) -> int:
        return 0

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def client_frames(written: bytes) -> list[tuple[Opcode, bytes]]:
    """What the client wrote, unmasked (each write uses a random mask)."""
    server = ServerProtocol(state=State.OPEN, max_size=None)
    server.receive_data(written)
    return [(e.opcode, bytes(e.data)) for e in server.events_received() if isinstance(e, Frame)]


def _outcome(protocol: ClientProtocol, messages: list[bytes], written: bytes, eof: bool) -> dict:
    return {
        "messages": messages,
        "written": client_frames(written),
        "eof_written": eof,
        "state": protocol.state,
        "close_rcvd": protocol.close_rcvd and (protocol.close_rcvd.code, protocol.close_rcvd.reason),
        "close_sent": protocol.close_sent and (protocol.close_sent.code, protocol.close_sent.reason),
        "error": protocol.parser_exc and f"{type(protocol.parser_exc).__name__}: {protocol.parser_exc}",
    }


@dataclass
class Run:
    """One stream, as cut into reads, and what the client does meanwhile."""

    chunks: list[bytes]
    key: str
    end: bool  # the stream ends (EOF) after the last read
    deflate: bool = False
    close_at: int | None = None  # the client starts closing before this read


def reference(run: Run) -> dict:
    protocol = make_client(run.deflate)
    protocol.key = run.key
    protocol.send_request(protocol.connect())
    protocol.data_to_send()
    messages: list[bytes] = []
    fragments: list[bytes] = []
    written = bytearray()
    eof = False

    def drain() -> None:
        nonlocal eof
        for event in protocol.events_received():
            if not isinstance(event, Frame):
                continue
            if event.opcode in (Opcode.TEXT, Opcode.BINARY, Opcode.CONT):
                fragments.append(bytes(event.data))
                if event.fin:
                    messages.append(b"".join(fragments))
                    fragments.clear()
        for data in protocol.data_to_send():
            if data:
                written.extend(data)
            else:
                eof = True

    for i, chunk in enumerate(run.chunks):
        if i == run.close_at and protocol.state is State.OPEN:
            protocol.send_close(1000, "client")
            drain()
        protocol.receive_data(chunk)
        drain()
    if run.end:
        protocol.receive_eof()
        drain()
    return _outcome(protocol, messages, bytes(written), eof)


async def ours(run: Run) -> dict:
    protocol = make_client(run.deflate)
    protocol.key = run.key
    conn = BulkConnection(protocol, ping_interval=None)
    transport = FakeTransport()
    conn.connection_made(transport)
    protocol.send_request(protocol.connect())
    protocol.data_to_send()
    batches: list[list[bytes]] = []
    conn.attach(batches.append)
    for i, chunk in enumerate(run.chunks):
        if i == run.close_at and protocol.state is State.OPEN:
            protocol.send_close(1000, "client")
            conn.send_data()
        conn.data_received(chunk)
    if run.end:
        conn.eof_received()
    messages = [bytes(m) for batch in batches for m in batch]
    return _outcome(protocol, messages, bytes(transport.written), transport.eof_written)


def cut(data, stream: bytes, response: bytes) -> list[bytes]:
    """``stream`` in reads cut at drawn points, one of them in the response head's last bytes."""
    cuts = data.draw(st.sets(st.integers(0, len(stream)), max_size=12), label="cuts")
    cuts.add(min(len(stream), len(response) - data.draw(st.integers(0, 4), label="head cut")))
    points = sorted(cuts)
    return [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True) if b > a]


def assert_same(run: Run) -> None:
    assert asyncio.run(ours(run)) == reference(run)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_stream_cut_anywhere_ends_as_websockets_would(data):
    response, key, _ = handshake()
    body = b"".join(data.draw(st.lists(frames(), max_size=12), label="frames"))
    stream = response + body
    # the connection may drop anywhere, even inside the handshake response or a frame
    stream = stream[: data.draw(st.just(len(stream)) | st.integers(0, len(stream)), label="length")]
    chunks = cut(data, stream, response)
    close_at = data.draw(st.none() | st.integers(1, max(1, len(chunks))), label="client closes before read")
    assert_same(Run(chunks, key, data.draw(st.booleans(), label="eof"), close_at=close_at))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_with_compression_negotiated_compressed_frames_go_to_the_library(data):
    response, key, server = handshake(deflate=True)
    assert b"permessage-deflate" in response
    body = b""
    for kind in data.draw(st.lists(st.sampled_from(["deflated", "plain", "fragments", "ping"]), max_size=10)):
        text = data.draw(st.text(max_size=60), label="text")  # any Unicode, not just ASCII
        if kind == "deflated":
            server.send_text(text.encode() * 3)
        elif kind == "fragments":
            server.send_text(text.encode(), fin=False)
            server.send_continuation(b"-and-" + text.encode(), fin=True)
        elif kind == "ping":
            server.send_ping(b"p")
        if kind != "plain":
            body += b"".join(server.data_to_send())
        else:  # an uncompressed frame is legal with the extension, and takes the fast path
            body += raw_frame(0x81, text.encode())
    stream = response + body
    stream = stream[: data.draw(st.just(len(stream)) | st.integers(0, len(stream)), label="length")]
    assert_same(Run(cut(data, stream, response), key, data.draw(st.booleans(), label="eof"), deflate=True))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_refused_handshake_and_its_body_are_left_to_the_library(data):
    response, key, _ = handshake(refuse=data.draw(st.sampled_from(["", "token invalid\n"]), label="body"))
    # bytes that look like a plain frame, after a refusal: nothing to deliver
    stream = response + raw_frame(0x81, b"after the refusal")
    assert_same(Run(cut(data, stream, response), key, data.draw(st.booleans(), label="eof")))


def test_plain_frames_are_sliced_and_the_rest_handed_on_whole():
    stream = b"".join(
        [
            raw_frame(0x81, b'{"a":1}'),
            raw_frame(0x89, b"ping"),
            raw_frame(0x82, b"\x00" * 300),
            raw_frame(0x01, b"frag"),
            raw_frame(0x89, b"between fragments"),
            raw_frame(0x00, b"ment"),
            raw_frame(0x80, b"ed"),
            raw_frame(0x81, b"after it"),
        ]
    )
    splitter = FrameSplitter(LIMIT)
    payloads: list[bytes] = []
    handed: list[bytes] = []
    for i in range(0, len(stream), 7):
        splitter.feed(stream[i : i + 7], payloads, lambda frame: handed.append(frame) or True)
    assert payloads == [b'{"a":1}', b"\x00" * 300, b"after it"]
    assert b"".join(handed) == (
        raw_frame(0x89, b"ping")
        + raw_frame(0x01, b"frag")
        + raw_frame(0x89, b"between fragments")
        + raw_frame(0x00, b"ment")
        + raw_frame(0x80, b"ed")
    )
    assert splitter.buffered == 0 and not splitter.passthrough


def test_a_large_frame_for_the_library_streams_through_without_being_held():
    splitter = FrameSplitter(LIMIT)
    handed: list[bytes] = []
    ping_then_big = raw_frame(0x89, b"p") + raw_frame(0x01, b"y" * 60_000)
    for i in range(0, len(ping_then_big), 4096):
        splitter.feed(ping_then_big[i : i + 4096], [], lambda frame: handed.append(frame) or True)
        assert splitter.buffered == 0
    assert b"".join(handed) == ping_then_big


def test_an_oversized_frame_is_handed_on_from_its_header_and_ends_splitting():
    splitter = FrameSplitter(100)
    payloads: list[bytes] = []
    handed: list[bytes] = []
    big = raw_frame(0x81, b"", declared=2**40)
    splitter.feed(raw_frame(0x81, b"ok") + big, payloads, lambda frame: handed.append(frame) or True)
    assert payloads == [b"ok"] and handed == [big] and splitter.passthrough
    splitter.feed(raw_frame(0x81, b"later"), payloads, lambda frame: handed.append(frame) or True)
    assert payloads == [b"ok"] and handed[-1] == raw_frame(0x81, b"later")


def test_the_size_limit_is_read_from_the_library():
    assert incoming_limit(ClientProtocol(URI, max_size=12_345)) == 12_345
    assert incoming_limit(ClientProtocol(URI, max_size=None)) is None
