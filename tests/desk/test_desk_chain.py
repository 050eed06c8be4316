"""The symbol chains and the live path's wire, without a server: numbering, runs, merging."""

from __future__ import annotations

import msgspec
from deskkit import tick, ticks
from support.clock import FakeClock

from hkdesk.desk.chain import LIVE_CHUNK, ChainNumbers, parse_chain
from hkdesk.desk.codec import LiveBatch, LiveRun, decode_live, decode_ticks, encode
from hkdesk.desk.live import LiveFollower
from hkdesk.desk.live_sync import LiveSync
from hkdesk.desk.taken import MAX_RUNS, REORDER_REACH, TakenNumbers
from hkdesk.desk.trade_chains import TradeChains


def decoded(payloads: list[bytes]) -> list[tuple[str, str, int, list]]:
    out = []
    for payload in payloads:
        batch = decode_live(payload)
        out += [(batch.e, run.token, run.first, decode_ticks(run.trades)) for run in batch.runs]
    return out


def test_each_symbol_counts_its_own_records_and_a_gap_takes_a_number():
    numbers = ChainNumbers()
    mixed = [tick("700.HK", 1), tick("5.HK", 1), tick("700.HK", 2), tick("5.HK", 2), tick("700.HK", 3)]
    assert numbers.number_ticks(mixed)[0] == [1, 1, 2, 2, 3]
    assert numbers.number_gap("700.HK") == 4
    assert numbers.number_ticks([tick("700.HK", 4)])[0] == [5]
    assert ChainNumbers().epoch != numbers.epoch  # each publisher its own epoch
    before = numbers.epoch
    numbers.new_term()  # elected again: a new epoch, counted from 1
    assert numbers.epoch != before
    assert numbers.number_ticks([tick("700.HK", 5)])[0] == [1]


def test_live_runs_hold_consecutive_trades_and_end_at_a_trade_that_is_not_newer():
    numbers = ChainNumbers()
    first = ticks("700.HK", 1, 3)
    assert numbers.number_ticks(first) == ([1, 2, 3], [], {"700=2EHK": 3})  # no run from 1 live
    again = [tick("700.HK", 4), tick("5.HK", 1), tick("700.HK", 5), first[2], tick("700.HK", 6)]
    chain, runs, off = numbers.number_ticks(again)
    assert chain == [4, 1, 5, 6, 7]
    got = [(run.token, run.first, [t.seq for t in run.trades]) for run in runs]
    # 700.HK's re-sent trade (seq 3) goes to the stream only, and nothing of 700.HK after it in
    # this batch goes live (a desktop has it only once the stream brings it, after this batch)
    assert got == [("700=2EHK", 4, [4, 5])]
    assert off == {"700=2EHK": 7, "5=2EHK": 1}  # what a desktop must get from the stream
    runs = numbers.number_ticks([tick("700.HK", 7), tick("5.HK", 2)]).runs
    assert [(run.token, run.first, [t.seq for t in run.trades]) for run in runs] == [
        ("700=2EHK", 8, [7]),
        ("5=2EHK", 2, [2]),
    ]


def test_live_messages_are_cut_at_the_chunk_size_with_the_numbers_carried_on():
    numbers = ChainNumbers()
    numbers.number_ticks([tick("700.HK", 0), tick("5.HK", 0)])
    many = ticks("700.HK", 1, LIVE_CHUNK + 100) + ticks("5.HK", 1, LIVE_CHUNK)
    runs = numbers.number_ticks(many).runs
    payloads = numbers.live_messages(runs)
    assert len(payloads) == 3
    parts = decoded(payloads)
    assert [(token, first, len(trades)) for _, token, first, trades in parts] == [
        ("700=2EHK", 2, LIVE_CHUNK),
        ("700=2EHK", LIVE_CHUNK + 2, 100),
        ("5=2EHK", 2, LIVE_CHUNK - 100),
        ("5=2EHK", LIVE_CHUNK - 98, 100),
    ]
    assert {epoch for epoch, *_ in parts} == {numbers.epoch}
    assert [t for *_, trades in parts for t in trades] == many  # digit for digit


def test_a_chain_header_is_read_or_refused():
    assert parse_chain("a1b2c3d4.17") == ("a1b2c3d4", 17)
    assert parse_chain(b" a1b2c3d4.17 ") == ("a1b2c3d4", 17)
    for bad in (None, "", "a1b2", "a1b2.x", ".5", b"e.-1"):
        assert parse_chain(bad) is None


