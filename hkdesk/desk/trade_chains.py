"""A desktop's chain position in each symbol (:mod:`hkdesk.desk.chain`): take a trade from
whichever copy comes first, the live message or the stream, in order and once.

:class:`TradeChains` keeps, per symbol, the chain position of the last record handed on and
the numbers taken live that the stream has not shown yet. A live run is taken only when it
continues that position in the same epoch; a stream record is skipped only when its own
number was taken live. So a lost live message, a live message that overtook the stream's
replay, a new desk server or a record the stream holds out of order all fall back to the
stream, which hands on everything not taken live.
"""

from __future__ import annotations

from hkdesk.desk.taken import MAX_RUNS, TakenNumbers


class TradeChains:
    """Chain positions per symbol token; see the module docstring."""

    def __init__(self) -> None:
        #: token -> (epoch, highest number handed on)
        self._at: dict[str, tuple[str, int]] = {}
        #: (token, epoch) -> numbers taken live, not yet seen on the stream
        self._unseen: dict[tuple[str, str], TakenNumbers] = {}
        #: token -> (epoch, highest number the live path told of and did not hand on: left to
        #: the stream, or by the stream only; the count of the live message that told of it)
        self._told: dict[str, tuple[str, int, int]] = {}

    def live_fits(self, token: str, epoch: str, first: int) -> bool:
        """A live run starting at ``first`` continues the chain (and is not too far ahead)."""
        at = self._at.get(token)
        if at is None or at[1] + 1 != first or at[0] != epoch:
            return False
        unseen = self._unseen.get((token, epoch))
        return unseen is None or len(unseen.runs) < MAX_RUNS

    def took_live(self, token: str, epoch: str, first: int, count: int) -> None:
        last = first + count - 1
        self._at[token] = (epoch, last)
        unseen = self._unseen.get((token, epoch))
        if unseen is None:
            unseen = self._unseen[(token, epoch)] = TakenNumbers()
        unseen.add(first, last)

    def told(self, token: str, epoch: str, last: int, count: int) -> None:
        """Live message ``count`` told of records of ``token`` up to ``last`` it did not hand on."""
        told = self._told.get(token)
        if told is None or told[0] != epoch or told[1] <= last:
            self._told[token] = (epoch, last, count)

    def positions(self) -> dict[str, tuple[str, int]]:
        """Where each symbol's chain is: (epoch, highest number handed on)."""
        return dict(self._at)

    def settle(self, epoch: str, count: int, positions: dict[str, tuple[str, int]]) -> None:
        """The stream is read past every record the live path told of up to ``count``: what is
        still owed of those is not on the stream (a repeat its message id dropped), and numbers
        taken live up to ``positions`` that it did not show never will be."""
        for token in [t for t, (e, _, c) in self._told.items() if e == epoch and c <= count]:
            del self._told[token]
        for token, (e, n) in positions.items():
            if e != epoch:  # another term's records: this term's k says nothing of them
                continue
            unseen = self._unseen.get((token, e))
            if unseen is not None:
                unseen.drop_through(n)
                if not unseen:
                    del self._unseen[(token, e)]

    def behind(self, tokens: frozenset[str], epoch: str) -> bool:
        """Whether any of ``tokens`` has not handed on all the live path told of in ``epoch``."""
        at, told = self._at, self._told
        for token in tokens:
            said = told.get(token)
            if said is not None and said[0] == epoch:
                now = at.get(token)
                if now is None or now[0] != epoch or now[1] < said[1]:
                    return True
        return False

    def seen_live(self, token: str, chain: tuple[str, int] | None) -> bool:
        """Whether the stream's record (``chain``: its header) was taken live (it is then no
        longer owed); changes nothing else, so a record read ahead of its turn cannot move the
        chain."""
        if chain is None:
            return False
        unseen = self._unseen.get((token, chain[0]))
        if unseen is None or not unseen.discard(chain[1]):
            return False
        if not unseen:
            del self._unseen[(token, chain[0])]
        return True

    def stream_is_new(self, token: str, chain: tuple[str, int] | None) -> bool:
        """Whether the stream's record (``chain``: its header, or None) is to be handed on."""
        if chain is None:  # a record of a desk server without chains: the live path waits
            self._at.pop(token, None)
            return True
        if self.seen_live(token, chain):
            return False
        epoch, n = chain
        at = self._at.get(token)
        if at is not None and at[0] != epoch:  # a new term: the one before it may still trickle
            for key in [k for k in self._unseen if k[0] == token and k[1] not in (epoch, at[0])]:
                del self._unseen[key]  # in (a retry), the older ones are over
        if at is None or at[0] != epoch or n > at[1]:
            self._at[token] = chain
        return True

    def forget(self, token: str) -> None:
        """A symbol no longer watched: its position goes (it comes back through the stream)."""
        self._at.pop(token, None)
        self._told.pop(token, None)
        for key in [k for k in self._unseen if k[0] == token]:
            del self._unseen[key]
