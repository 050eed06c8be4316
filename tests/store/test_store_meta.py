"""A database holds one source's data; parked data is only replayed into its own database."""

from __future__ import annotations

import pytest
from storekit import ticks

from hkdesk.store import BatchWriter, make_engine
from hkdesk.store.meta import ForeignDatabase, claim_source, database_source
from hkdesk.store.spill_keeper import LABEL, default_spill_dir, stray_spills


def test_the_first_source_stamps_the_database_and_another_is_refused(db_url) -> None:
    engine = make_engine(db_url)
    try:
        claim_source(engine, "simulator")
        claim_source(engine, "simulator")
        assert database_source(engine) == "simulator"
        with pytest.raises(ForeignDatabase, match="holds simulator data; alltick data is kept apart"):
            claim_source(engine, "alltick")
        assert database_source(engine) == "simulator"
    finally:
        engine.dispose()


def test_spill_folders_are_per_database_and_strays_are_reported(tmp_path) -> None:
    root = tmp_path / "spill"
    a, b = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    folder_a, folder_b = default_spill_dir(a, root), default_spill_dir(b, root)
    assert folder_a != folder_b and folder_a.parent == root == folder_b.parent
    writer = BatchWriter(a, spill_dir=folder_a)
    writer._keeper.park([("t", ticks(0, 25), 25)], then=lambda: None)
    writer._keeper.close()
    writer.engine.dispose()
    assert (folder_a / LABEL).read_text(encoding="utf-8").strip() == a
    assert stray_spills(root, folder_b) == [(a, 25)], "waiting for a.db, reported while b.db is in use"
    assert stray_spills(root, folder_a) == []
