"""Row 3: the server's error replies (606, 401, 600, 603, 604) each get the right reaction."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import time

from relkit import SYMBOLS, Rig, assert_exactly_once, ledger, start_sim, stored
from support.scripted_alltick import Scripted
from support.timings import RELIABILITY, RELIABILITY_PLAN
from support.waits import wait_until

from hkdesk.feed.client import TOKEN_INVALID
from hkdesk.feed.status import FeedState


async def test_606_backs_off_without_hammering_then_recovers(db_url, tmp_path):
    # The server wants 0.3 s between requests; the client sends its heartbeat 0.1 s after
    # subscribing, so every connection ends with 606 until the server relaxes the rule.
    timings = dataclasses.replace(RELIABILITY, backoff_cap=1.0)
    sim = await start_sim(rate=300, request_spacing=0.3)
    window = 3.0
    try:
        async with Rig(sim.ws_url, db_url, tmp_path / "spill", timings=timings) as rig:
            await asyncio.sleep(window)
            accepted = len(sim.connection_ledgers)
            attempts = [t for t, s in rig.statuses if s.state is FeedState.CONNECTING]
            sim.request_spacing = 0.0
            recovered = await wait_until(lambda: rig.state is FeedState.LIVE, timeout=3, what="recovery")
            await asyncio.sleep(0.3)
            # live on a new socket, or on the last one if it was still subscribing when relaxed
            assert rig.state is FeedState.LIVE and len(sim.connection_ledgers) in (accepted, accepted + 1)
            await rig.quiesce(sim)
        assert_exactly_once(ledger(sim), stored(db_url))
    finally:
        await sim.stop()
    # Hammering at the plan spacing would open ~20 sockets in this window; backoff opens 5.
    assert 3 <= accepted <= 6, f"{accepted} connections in {window} s"
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    severe_floor = 4 * RELIABILITY_PLAN.reconnect_spacing * 0.85  # a 606 skips ahead to the third step
    assert min(gaps) >= severe_floor - 0.002, f"attempts {gaps}"
    offs = [s for _, s in rig.statuses if s.state is FeedState.BACKING_OFF]
    assert offs and all("606" in s.reason for s in offs)
    assert FeedState.FAILED not in rig.states()
    print(
        f"\nrow 3/606: {accepted} connections in {window} s, gaps {[round(g, 2) for g in gaps]}, "
        f"live again {recovered:.2f} s after the server relaxed"
    )


async def test_401_mid_run_fails_with_the_reason_and_never_reconnects(sqlite_url, tmp_path):
    sim = await start_sim(rate=300)
    try:
        async with Rig(sim.ws_url, sqlite_url, tmp_path / "spill") as rig:
            await rig.live()
            await asyncio.sleep(0.2)
            sim.fault("reject-next=5")  # the token was revoked
            sim.drop_all()
            await asyncio.wait_for(asyncio.shield(rig.task), 3)  # run() ends by itself
            failed_at = time.monotonic()
            await asyncio.sleep(0.5)
            assert sim.rejected_handshakes == 1, "no further connection attempt"
            assert rig.state is FeedState.FAILED
        assert_exactly_once(ledger(sim), stored(sqlite_url))
    finally:
        await sim.stop()
    status = rig.feed.status
    assert status.state is FeedState.FAILED and status.reason.startswith(TOKEN_INVALID)
    assert "401" in status.reason and TOKEN_INVALID in status.text()
    assert rig.states().count(FeedState.FAILED) >= 1
    assert all(t <= failed_at for t, s in rig.statuses if s.state is FeedState.CONNECTING)


async def test_600_for_one_symbol_drops_only_that_symbol(sqlite_url, tmp_path):
    sim = await start_sim(rate=400)
    sim.fault("reject-symbol=5.HK")
    others = [s for s in SYMBOLS if s != "5.HK"]
    try:
        async with Rig(sim.ws_url, sqlite_url, tmp_path / "spill") as rig:
            await wait_until(lambda: rig.symbol_errors, what="the refusal reported")
            await wait_until(
                lambda: set(sim.sent_ticks.symbols()) == set(others), what="the other symbols streaming"
            )
            await asyncio.sleep(0.3)
            (conn,) = sim.status()["connections"]
            await rig.quiesce(sim)
            status = rig.feed.status
        sent = ledger(sim)
        assert_exactly_once(sent, stored(sqlite_url))
    finally:
        await sim.stop()
    assert [(s, r) for s, r, _ in rig.symbol_errors] == [("5.HK", 600)]
    assert "code invalid" in rig.symbol_errors[0][2]
    assert sorted(conn["trades"]) == sorted(others)
    assert len(sim.connection_ledgers) == 1, "the socket was never torn down"
    assert status.rejected == ("5.HK",) and "1 refused" in status.text()
    assert all(len(sent[s]) >= 20 for s in others)


async def test_603_and_604_are_reported_and_the_rest_keeps_streaming(sqlite_url, tmp_path):
    async with Scripted() as server:
        server.refuse = {
            "X.HK": (604, "code unauthorized: X.HK"),
            "C.HK": (603, "plan level not enough"),
        }
        async with Rig(server.url, sqlite_url, tmp_path / "spill", symbols=["A.HK", "X.HK", "B.HK"]) as rig:
            await wait_until(lambda: len(server.sent["B.HK"]) >= 10, what="A and B streaming")
            assert [(s, r) for s, r, _ in rig.symbol_errors] == [("X.HK", 604)]
            rig.feed.set_symbols(["A.HK", "X.HK", "B.HK", "C.HK"])
            await wait_until(lambda: len(rig.symbol_errors) == 2, what="the 603 reported")
            before = {s: len(server.sent[s]) for s in ("A.HK", "B.HK")}
            await asyncio.sleep(0.3)
            after = {s: len(server.sent[s]) for s in ("A.HK", "B.HK")}
            status = rig.feed.status
            server.paused = True
            await asyncio.sleep(0.05)
            await wait_until(lambda: rig.pipeline.ticks_received >= server.sent_count(), what="in flight")
        sent = {s: list(v) for s, v in server.sent.items()}
        assert_exactly_once(sent, stored(sqlite_url))
    assert rig.symbol_errors[1][:2] == ("C.HK", 603) and "plan level" in rig.symbol_errors[1][2]
    assert "unauthorized" in rig.symbol_errors[0][2]
    assert all(after[s] >= before[s] + 10 for s in before), "A and B kept streaming"
    assert set(sent) == {"A.HK", "B.HK"}
    assert len(server.connect_times) == 1 and status.state is FeedState.LIVE
    assert set(status.rejected) == {"X.HK", "C.HK"} and "plan level" in status.notice