def test_a_live_run_is_taken_only_right_after_the_last_record_handed_on():
    chains = TradeChains()
    assert not chains.live_fits("T", "e", 1)  # nothing known yet: the stream first
    assert chains.stream_is_new("T", ("e", 1))
    assert not chains.live_fits("T", "e", 3)  # 2 is missing
    assert not chains.live_fits("T", "other", 2)  # another publisher
    assert chains.live_fits("T", "e", 2)
    chains.took_live("T", "e", 2, 3)  # 2, 3 and 4 taken live
    assert chains.live_fits("T", "e", 5)
    assert [chains.stream_is_new("T", ("e", n)) for n in (2, 3, 4)] == [False, False, False]
    assert chains.stream_is_new("T", ("e", 5))  # not taken live: handed on from the stream
    assert not chains.live_fits("T", "e", 5)


def test_the_stream_hands_on_whatever_was_not_taken_live_in_any_order():
    chains = TradeChains()
    chains.stream_is_new("T", ("e", 1))
    chains.took_live("T", "e", 2, 1)
    assert chains.stream_is_new("T", ("e", 4))  # the stream holds 3 after 4 (a retried publish)
    assert not chains.stream_is_new("T", ("e", 2))
    assert chains.stream_is_new("T", ("e", 3))  # never taken live: handed on, not lost
    assert chains.live_fits("T", "e", 5)


def test_a_new_epoch_or_a_record_without_a_chain_resets_the_position():
    chains = TradeChains()
    chains.stream_is_new("T", ("old", 40))
    chains.took_live("T", "old", 41, 2)
    assert chains.stream_is_new("T", ("new", 1))  # a take-over: the new leader's first record
    assert not chains.stream_is_new("T", ("old", 41))  # the old leader's, already taken live
    assert chains.live_fits("T", "new", 2) and not chains.live_fits("T", "old", 43)
    assert chains.stream_is_new("T", None)  # a desk server without chains
    assert not chains.live_fits("T", "new", 2)
    chains.stream_is_new("U", ("e", 1))
    chains.forget("U")
    assert not chains.live_fits("U", "e", 2)


def test_a_malformed_live_message_is_refused_by_the_decoder():
    for bad in (b"", b"{", b'{"e": 1, "runs": []}', b'{"e": "x", "runs": [["T", "one", []]]}'):
        try:
            decode_live(bad)
        except (msgspec.DecodeError, msgspec.ValidationError):
            continue
        raise AssertionError(f"{bad!r} decoded")


def test_numbers_taken_live_are_kept_as_runs_and_the_stream_takes_them_off_one_by_one():
    taken = TakenNumbers()
    taken.add(2, 100_000)  # a desktop on the live path alone for a long day: one run
    taken.add(100_001, 100_010)
    assert taken.runs == [[2, 100_010]]
    assert taken.discard(2) and not taken.discard(2) and taken.runs == [[3, 100_010]]
    assert taken.discard(50) and taken.runs == [[3, 49], [51, 100_010]]  # out of order: split
    assert 50 not in taken and 49 in taken and not taken.discard(1)
    assert taken.discard(REORDER_REACH + 49) and taken.runs[0] == [3, 49]
    # a run further behind a number the stream shows can no longer be shown: forgotten
    assert taken.discard(REORDER_REACH + 50) and taken.runs[0] == [51, REORDER_REACH + 48]


def test_the_live_path_runs_no_further_ahead_of_the_stream_than_it_can_account_for():
    chains = TradeChains()
    chains.stream_is_new("T", ("e", 1))
    for n in range(2, 2 + 2 * MAX_RUNS, 2):  # taken live with holes between: a run each
        chains._at["T"] = ("e", n - 1)
        chains.took_live("T", "e", n, 1)
    assert not chains.live_fits("T", "e", 2 * MAX_RUNS + 1)  # the stream first
    assert not chains.stream_is_new("T", ("e", 2))
    assert chains.live_fits("T", "e", 2 * MAX_RUNS + 1)


