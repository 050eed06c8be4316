"""The leading desk server's side of the live path (:mod:`hkdesk.desk.chain`), and ``k``.

Every batch of trades and every gap notice is told on the live path in messages counted in the
leader's term (:mod:`hkdesk.desk.chain`). :class:`StoredCounts` keeps, in order, each batch's
last count and how many of its records JetStream has not yet acknowledged; ``k`` is the count
of the last batch that, with every batch before it, is wholly stored (or dropped by the desk
when more waited than it keeps). A desktop that missed a live message, or followed the stream
again for any reason, knows what it missed is on the stream once a message says ``k`` has
reached it, and read once its stream follower passes that message's ``s``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from hkdesk.desk.chain import ChainNumbers
from hkdesk.desk.codec import TradeRun, stored_seq
from hkdesk.desk.connection import DeskClient


@dataclass(slots=True)
class BatchMark:
    """A batch of the term ``epoch`` whose last live message has ``count``, and how many of its
    records JetStream has not acknowledged yet."""

    epoch: str
    count: int
    unstored: int


class StoredCounts:
    """Batches not yet wholly stored, oldest first; see the module docstring."""

    def __init__(self) -> None:
        self._open: deque[BatchMark] = deque()
        self._epoch = ""
        self._through = 0

    def open(self, epoch: str, count: int, records: int) -> BatchMark:
        mark = BatchMark(epoch, count, records)
        self._open.append(mark)
        return mark

    def settle(self, mark: BatchMark, records: int = 1) -> None:
        """``records`` of the batch of ``mark`` stored (or dropped)."""
        mark.unstored -= records
        opened = self._open
        while opened and opened[0].unstored <= 0:
            done = opened.popleft()
            self._epoch, self._through = done.epoch, done.count

    def through(self, epoch: str) -> int:
        """The ``k`` of a live message of ``epoch`` now (0: nothing of the term stored yet)."""
        return self._through if self._epoch == epoch else 0


class LiveOut:
    """The leading server's side of the live path: each batch's live messages, the heartbeats,
    and what they say is stored (``s``: the highest stream sequence acknowledged; ``k``)."""

    def __init__(
        self, subject: str, chains: ChainNumbers, *, beat: float, clock: Callable[[], float]
    ) -> None:
        self.subject = subject
        self.chains = chains
        self.beat_every = beat
        self._clock = clock
        #: the live link (a connection of its own); None: no live path
        self.client: DeskClient | None = None
        self.marks = StoredCounts()
        self.stored = 0
        self.sent = 0  # live messages of batches sent (heartbeats not counted)
        self.sent_at = float("-inf")

    def batch(self, runs: list[TradeRun], off: dict[str, int], records: int) -> BatchMark:
        """Send a batch's live messages (if any, while leading); the mark of its ``records``."""
        chains = self.chains
        if self.client is not None and chains.leading and (runs or off):
            acked = self.marks.through(chains.epoch)
            self.sent += self._send(chains.live_messages(runs, off, self.stored, acked))
        return self.marks.open(chains.epoch, chains.count, records)

    def beat(self) -> None:
        """A heartbeat after ``beat`` seconds without a live message, once this term sent one
        (a server standing by, or whose term ended, is silent)."""
        chains = self.chains
        quiet = self._clock() - self.sent_at >= self.beat_every
        if self.client is not None and chains.leading and chains.count and quiet:
            self._send([chains.heartbeat(self.stored, self.marks.through(chains.epoch))])

    def stored_at(self, ack: bytes, mark: BatchMark | None) -> None:
        """JetStream acknowledged a record (of batch ``mark``, None for a book) with ``ack``."""
        if mark is not None:  # a trade or a gap: what a desktop's trade follower reads past
            self.stored = max(self.stored, stored_seq(ack))
            self.marks.settle(mark)

    def _send(self, payloads: list[bytes]) -> int:
        """Put the messages on the live link at once; how many went (none while it is down:
        they are counted all the same, so a desktop sees that it missed them)."""
        client, sent = self.client, 0
        if client is not None and client.is_connected:
            for payload in payloads:
                if client.put_now(self.subject, payload):
                    sent += 1
                    self.sent_at = self._clock()
        return sent
