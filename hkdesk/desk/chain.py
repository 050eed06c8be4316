"""Each symbol's chain of desk records, and the live path that runs beside the stream.

JetStream stores a trade before it delivers it (on this machine's nats-server, about 2.5x the
latency of a plain NATS subject at p99). So the leading desk server also sends each batch of
trades at once on a plain subject outside the stream (``hkdesk.<desk>.live``, on a connection
of its own so the stream's publishes never hold it up), and a desktop shows a trade from
whichever copy comes first. The stream stays the record: it is what a desktop replays,
resumes from and trusts when the two disagree.

To take a live trade without breaking the order of a symbol's trades, or handing one on twice,
every record the desk publishes of a symbol (trades and gap notices) is numbered in that
symbol's chain: ``<epoch>.<n>``, where the epoch names the publisher's leadership term (each
election starts a new one) and ``n`` counts from 1. The stream's copy carries it in the
``Hkdesk-Chain`` header; a live message carries runs of consecutive numbers. A desktop takes a
live run only if it starts right after the last record of that symbol it handed on, in the
same epoch (:mod:`hkdesk.desk.live`); anything else waits for the stream.

Only trades newer (exchange time, sequence) than the symbol's newest so far go live: a trade
the upstream sent twice is numbered, goes to the stream (whose message id drops it) and never
reaches a desktop twice by the live path.

So that a desktop can leave the stream while the live path is whole (:mod:`hkdesk.desk.live_sync`),
a live message also says what it cannot carry: it is counted in its term (``c``; a message not
sent because the live link was down still counts), it names per symbol the highest number of
its batch that goes by the stream only (``o``: a gap's notice, a symbol's first record of the
term, a trade not newer), and it carries the stream sequence up to which everything was stored
when it went (``s``) and the count up to which every batch's records were (``k``,
:mod:`hkdesk.desk.live_out`). After ``live_beat`` without one, the leader sends a heartbeat:
the last count again, ``s`` and ``k``. A server whose term ended sends nothing live.
"""

from __future__ import annotations

import secrets
from typing import NamedTuple

from hkdesk.desk.codec import LiveBatch, TradeRun, encode
from hkdesk.desk.subjects import encode_token
from hkdesk.domain.types import Tick

#: Trades per live message at most (about 200 bytes each: far below NATS's 1 MiB payload).
LIVE_CHUNK = 512
_OLDEST = (-1, -1)
_NO_RUN = TradeRun("", 0, [])  # no run open yet for a symbol in this batch


class Numbered(NamedTuple):
    """A batch of trades numbered: each trade's number, the runs worth sending live, and per
    symbol token the highest number of the batch that goes by the stream only."""

    numbers: list[int]
    runs: list[TradeRun]
    off: dict[str, int]


class ChainNumbers:
    """The desk side: numbers every record of each symbol and cuts the live messages."""

    def __init__(self) -> None:
        self.epoch = secrets.token_hex(4)
        #: live messages of this epoch so far (each counted, sent or not: a desktop that sees the
        #: count jump knows it missed one)
        self.count = 0
        #: whether this term's live messages go out (not after it ended: :meth:`end_term`)
        self.leading = True
        #: symbol -> the last number given in this epoch
        self._last: dict[str, int] = {}
        self._newest: dict[str, tuple[int, int]] = {}
        self._tokens: dict[str, str] = {}

    def number_ticks(self, ticks: list[Tick]) -> Numbered:
        """The chain number of each trade, the runs of them worth sending live, and what goes by
        the stream only.

        A run can be taken only right after a record the desktop has, so none starts at a
        symbol's first number of the epoch, and none follows, in the same batch, a trade kept off
        the live path: the desktops get those from the stream, later than this batch's live
        message (a desk's first batch, a burst, goes by the stream alone).
        """
        last, newest = self._last, self._newest
        numbers: list[int] = []
        runs: list[TradeRun] = []
        off: dict[str, int] = {}
        open_runs: dict[str, TradeRun | None] = {}  # None: this symbol's live runs ended here
        for tick in ticks:
            symbol = tick.symbol
            n = last[symbol] = last.get(symbol, 0) + 1
            numbers.append(n)
            key = (tick.ts, tick.seq)
            newer = key > newest.get(symbol, _OLDEST)
            if newer:
                newest[symbol] = key
            run = open_runs.get(symbol, _NO_RUN)
            if run is None or not newer or n == 1:  # not newer: its message id drops a repeat
                open_runs[symbol] = None
                off[self.token(symbol)] = n
                continue
            if run is _NO_RUN:
                run = open_runs[symbol] = TradeRun(self.token(symbol), n, [])
                runs.append(run)
            run.trades.append(tick)
        return Numbered(numbers, runs, off)

    def token(self, symbol: str) -> str:
        token = self._tokens.get(symbol)
        if token is None:
            token = self._tokens[symbol] = encode_token(symbol)
        return token

    def number_gap(self, symbol: str) -> int:
        n = self._last[symbol] = self._last.get(symbol, 0) + 1
        return n

    def new_term(self) -> None:
        """A new epoch, counting from 1 again: each leadership term is one, so a server deposed
        and elected again never continues a chain another leader has written after."""
        self.epoch = secrets.token_hex(4)
        self.count = 0
        self._last = {}
        self.leading = True

    def end_term(self) -> None:
        """The term is over (deposed): a new epoch, and no live messages until the next term."""
        self.new_term()
        self.leading = False

    def live_messages(
        self, runs: list[TradeRun], off: dict[str, int] | None = None, stored: int = 0, acked: int = 0
    ) -> list[bytes]:
        """The runs as live payloads of at most :data:`LIVE_CHUNK` trades each (a long run is
        split into consecutive pieces), the last one carrying ``off``; each counted. ``stored``,
        ``acked``: the ``s`` and ``k`` of the messages (module docstring)."""
        out: list[bytes] = []
        chunk: list[TradeRun] = []
        room = LIVE_CHUNK
        for run in runs:
            first, trades = run.first, run.trades
            while len(trades) > room:
                if room:
                    chunk.append(TradeRun(run.token, first, trades[:room], first + room - 1))
                    first, trades = first + room, trades[room:]
                out.append(self._message(chunk, [], stored, acked))
                chunk, room = [], LIVE_CHUNK
            if trades:
                chunk.append(TradeRun(run.token, first, trades, first + len(trades) - 1))
                room -= len(trades)
        if chunk or off:
            out.append(self._message(chunk, list(off.items()) if off else [], stored, acked))
        return out

    def heartbeat(self, stored: int, acked: int = 0) -> bytes:
        """A live message with nothing in it: the count of the last one, and what is stored."""
        return encode(LiveBatch(self.epoch, c=self.count, s=stored, k=acked))

    def _message(self, runs: list[TradeRun], off: list[tuple[str, int]], stored: int, acked: int) -> bytes:
        self.count += 1
        return encode(LiveBatch(self.epoch, runs, self.count, stored, off, acked))


def parse_chain(value: str | bytes | None) -> tuple[str, int] | None:
    """``(epoch, n)`` from a ``Hkdesk-Chain`` value; None when absent or malformed."""
    if not value:
        return None
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    epoch, _, n = value.strip().partition(".")
    if not epoch or not n.isdigit():
        return None
    return epoch, int(n)