def test_a_symbol_is_behind_while_it_owes_a_record_the_live_path_told_of():
    chains = TradeChains()
    chains.stream_is_new("T", ("e", 1))
    assert not chains.behind(frozenset({"T", "U"}), "e")
    chains.told("T", "e", 3, 1)  # a run from 2 to 3 left to the stream
    assert chains.behind(frozenset({"T"}), "e") and not chains.behind(frozenset({"U"}), "e")
    assert not chains.behind(frozenset({"T"}), "another term")
    chains.stream_is_new("T", ("e", 2))
    assert chains.behind(frozenset({"T"}), "e")
    chains.stream_is_new("T", ("e", 3))
    assert not chains.behind(frozenset({"T"}), "e")


def test_live_messages_are_counted_in_their_term_and_tell_what_goes_by_the_stream_only():
    numbers = ChainNumbers()
    numbers.number_ticks([tick("700.HK", 1)])
    runs, off = numbers.number_ticks(ticks("700.HK", 2, LIVE_CHUNK + 1))[1:]
    payloads = numbers.live_messages(runs, off, stored=41)
    gap = numbers.live_messages([], {"700=2EHK": numbers.number_gap("700.HK")}, stored=42)
    beat = decode_live(numbers.heartbeat(43))
    batches = [decode_live(p) for p in payloads + gap]
    assert [(b.c, b.s, [(r.first, r.last) for r in b.runs], b.o) for b in batches] == [
        (1, 41, [(2, LIVE_CHUNK + 1)], []),
        (2, 41, [(LIVE_CHUNK + 2, LIVE_CHUNK + 2)], []),
        (3, 42, [], [("700=2EHK", LIVE_CHUNK + 3)]),
    ]
    assert (beat.c, beat.s, beat.runs, beat.o) == (3, 43, [], [])  # the count of the last one
    numbers.new_term()
    assert decode_live(numbers.heartbeat(44)).c == 0


def test_the_live_path_alone_is_trusted_only_while_every_message_of_the_term_arrives():
    clock, resumed = FakeClock(), []
    sync = LiveSync(TradeChains(), silence=2.0, settle=5.0, clock=clock)
    sync.on_resume = resumed.append
    assert not sync.may_park(0)  # nothing heard yet
    sync.heard("a", 7, 10, 6, data=True)  # the first term heard: no wait, but a checkpoint
    assert not sync.may_park(100)  # (trouble at 7: everything up to it must be stored)
    sync.heard("a", 8, 12, 7, data=True)  # 7 is: its records are at or below 12
    assert not sync.may_park(11) and sync.may_park(12)
    sync.park(20)
    sync.heard("a", 9, 30, 8, data=True)
    sync.heard("a", 9, 35, 9, data=False)  # a heartbeat repeats the count
    assert sync.parked and sync.resume_after == 35 and resumed == []
    sync.heard("a", 11, 40, 9, data=True)  # 10 never arrived
    assert not sync.parked and resumed == [35]  # the stream from where everything was handed on
    sync.heard("a", 12, 50, 10, data=True)  # 10 not yet stored: what it held may not be read
    assert not sync.may_park(1000)
    sync.heard("a", 13, 55, 11, data=True)  # up to 11 stored, at or below 55
    assert not sync.may_park(54) and sync.may_park(55)
    sync.park(55)
    sync.heard("a", 14, 44, 11, data=False)  # a heartbeat after a lost message: its count is ahead
    assert resumed == [35, 55]
    sync.heard("a", 14, 60, 14, data=False)
    assert sync.may_park(60)
    sync.park(60)
    clock.now += 2.0
    sync.check_silence()  # nothing heard for two seconds
    assert resumed == [35, 55, 60]
    sync.heard("b", 1, 70, 1, data=True)  # a new term: not parked within settle
    sync.heard("b", 2, 71, 1, data=True)
    assert not sync.may_park(100)
    clock.now += 5.0
    sync.heard("b", 3, 72, 2, data=True)
    assert sync.may_park(100)
    sync.park(72)
    sync.heard("c", 1, 73, 0, data=True)
    assert resumed[-1] == 72 and not sync.parked


