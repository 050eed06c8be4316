"""Shards, replace-lists and refused codes, as plain bookkeeping."""

from __future__ import annotations

from hkdesk.feed.subscriptions import ListTracker, Rejections, ShardMap


def test_fills_first_shard_first_and_reports_overflow():
    m = ShardMap(per_shard=3, shards=2)
    changed = m.assign(["A", "B"])
    assert changed == {0}
    assert m.shard(0) == ("A", "B") and m.shard(1) == ()
    changed = m.assign(["A", "B", "C", "D", "E", "F", "G", "H"])
    assert changed == {0, 1}
    assert m.shard(0) == ("A", "B", "C") and m.shard(1) == ("D", "E", "F")
    assert m.overflow == ("G", "H")


def test_assignment_is_stable():
    m = ShardMap(per_shard=3, shards=3)
    m.assign(["A", "B", "C", "D", "E"])
    before = {s: m.shard_of(s) for s in "ABCDE"}
    changed = m.assign(["A", "B", "C", "D", "E", "F"])
    assert changed == {1}
    assert {s: m.shard_of(s) for s in "ABCDE"} == before
    changed = m.assign(["A", "C", "D", "E", "F"])  # remove B: only shard 0 changes
    assert changed == {0}
    assert m.shard(1) == ("D", "E", "F")
    changed = m.assign(["A", "C", "D", "E", "F", "X"])  # X fills the freed slot
    assert changed == {0} and m.shard_of("X") == 0


def test_overflow_admitted_when_room_frees_up():
    m = ShardMap(per_shard=1, shards=1)
    m.assign(["A", "B"])
    assert m.overflow == ("B",)
    m.assign(["B"])
    assert m.shard(0) == ("B",) and m.overflow == ()


def test_refused_code_named_in_message_is_held_back_others_kept():
    rej = Rejections(retry_after=10.0)
    t = ListTracker(rej, set())
    sent = t.build(["A.HK", "BAD.HK", "C.HK"], now=0.0)
    assert sent == ("A.HK", "BAD.HK", "C.HK")
    r = t.refused(sent, 600, "code invalid: BAD.HK", now=0.0)
    assert r.culprits == ["BAD.HK"]
    assert t.build(["A.HK", "BAD.HK", "C.HK"], now=1.0) == ("A.HK", "C.HK")
    t.accepted(("A.HK", "C.HK"))
    # retried alone: the only probe next to the known good codes
    assert t.build(["A.HK", "BAD.HK", "C.HK"], now=10.0) == ("A.HK", "BAD.HK", "C.HK")
    r = t.refused(("A.HK", "BAD.HK", "C.HK"), 600, "code invalid", now=10.0)
    assert r.culprits == ["BAD.HK"]
    assert rej.blocked("BAD.HK", 10.0 + 19.0)  # second strike waits twice as long
    assert not rej.blocked("BAD.HK", 10.0 + 20.0)


def test_unnamed_refusal_finds_culprit_by_halving_without_dropping_good_codes():
    rej = Rejections(retry_after=10.0)
    t = ListTracker(rej, set())
    wanted = ["A", "B", "C", "D", "E", "F", "G", "BAD"]
    bad = {"BAD"}
    accepted: set[str] = set()
    for _ in range(10):
        sent = t.build(wanted, now=0.0)
        assert accepted <= set(sent), "a known good code was left out while probing"
        if bad & set(sent):
            r = t.refused(sent, 600, "code invalid", now=0.0)
            if r.culprits:
                assert r.culprits == ["BAD"]
                break
        else:
            t.accepted(sent)
            accepted |= set(sent)
    else:
        raise AssertionError("culprit not found")
    sent = t.build(wanted, now=1.0)
    assert sent == ("A", "B", "C", "D", "E", "F", "G")


def test_plan_level_holds_back_new_codes_keeps_rest():
    rej = Rejections(retry_after=10.0)
    t = ListTracker(rej, set())
    t.accepted(("A", "B"))
    r = t.refused(("A", "B", "C", "D"), 603, "token level not enough", now=0.0)
    assert sorted(r.culprits) == ["C", "D"]
    assert t.build(["A", "B", "C", "D"], now=1.0) == ("A", "B")


def test_forgetting_a_removed_symbol_gives_it_a_fresh_try():
    rej = Rejections(retry_after=10.0)
    rej.reject("X", now=0.0)
    rej.keep_only(["Y"])
    assert not rej.blocked("X", 1.0)
    assert rej.next_retry(1.0) is None
