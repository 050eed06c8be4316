"""Cutting a server's WebSocket byte stream into frames, for the one case a tick feed is made of.

websockets parses every frame through generator-based readers: about 2.6 µs for a small frame
on the benchmark machine, nearly half of the receive path during a burst. Almost every frame
of a quote feed is *plain*: final, uncompressed, unmasked text or binary, within the size limit.
Such a frame needs only its header read and its payload sliced out, which this module does in
about an eighth of the time (0.3 µs). Every other frame (ping, pong, close, fragments,
compressed or masked frames, reserved bits or opcodes) goes to the library byte for byte, from
its first byte as soon as it arrives, so the library parses it, answers it and refuses it
exactly as it would have.

The library's parser therefore always sees whole frames or the start of one it is reading; the
splitter counts the bytes that frame still owes it. A plain frame's header and payload wait here
only as long as the library itself would wait before deciding anything. Splitting ends for good
(``passthrough``) at a frame that declares more than the size limit, handed on from its header so
the library closes with 1009, and once the connection is no longer open.

Two consequences. If the server accepts the permessage-deflate the client offers (the built-in
simulator declines it), every compressed frame is the library's to inflate and this fast path is
idle: compression trades the saving for bandwidth on a remote link. And plain frames never pass
the library's debug log of frames received; control frames and the handshake still do.
"""

from __future__ import annotations

from collections.abc import Callable

#: FIN set, RSV bits clear, opcode TEXT or BINARY: the first header byte of a plain frame.
PLAIN_FIRST_BYTES = (0x81, 0x82)
_MASKED = 0x80
_LENGTH = 0x7F
_OPCODE = 0x0F
_FIN = 0x80
_CONT, _TEXT, _BINARY = 0x0, 0x1, 0x2


def _header_size(head: bytes) -> int:
    """The size of a frame header, as far as its first bytes tell (at least 2)."""
    if len(head) < 2:
        return 2
    second = head[1]
    length = second & _LENGTH
    size = 2 + (2 if length == 126 else 8 if length == 127 else 0)
    return size + 4 if second & _MASKED else size


class FrameSplitter:
    """Splits a server's byte stream; see the module docstring.

    ``other(data)`` receives the bytes of every frame that is not plain, in order and possibly in
    pieces, and returns whether splitting may go on (False once the connection is no longer
    open); from then on ``passthrough`` is True and every byte goes to ``other`` unread.
    """

    __slots__ = ("_buffer", "_head", "_in_message", "_owed", "max_payload", "passthrough")

    def __init__(self, max_payload: int | None) -> None:
        self.max_payload = max_payload
        self.passthrough = False
        self._buffer = b""  # the start of a plain frame, until the rest arrives
        self._head: bytes | None = None  # header bytes of a frame the library is reading
        self._owed = 0  # payload bytes the library still expects for that frame
        self._in_message = False  # a fragmented message is under way: its frames go to ``other``

    @property
    def buffered(self) -> int:
        """Bytes of an incomplete plain frame held until the rest arrives."""
        return len(self._buffer)

    def feed(self, data: bytes, payloads: list[bytes], other: Callable[[bytes], bool]) -> None:
        """Append plain frames' payloads from ``data`` to ``payloads``; hand the rest to ``other``."""
        if self.passthrough:
            if data:
                other(data)
            return
        buf = self._buffer + data if self._buffer else data
        self._buffer = b""
        end = len(buf)
        pos = 0
        limit = self.max_payload
        append = payloads.append
        plain = PLAIN_FIRST_BYTES
        while pos < end:
            if self._head is not None or self._owed:
                pos = self._to_library(buf, pos, end, other)
                if pos < 0:
                    return
                continue
            first = buf[pos]
            if first not in plain or self._in_message or (end - pos >= 2 and buf[pos + 1] & _MASKED):
                opcode = first & _OPCODE
                if opcode in (_TEXT, _BINARY):
                    self._in_message = not first & _FIN
                elif opcode == _CONT and first & _FIN:
                    self._in_message = False
                self._head = b""
                continue
            if end - pos < 2:
                break
            length = buf[pos + 1] & _LENGTH
            if length < 126:
                start = pos + 2
            elif length == 126:
                if end - pos < 4:
                    break
                length = (buf[pos + 2] << 8) | buf[pos + 3]
                start = pos + 4
            else:
                if end - pos < 10:
                    break
                length = int.from_bytes(buf[pos + 2 : pos + 10], "big")
                start = pos + 10
            if limit is not None and length > limit:
                self._hand_on_rest(buf[pos:], other)
                return
            stop = start + length
            if stop > end:
                break
            append(buf[start:stop])
            pos = stop
        if pos < end:
            self._buffer = buf[pos:]

    def _to_library(self, buf: bytes, pos: int, end: int, other: Callable[[bytes], bool]) -> int:
        """Hand the library the next bytes of the frame it is reading: the rest of its header
        (then its payload length is known), or of its payload. Returns the new position, or -1
        once splitting has ended."""
        head = self._head
        if head is not None:
            take = min(_header_size(head) - len(head), end - pos)
            head += buf[pos : pos + take]
            if len(head) == _header_size(head):
                self._head = None
                length = head[1] & _LENGTH
                if length >= 126:
                    length = int.from_bytes(head[2 : 4 if length == 126 else 10], "big")
                self._owed = length
            else:
                self._head = head
        else:
            take = min(self._owed, end - pos)
            self._owed -= take
        if not other(buf[pos : pos + take]):
            self._hand_on_rest(buf[pos + take :], other)
            return -1
        return pos + take

    def release(self) -> bytes:
        """End splitting and return the bytes still held (the start of an incomplete plain
        frame), for the caller to hand on itself, e.g. when the stream ends."""
        self.passthrough = True
        held, self._buffer = self._buffer, b""
        return held

    def _hand_on_rest(self, rest: bytes, other: Callable[[bytes], bool]) -> None:
        self.passthrough = True
        self._buffer = b""
        if rest:
            other(rest)
