"""A real feed's desk passes on nothing once its upstream names itself the simulator."""

from __future__ import annotations

from deskkit import ticks

from hkdesk.desk.server import UpstreamCallbacks
from hkdesk.desk.simulator_guard import SimulatorGuard
from hkdesk.feed.status import FeedState, FeedStatus


def test_nothing_is_passed_on_once_the_handshake_names_the_simulator() -> None:
    got: list[object] = []
    found: list[bool] = []
    plain = UpstreamCallbacks(got.append, got.append, got.append, got.append, lambda *a: got.append(a))
    guard = SimulatorGuard(True, lambda: found.append(True))
    cb = guard.wrap(plain)
    cb.on_status(FeedStatus(FeedState.LIVE))
    cb.on_ticks(ticks("700.HK", 1, 2))
    assert len(got) == 2 and not guard.found
    cb.on_status(FeedStatus(FeedState.SUBSCRIBING, simulator=True))
    cb.on_status(FeedStatus(FeedState.LIVE, simulator=True))
    cb.on_ticks(ticks("700.HK", 3, 2))
    cb.on_books([])
    assert guard.found and found == [True], "told once"
    assert len(got) == 4 and all(isinstance(x, FeedStatus) for x in got[2:]), "statuses only"
    assert SimulatorGuard(False, lambda: None).wrap(plain) is plain, "a simulated desk needs none"
