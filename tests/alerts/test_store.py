"""The alerts file: definitions, firing state and the log survive a restart; writes stay off the loop."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from decimal import Decimal as D

import pytest
from tapes import Tape, alert, at

from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.alerts.recorder import FiringRecorder
from hkdesk.alerts.schema import schema_version
from hkdesk.alerts.store import AlertStore
from hkdesk.store.errors import StoreError


@pytest.fixture
def store(tmp_path):
    s = AlertStore.in_folder(tmp_path)
    yield s
    s.close()


def test_definitions_round_trip_with_ids_and_exact_values(store, tmp_path) -> None:
    stored = store.add([alert("above", "400.20", id=0), alert("move", "2.5", minutes=5, repeat=10, id=0)])
    assert [a.id for a in stored] == [1, 2]
    reopened = AlertStore.in_folder(tmp_path)
    try:
        assert reopened.alerts() == stored
        assert str(reopened.alerts()[0].value) == "400.20"
    finally:
        reopened.close()


def test_every_definition_change_moves_the_revision(store) -> None:
    r0 = store.revision()
    (a,) = store.add([alert("below", "390", id=0)])
    r1 = store.revision()
    store.update(replace(a, paused=True))
    r2 = store.revision()
    assert store.alerts()[0].paused
    assert store.delete(a.id) and not store.delete(a.id)
    assert r0 < r1 < r2 < store.revision()
    with pytest.raises(KeyError):
        store.update(a)


def test_import_skips_rules_already_stored(store) -> None:
    rules = [alert("above", "400", id=0), alert("volume_surge", "3", minutes=5, id=0)]
    added, known = store.import_alerts(rules)
    assert (len(added), known) == (2, 0)
    added, known = store.import_alerts([*rules, alert("above", "401", id=0)])
    assert [a.value for a in added] == [D("401")] and known == 2
    assert len(store.alerts()) == 3


def test_firings_are_logged_and_their_state_survives_a_restart(store, tmp_path) -> None:
    (once, again) = store.add([alert("above", "400", id=0), alert("below", "390", repeat=30, id=0)])
    ev = AlertEvaluator(store.alerts())
    tape = Tape()
    fired = [*ev.evaluate([tape.trade(at(10, 0), "400.2")]), *ev.evaluate([tape.trade(at(10, 1), "389.8")])]
    store.record([(e, 1_772_416_800.5) for e in fired], "simulator")
    store.delete(again.id)
    store.record([(fired[1], 1_772_416_801.0)], "alltick")  # an alert deleted meanwhile is still logged

    log = store.log()
    assert [(e.alert_id, e.source, e.symbol, e.kind, e.price, e.ts) for e in log] == [
        (once.id, "simulator", "700.HK", "above", D("400.2"), at(10, 0)),
        (again.id, "simulator", "700.HK", "below", D("389.8"), at(10, 1)),
        (again.id, "alltick", "700.HK", "below", D("389.8"), at(10, 1)),
    ]
    assert log[0].condition == "price ≥ 400" and log[0].logged_at == 1_772_416_800.5
    assert [e.id for e in store.log(since=1_772_416_801.0)] == [log[2].id]

    reopened = AlertStore.in_folder(tmp_path)
    restarted = AlertEvaluator(reopened.alerts())
    reopened.close()
    assert restarted.alerts()[0].last_fired_ts == at(10, 0)
    assert restarted.evaluate([tape.trade(at(10, 2), "401")]) == ()  # the once-alert stays spent


def test_a_firing_time_never_moves_backwards(store) -> None:
    (a,) = store.add([alert("above", "400", repeat=1, id=0)])
    late = AlertEvaluator([a]).evaluate([Tape().trade(at(11, 0), "401")])[0]
    early = AlertEvaluator([a]).evaluate([Tape().trade(at(10, 0), "401")])[0]
    store.record([(late, 1.0), (early, 2.0)], "simulator")
    assert store.alerts()[0].last_fired_ts == at(11, 0)


def test_a_file_from_a_newer_hkdesk_is_refused(tmp_path) -> None:
    AlertStore.in_folder(tmp_path).close()
    with sqlite3.connect(tmp_path / "alerts.db") as conn:
        conn.execute(f"UPDATE {schema_version.name} SET version = 99")
    with pytest.raises(StoreError, match="schema version 99"):
        AlertStore.in_folder(tmp_path)


def test_the_recorder_never_blocks_and_retries_after_a_lock(tmp_path) -> None:
    store = AlertStore(tmp_path / "alerts.db", busy_timeout_ms=50)
    (a,) = store.add([alert("above", "400", repeat=1, id=0)])
    recorder = FiringRecorder(store, "simulator", clock=iter([1.0, 2.0, 3.0]).__next__)
    ev = AlertEvaluator([a])
    tape = Tape()
    first = ev.evaluate([tape.trade(at(10, 0), "400.2")])
    second = ev.evaluate([tape.trade(at(10, 1), "400.4")])
    locker = sqlite3.connect(tmp_path / "alerts.db", isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        assert recorder.record(first).result(timeout=10) == 0  # locked: kept for later
        assert recorder.pending == 1
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert recorder.record(second).result(timeout=10) == 2
    recorder.close()
    assert [(e.price, e.logged_at) for e in store.log()] == [(D("400.2"), 1.0), (D("400.4"), 2.0)]
    store.close()
