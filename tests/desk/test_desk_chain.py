"""The symbol chains and the live path's wire, without a server: numbering, runs, merging."""

from __future__ import annotations

import msgspec
from deskkit import tick, ticks

from hkdesk.desk.chain import LIVE_CHUNK, ChainNumbers, parse_chain
from hkdesk.desk.codec import decode_live, decode_ticks
from hkdesk.desk.live import MAX_AHEAD, LiveFollower, TradeChains


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
    assert numbers.number_ticks(first) == ([1, 2, 3], [])  # nobody can take a run from 1 live
    again = [tick("700.HK", 4), tick("5.HK", 1), tick("700.HK", 5), first[2], tick("700.HK", 6)]
    chain, runs = numbers.number_ticks(again)
    assert chain == [4, 1, 5, 6, 7]
    got = [(run.token, run.first, [t.seq for t in run.trades]) for run in runs]
    # 700.HK's re-sent trade (seq 3) goes to the stream only, and nothing of 700.HK after it in
    # this batch goes live (a desktop has it only once the stream brings it, after this batch)
    assert got == [("700=2EHK", 4, [4, 5])]
    _, runs = numbers.number_ticks([tick("700.HK", 7), tick("5.HK", 2)])
    assert [(run.token, run.first, [t.seq for t in run.trades]) for run in runs] == [
        ("700=2EHK", 8, [7]),
        ("5=2EHK", 2, [2]),
    ]


def test_live_messages_are_cut_at_the_chunk_size_with_the_numbers_carried_on():
    numbers = ChainNumbers()
    numbers.number_ticks([tick("700.HK", 0), tick("5.HK", 0)])
    many = ticks("700.HK", 1, LIVE_CHUNK + 100) + ticks("5.HK", 1, LIVE_CHUNK)
    _, runs = numbers.number_ticks(many)
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


def test_the_live_path_runs_no_further_ahead_of_the_stream_than_it_can_account_for():
    chains = TradeChains()
    chains.stream_is_new("T", ("e", 1))
    chains.took_live("T", "e", 2, MAX_AHEAD)  # the stream away (a cluster electing its leader)
    assert not chains.live_fits("T", "e", MAX_AHEAD + 2)  # the stream first, however long it takes
    assert not chains.stream_is_new("T", ("e", 2))
    assert chains.live_fits("T", "e", MAX_AHEAD + 2)
    assert [chains.stream_is_new("T", ("e", n)) for n in range(3, MAX_AHEAD + 2)] == [False] * (MAX_AHEAD - 1)


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
    follower = LiveFollower("hkdesk.t.live", TradeChains(), lambda: frozenset(watched), got.extend)
    return follower, got


def test_a_live_run_whose_trades_are_not_its_symbols_is_refused():
    numbers = ChainNumbers()
    follower, got = live_follower({"700=2EHK", "5=2EHK"})
    follower._chains.stream_is_new("700=2EHK", (numbers.epoch, 1))
    numbers.number_ticks([tick("700.HK", 1)])
    _, runs = numbers.number_ticks([tick("700.HK", 2)])
    runs[0].trades = [tick("5.HK", 2)]  # right place in 700.HK's chain, a 5.HK trade inside
    follower.take(numbers.live_messages(runs)[0])
    assert got == [] and follower.bad == 1
    _, runs = numbers.number_ticks([tick("700.HK", 3)])
    follower.take(numbers.live_messages(runs)[0])  # not the next: 2 is still owed by the stream
    assert got == [] and follower.left == 1
    assert follower._chains.stream_is_new("700=2EHK", (numbers.epoch, 2))
    _, runs = numbers.number_ticks([tick("700.HK", 4)])
    follower._chains.stream_is_new("700=2EHK", (numbers.epoch, 3))
    follower.take(numbers.live_messages(runs)[0])
    assert [t.seq for t in got] == [4] and follower.taken == 1


def test_runs_of_symbols_not_watched_are_passed_over_unread():
    numbers = ChainNumbers()
    follower, got = live_follower({"700=2EHK"})
    numbers.number_ticks([tick("5.HK", 1)])
    _, runs = numbers.number_ticks([tick("5.HK", 2)])
    payload = numbers.live_messages(runs)[0].replace(b'"code":"5.HK"', b'"code":7')
    follower.take(payload)  # not decoded, so not refused either
    assert got == [] and follower.bad == 0 and follower.left == 0
