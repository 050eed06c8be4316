"""A real feed's desk takes nothing from hkdesk's simulator.

The desk server's upstream is asked what it is before its database and stream are chosen
(:mod:`hkdesk.feed.server_probe`); a simulator that did not answer then names itself in its
handshake. From that status on, nothing the upstream sends is passed on (no trade, book or gap
is stored or published), and ``on_found`` is told once, so the server can stop and say why.
"""

from __future__ import annotations

from collections.abc import Callable

from hkdesk.desk.server import UpstreamCallbacks
from hkdesk.feed.status import FeedStatus


class SimulatorGuard:
    def __init__(self, real_only: bool, on_found: Callable[[], None]) -> None:
        """``real_only``: the desk keeps real data (a simulated desk needs no guard)."""
        self.real_only = real_only
        self.found = False
        self._on_found = on_found

    def wrap(self, cb: UpstreamCallbacks) -> UpstreamCallbacks:
        if not self.real_only:
            return cb

        def on_status(status: FeedStatus) -> None:
            if status.simulator and not self.found:
                self.found = True
                self._on_found()
            cb.on_status(status)

        def unless_found(callback: Callable[..., None]) -> Callable[..., None]:
            def passed_on(*args: object) -> None:
                if not self.found:
                    callback(*args)

            return passed_on

        return UpstreamCallbacks(
            unless_found(cb.on_ticks),
            unless_found(cb.on_books),
            on_status,
            unless_found(cb.on_gap),
            cb.on_symbol_error,
        )
