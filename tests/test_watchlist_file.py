"""Watchlist files: saved, validated on load, a corrupt one set aside."""

from __future__ import annotations

import json

from hkdesk.watchlist_file import DEFAULT_LISTS, Watchlists, WatchlistStore


def test_watchlists_round_trip_and_validate(tmp_path) -> None:
    store = WatchlistStore(tmp_path)
    wl = store.load()
    assert wl.lists == DEFAULT_LISTS
    wl.lists["Mine"] = ["700.HK", "5.HK"]
    wl.current = "Mine"
    store.save(wl)
    again = WatchlistStore(tmp_path).load()
    assert again.current == "Mine" and again.symbols() == ["700.HK", "5.HK"]
    raw = json.loads((tmp_path / "watchlists.json").read_text(encoding="utf-8"))
    raw["lists"]["Mine"] = ["00700", "0700.HK", "not a code", 5]
    (tmp_path / "watchlists.json").write_text(json.dumps(raw), encoding="utf-8")
    assert WatchlistStore(tmp_path).load().lists["Mine"] == ["700.HK"]


def test_corrupt_watchlists_fall_back_to_defaults_and_keep_the_file(tmp_path) -> None:
    (tmp_path / "watchlists.json").write_text("{not json", encoding="utf-8")
    store = WatchlistStore(tmp_path)
    wl = store.load()
    assert isinstance(wl, Watchlists) and wl.lists == DEFAULT_LISTS
    assert store.problem and "default" in store.problem
    assert (tmp_path / "watchlists.json.bad").read_text(encoding="utf-8") == "{not json"


def test_command_line_list_is_not_saved(tmp_path) -> None:
    store = WatchlistStore(tmp_path)
    wl = store.load(["700.HK"])
    assert wl.current == "Command line" and wl.symbols() == ["700.HK"]
    store.save(wl)
    assert (
        "Command line" not in json.loads((tmp_path / "watchlists.json").read_text(encoding="utf-8"))["lists"]
    )
