"""Whether a desktop follows the desk's trade stream, or the live path alone.

Following the stream costs the NATS server a delivery of every trade to every desktop, on top
of the live path's copy: with ten desktops on two cores that was the difference between
keeping up and not. While the live path is whole the stream has nothing a desktop lacks, so the
desktop stops following it (parks its trade follower) and keeps its place there: a stream
sequence at or below which it has handed on everything.

The live messages move that place on. Each carries ``s``: the stream sequence up to which
everything was stored when it was sent. A record stored by then had its live message (or its
notice of going by the stream only) sent before, on the same ordered subject; so a desktop that
took every live message of the term in count, each run of its symbols continuing its chain, has
handed on every record at or below ``s``.

Anything else resumes the stream from that place, and the stream hands on what the live path
did not: a count that jumps (a live message lost, or not sent while the live link was down), a
run that does not continue its chain, a record of a watched symbol that goes by the stream only
(a gap's notice, a symbol's first record of a term, a trade sent twice upstream), a new term, a
symbol added, a NATS reconnect, or ``silence`` seconds without a live message (the desk beats
while it has nothing to send). The desktop parks again once the stream is caught up, the live
path flows, and no watched symbol owes a record the live path told of.

After a new term the desktop waits ``settle`` seconds before it parks: the server that led
before may still be storing its last records (its acknowledgement timeout and retry).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from hkdesk.desk.follower import StreamFollower


class LiveSync:
    """The live path's term, count and silence, and whether the trade follower is parked."""

    def __init__(
        self, *, silence: float = 2.0, settle: float = 5.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.silence = silence
        self.settle = settle
        self._clock = clock
        self.epoch = ""
        self.count = 0
        self.heard_at = float("-inf")
        self._term_at = float("-inf")  # when a term after the first one was first heard
        self.parked = False
        #: the stream sequence the trade follower resumes after
        self.resume_after = 0
        self.parks = 0
        self.resumes = 0
        #: called with :attr:`resume_after` when the stream is to be followed again
        self.on_resume: Callable[[int], None] | None = None

    def heard(self, epoch: str, count: int, stored: int, data: bool) -> None:
        """A live message's envelope, read before its runs: ``data`` when it holds runs or
        records that go by the stream only (else it is a heartbeat and repeats the count)."""
        self.heard_at = now = self._clock()
        if epoch != self.epoch:
            if self.epoch:
                self._term_at = now
            self.epoch, self.count = epoch, count
            self.trouble()
            return
        expected = self.count + 1 if data else self.count
        self.count = count
        if count != expected:
            self.trouble()
        elif self.parked and stored > self.resume_after:
            self.resume_after = stored

    def trouble(self) -> None:
        """The live path may miss something: follow the stream again (if it was parked)."""
        if self.parked:
            self.parked = False
            self.resumes += 1
            if self.on_resume is not None:
                self.on_resume(self.resume_after)

    def may_park(self) -> bool:
        """The live path flows in a term heard long enough (the stream's part is the caller's)."""
        now = self._clock()
        return bool(self.epoch) and now - self.heard_at < self.silence and now - self._term_at >= self.settle

    def park(self, last_seq: int) -> None:
        """The trade follower stopped after stream sequence ``last_seq``, everything handed on."""
        self.parked = True
        self.parks += 1
        self.resume_after = last_seq

    def check_silence(self) -> None:
        if self.parked and self._clock() - self.heard_at >= self.silence:
            self.trouble()

    async def keep(self, follower: StreamFollower, ready: Callable[[], bool], every: float) -> None:
        """Every ``every`` seconds: park ``follower`` when it is caught up, the live path flows
        and ``ready()`` (the desktop owes nothing the live path told of); follow again on
        silence. Trouble resumes it at once."""
        self.on_resume = follower.resume
        while True:
            await asyncio.sleep(every)
            self.check_silence()
            if (
                not self.parked
                and not follower.parked
                and follower.pending == 0
                and follower.caught_up.is_set()
                and self.may_park()
                and ready()
            ):
                follower.park()
                self.park(follower.last_seq)
