"""The alert judge process: ``python -m hkdesk.alerts.judge_child`` (a frozen app: ``hkdesk alerts-judge``).

Reads messages from stdin, judges trades with an :class:`AlertEvaluator` and answers on stdout
(see :mod:`hkdesk.alerts.judge_wire`), in the order the messages came. It holds no file and no
connection: the app owns the alerts file and the log, and tells this process everything it needs.
It ends when stdin ends, which is also what happens when the app dies, however it dies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from typing import BinaryIO

import msgspec

from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.alerts.judge_wire import (
    Flush,
    Flushed,
    FrameError,
    Frames,
    FromJudge,
    Judged,
    Problem,
    ToJudge,
    Trades,
    apply,
    frame,
    read_frame,
)
from hkdesk.domain.types import Tick
from hkdesk.feed.alltick.protocol import Cmd, TradePush, decode_batch

#: In every trade push frame (its ``cmd_id``). A frame without it is no trade and is not decoded;
#: one with it that is not a trade (a book with a volume of 22998) is decoded and left out.
TRADE_MARK = str(int(Cmd.PUSH_TRADE)).encode()


def _trades_of(frames: list[bytes]) -> list[Tick]:
    """The trades among a read's frames (books and replies too), decoded as the app's feed did."""
    trades = [f for f in frames if TRADE_MARK in f]
    return [f.data for f in decode_batch(trades) if type(f) is TradePush]  # type: ignore[union-attr]


class JudgeLoop:
    """One message in, its answer (if any) out."""

    def __init__(self, out: BinaryIO) -> None:
        self.evaluator = AlertEvaluator()
        self._out = out
        self._encode = msgspec.msgpack.Encoder().encode

    def handle(self, message: ToJudge) -> None:
        ev = self.evaluator
        if isinstance(message, Trades | Frames):
            trades: list = []
            try:
                trades = message.trades if isinstance(message, Trades) else _trades_of(message.frames)
                events = ev.evaluate(trades)
            except Exception as exc:  # what fired before the failure is spent and is still told
                self.send(Problem(f"a batch of {len(trades)} trades could not be judged: {exc!r}"))
                events = ev.take_fired()
            self.send(Judged(len(trades), list(events)))  # every batch is answered
        elif isinstance(message, Flush):
            self.send(Flushed(message.token, time.process_time()))
        else:
            apply(message, ev)

    def send(self, message: FromJudge) -> None:
        self._out.write(frame(self._encode(message)))


def serve(stdin: BinaryIO, stdout: BinaryIO) -> int:
    decode = msgspec.msgpack.Decoder(ToJudge).decode
    loop = JudgeLoop(stdout)
    while (body := read_frame(stdin)) is not None:
        try:
            message = decode(body)
        except msgspec.DecodeError as exc:  # the app's own encoder wrote it: the stream is corrupt
            loop.send(Problem(f"a message could not be read: {exc}; the judge stops"))
            stdout.flush()
            return 2
        else:
            try:
                loop.handle(message)
            except Exception as exc:  # one bad message must not stop the judging of the rest
                loop.send(Problem(f"a {type(message).__name__} message could not be applied: {exc!r}"))
        stdout.flush()
    return 0


#: How much lower the judge runs than the app (POSIX): on a machine short of cores the window
#: and its feed come first, and a burst's trades are judged a moment later, every one of them.
NICENESS = 5


def main() -> int:
    """Serve on file descriptors 0 and 1 (a windowed frozen app may have no ``sys.stdin``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl+C in the app's terminal is the app's
    if hasattr(os, "nice"):  # the window and its feed first; judging catches up in the gaps
        with contextlib.suppress(OSError):
            os.nice(NICENESS)
    if sys.platform == "win32":  # no newline translation on the pipes
        import msvcrt

        for fd in (0, 1):
            msvcrt.setmode(fd, os.O_BINARY)
    try:
        with open(0, "rb", closefd=False) as stdin, open(1, "wb", closefd=False) as stdout:
            return serve(stdin, stdout)
    except (FrameError, OSError):  # the app went in the middle of a message, or stopped reading
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