def test_at_a_checkpoint_what_the_stream_did_not_show_is_settled():
    chains = TradeChains()
    sync = LiveSync(chains, settle=0.0)
    chains.stream_is_new("T", ("a", 1))
    chains.took_live("T", "a", 2, 10)  # taken live while parked: 2 to 11 (2 to 5 stored early)
    chains.told("U", "a", 3, 4)  # U's 3 told at count 4, never stored (a repeat)
    sync.heard("a", 4, 0, 0, data=True)
    sync.park(50)
    sync.trouble()  # resumed from 50: 2-5 are at or below it, never shown again
    for n in range(6, 12):
        assert chains.seen_live("T", ("a", n))
    assert chains._unseen[("T", "a")].runs == [[2, 5]]
    assert chains.behind(frozenset({"U"}), "a")
    chains.took_live("T", "a", 12, 1)  # after the trouble: still owed by the stream
    sync.heard("a", 5, 60, 4, data=True)  # everything up to count 4 stored, at or below 60
    assert not sync.passed(59) and sync.passed(60)
    assert chains._unseen[("T", "a")].runs == [[12, 12]]
    assert not chains.behind(frozenset({"U"}), "a")


def test_a_checkpoint_of_one_term_forgets_nothing_of_another():
    chains = TradeChains()
    chains.stream_is_new("T", ("old", 1))
    chains.took_live("T", "old", 2, 4)  # 4 and 5 not stored yet: their leader lost its link
    chains.settle("new", 9, chains.positions())  # the new leader's k says nothing of them
    assert not chains.stream_is_new("T", ("old", 4)) and not chains.stream_is_new("T", ("old", 5))


def test_an_empty_live_run_of_a_watched_symbol_is_left_to_the_stream():
    numbers = ChainNumbers()
    follower, got = live_follower({"700=2EHK"})
    follower._chains.stream_is_new("700=2EHK", (numbers.epoch, 1))
    numbers.number_ticks([tick("700.HK", 1)])
    follower.take(numbers.heartbeat(0))
    follower.sync.trouble()
    follower.sync.park(0)
    empty = LiveBatch(numbers.epoch, [LiveRun("700=2EHK", 2, [], 2)], c=1)  # the desk sends none
    follower.take(encode(empty))
    assert (
        got == []
        and not follower.sync.parked
        and follower._chains.behind(frozenset({"700=2EHK"}), numbers.epoch)
    )


def test_a_term_two_back_is_forgotten_once_a_new_one_shows_on_the_stream():
    chains = TradeChains()
    chains.stream_is_new("T", ("a", 1))
    chains.took_live("T", "a", 2, 1)  # never stored: its leader died
    chains.stream_is_new("T", ("b", 1))
    chains.took_live("T", "b", 2, 1)
    assert ("T", "a") in chains._unseen  # a's retries may still land after b's first record
    chains.stream_is_new("T", ("c", 1))
    assert ("T", "a") not in chains._unseen and ("T", "b") in chains._unseen


def live_follower(watched: set[str]) -> tuple[LiveFollower, list]:
    got: list = []
    chains = TradeChains()
    follower = LiveFollower("hkdesk.t.live", chains, lambda: frozenset(watched), got.extend, LiveSync(chains))
    return follower, got


def test_a_live_run_whose_trades_are_not_its_symbols_is_refused():
    numbers = ChainNumbers()
    follower, got = live_follower({"700=2EHK", "5=2EHK"})
    follower._chains.stream_is_new("700=2EHK", (numbers.epoch, 1))
    numbers.number_ticks([tick("700.HK", 1)])
    runs = numbers.number_ticks([tick("700.HK", 2)]).runs
    runs[0].trades = [tick("5.HK", 2)]  # right place in 700.HK's chain, a 5.HK trade inside
    follower.take(numbers.live_messages(runs)[0])
    assert got == [] and follower.bad == 1
    runs = numbers.number_ticks([tick("700.HK", 3)]).runs
    follower.take(numbers.live_messages(runs)[0])  # not the next: 2 is still owed by the stream
    assert got == [] and follower.left == 1
    assert follower._chains.stream_is_new("700=2EHK", (numbers.epoch, 2))
    runs = numbers.number_ticks([tick("700.HK", 4)]).runs
    follower._chains.stream_is_new("700=2EHK", (numbers.epoch, 3))
    follower.take(numbers.live_messages(runs)[0])
    assert [t.seq for t in got] == [4] and follower.taken == 1


def test_runs_of_symbols_not_watched_are_passed_over_unread():
    numbers = ChainNumbers()
    follower, got = live_follower({"700=2EHK"})
    numbers.number_ticks([tick("5.HK", 1)])
    runs = numbers.number_ticks([tick("5.HK", 2)]).runs
    payload = numbers.live_messages(runs)[0].replace(b'"code":"5.HK"', b'"code":7')
    follower.take(payload)  # not decoded, so not refused either
    assert got == [] and follower.bad == 0 and follower.left == 0
