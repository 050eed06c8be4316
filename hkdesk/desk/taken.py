"""The chain numbers of one symbol's epoch that a desktop took live and the stream has not shown
yet, as runs of consecutive numbers.

A desktop that follows the live path alone (:mod:`hkdesk.desk.live_sync`) takes every trade
live for as long as the path stays whole: that is one run, two numbers, however many trades.
The stream shows a record it holds once, and mostly in chain order, so a record seen is taken off
the front of the first run.
"""

from __future__ import annotations

#: How far below a number the stream shows a number taken live can still be shown: the desk
#: stores a symbol's records out of chain order only within its publisher's in-flight window
#: (4,096 records by default), so runs further behind are forgotten. It never lets a retry move
#: a record by more.
REORDER_REACH = 8192
#: Runs kept at most; beyond them the live path waits for the stream (each run is a break in
#: what was taken live: a lost message, the stream handing on in between).
MAX_RUNS = 64


class TakenNumbers:
    """Runs ``[first, last]`` of numbers taken live, in order, not overlapping."""

    __slots__ = ("runs",)

    def __init__(self) -> None:
        self.runs: list[list[int]] = []

    def __bool__(self) -> bool:
        return bool(self.runs)

    def __contains__(self, n: int) -> bool:
        return any(first <= n <= last for first, last in self.runs)

    def add(self, first: int, last: int) -> None:
        runs = self.runs
        if runs and runs[-1][1] + 1 == first:
            runs[-1][1] = last
        elif not runs or runs[-1][1] < first:
            runs.append([first, last])
        else:  # before a run already held (a number handed on again is not: see TradeChains)
            runs.append([first, last])
            runs.sort()

    def discard(self, n: int) -> bool:
        """Take ``n`` off (the stream showed it); whether it was taken live."""
        runs = self.runs
        while runs and runs[0][1] < n - REORDER_REACH:
            del runs[0]
        for i, run in enumerate(runs):
            first, last = run
            if n < first:
                return False
            if n > last:
                continue
            if first == last:
                del runs[i]
            elif n == first:
                run[0] = n + 1
            elif n == last:
                run[1] = n - 1
            else:
                run[1] = n - 1
                runs.insert(i + 1, [n + 1, last])
            return True
        return False

    def drop_through(self, n: int) -> None:
        """Forget every number up to ``n``."""
        runs = self.runs
        while runs and runs[0][1] <= n:
            del runs[0]
        if runs and runs[0][0] <= n:
            runs[0][0] = n + 1
