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

Anything else is trouble, and resumes the stream from that place: a count that jumps (a live
message lost, or not sent while the live link was down), a run that does not continue its
chain, a record of a watched symbol that goes by the stream only (a gap's notice, a symbol's
first record of a term, a trade sent twice upstream), a new term, a symbol added, a NATS
reconnect, or ``silence`` seconds without a live message (the desk beats while it has nothing
to send).

After trouble at count ``c`` the desktop parks again only at a checkpoint: a live message says
every batch up to ``c`` is stored (its ``k``, :mod:`hkdesk.desk.live_out`), and the stream has
been read past that message's ``s``. Whatever the live path told of up to ``c`` is then either
handed on or not on the stream at all (a repeat its message id dropped), and the numbers taken
live before the trouble that the stream never showed (stored at or below the place it resumed
from) are forgotten. Then, with the stream caught up and nothing owed, it parks.

After a new term the desktop also waits ``settle`` seconds: the server that led before may still
be storing its last records (its acknowledgement timeout and retry).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from hkdesk.desk.follower import StreamFollower
from hkdesk.desk.trade_chains import TradeChains


class LiveSync:
    """The live path's term, count and silence, and whether the trade follower is parked."""

    def __init__(
        self,
        chains: TradeChains,
        *,
        silence: float = 2.0,
        settle: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.chains = chains
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
        self._owed_count: int | None = None  # trouble at this count: wait for a message's k
        self._owed_seq = 0  # ... then for the stream to be read past its s
        self._owed_for = 0  # the count that s covers
        self._checked = 0  # the last count whose checkpoint was passed
        self._positions: dict[str, tuple[str, int]] | None = None  # handed on when it resumed

    def heard(self, epoch: str, count: int, stored: int, acked: int, data: bool) -> None:
        """A live message's envelope, read before its runs: ``data`` when it holds runs or
        records that go by the stream only (else it is a heartbeat and repeats the count)."""
        self.heard_at = now = self._clock()
        if epoch != self.epoch:
            if self.epoch:
                self._term_at = now
            self.epoch, self.count = epoch, count
            self._checked = 0
            self.trouble()
            return
        expected = self.count + 1 if data else self.count
        self.count = count
        if count != expected:
            self.trouble()
            return
        if self._owed_count is not None and acked >= self._owed_count:
            self._owed_seq, self._owed_for, self._owed_count = stored, self._owed_count, None
        if self.parked and stored > self.resume_after:
            self.resume_after = stored

    def trouble(self) -> None:
        """The live path may miss something: follow the stream again (if it was parked), and
        park again only after the checkpoint of this count."""
        self._owed_count = self.count
        if self.parked:
            self.parked = False
            self.resumes += 1
            self._positions = self.chains.positions()
            if self.on_resume is not None:
                self.on_resume(self.resume_after)

    def passed(self, read_to: int) -> bool:
        """Whether the last trouble's checkpoint is passed, the stream read to ``read_to``; the
        first time, what it settles is settled."""
        if self._owed_count is not None or read_to < self._owed_seq:
            return False
        if self._owed_for > self._checked:
            self._checked = self._owed_for
            self.chains.settle(self.epoch, self._owed_for, self._positions or {})
            self._positions = None
        return True

    def may_park(self, read_to: int) -> bool:
        """The live path flows in a term heard long enough, past the last checkpoint (the
        stream's part and what the desktop owes are the caller's)."""
        now = self._clock()
        heard = bool(self.epoch) and now - self.heard_at < self.silence
        return heard and now - self._term_at >= self.settle and self.passed(read_to)

    def park(self, last_seq: int) -> None:
        """The trade follower stopped after stream sequence ``last_seq``, everything handed on."""
        self.parked = True
        self.parks += 1
        self.resume_after = last_seq

    def check_silence(self) -> None:
        if self.parked and self._clock() - self.heard_at >= self.silence:
            self.trouble()

    async def keep(self, follower: StreamFollower, ready: Callable[[int], bool], every: float) -> None:
        """Every ``every`` seconds: park ``follower`` when it is caught up, the live path flows
        and ``ready(read_to)`` (the desktop owes nothing the live path told of, the stream read
        to ``read_to``); follow again on silence. Trouble resumes it at once."""
        self.on_resume = follower.resume
        while True:
            await asyncio.sleep(every)
            self.check_silence()
            if self.parked or follower.parked:
                continue
            read_to = follower.settled_seq
            if (
                follower.pending == 0
                and follower.caught_up.is_set()
                and self.may_park(read_to)
                and ready(read_to)
            ):
                follower.park()
                self.park(follower.last_seq)
