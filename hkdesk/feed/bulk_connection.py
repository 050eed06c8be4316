"""A websockets client connection that hands data frames on in bulk, once per socket read."""

from __future__ import annotations

from collections.abc import Callable

from websockets.asyncio.client import ClientConnection
from websockets.frames import Frame, Opcode
from websockets.protocol import Event, Protocol, State

from hkdesk.feed.frame_splitter import FrameSplitter

_TEXT, _BINARY, _CONT = Opcode.TEXT, Opcode.BINARY, Opcode.CONT
_END_OF_HEAD = b"\r\n\r\n"


def incoming_limit(protocol: Protocol) -> int | None:
    """The largest frame payload the library accepts (None: no limit). Its attribute names
    changed in websockets 16 (``max_size`` became ``max_message_size`` and
    ``max_fragment_size``); if neither is found every frame goes to the library (limit 0)."""
    message = getattr(protocol, "max_message_size", getattr(protocol, "max_size", 0))
    fragment = getattr(protocol, "max_fragment_size", None)
    if message is None or fragment is None:
        return fragment if message is None else message
    return min(message, fragment)


class BulkConnection(ClientConnection):
    """A client connection that hands data frames on in bulk, straight from the socket read.

    ``recv()`` costs a queue put, a future and a task switch per frame; in the ingest profile
    that was a fifth of the receive path. Here every whole data frame of one socket read (up to
    256 KiB, about 1,500 trades) is collected and passed to ``on_frames`` in one call.

    After the handshake the byte stream goes through a :class:`FrameSplitter`: plain data frames
    are sliced out directly (an eighth of the library's parsing cost), and every other frame is
    fed to the library whole, so the handshake, control frames (ping, pong, close), limits,
    extensions and errors stay with websockets. Data frames the library parses (fragmented,
    compressed) come back through ``process_event`` and join the same batch, in stream order.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.on_frames: Callable[[list[bytes]], None] | None = None
        self._frames: list[bytes] = []
        self._fragments: list[bytes] | None = None
        self._splitter = FrameSplitter(incoming_limit(self.protocol))
        self._head_tail = b""

    def attach(self, on_frames: Callable[[list[bytes]], None]) -> None:
        """Start delivering; frames that arrived with the handshake response go first."""
        self.on_frames = on_frames
        self._hand_on()

    def process_event(self, event: Event) -> None:
        if type(event) is Frame and self.response is not None:
            opcode = event.opcode
            if opcode is _TEXT or opcode is _BINARY:
                if event.fin:
                    self._frames.append(event.data)
                else:
                    self._fragments = [event.data]
                return
            if opcode is _CONT and self._fragments is not None:
                self._fragments.append(event.data)
                if event.fin:
                    self._frames.append(b"".join(self._fragments))
                    self._fragments = None
                return
        super().process_event(event)

    def data_received(self, data: bytes) -> None:
        splitter = self._splitter
        state = self.protocol.state
        if splitter.passthrough:
            super().data_received(data)
        elif state is State.OPEN:
            splitter.feed(data, self._frames, self._to_library)
        elif state is State.CONNECTING:
            self._handshake_received(data)
        else:
            super().data_received(splitter.release() + data)
        self._hand_on()

    def eof_received(self) -> None:
        held = self._splitter.release()
        if held:
            super().data_received(held)  # an incomplete frame: the library reports it
        super().eof_received()

    def _handshake_received(self, data: bytes) -> None:
        """Feed the library the response head only, so that splitting starts at a frame header."""
        seen = self._head_tail + data
        end = seen.find(_END_OF_HEAD)
        if end < 0:
            self._head_tail = seen[-(len(_END_OF_HEAD) - 1) :]
            super().data_received(data)
            return
        cut = end + len(_END_OF_HEAD) - len(self._head_tail)
        self._head_tail = b""
        super().data_received(data[:cut])
        rest = data[cut:]
        if self.protocol.state is State.OPEN:
            self._splitter.feed(rest, self._frames, self._to_library)
            return
        self._splitter.release()  # refused (a body may follow): the library reads the rest
        if rest:
            super().data_received(rest)

    def _to_library(self, data: bytes) -> bool:
        super().data_received(data)
        return self.protocol.state is State.OPEN

    def _hand_on(self) -> None:
        if self._frames and self.on_frames is not None:
            frames, self._frames = self._frames, []
            self.on_frames(frames)
