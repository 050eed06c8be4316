"""The watch lists' one owner: every change is saved and announced; refused changes say why."""

from __future__ import annotations

import json

import pytest

from hkdesk.app.watchlists import WatchlistService
from hkdesk.watchlist_file import COMMAND_LINE, DEFAULT_LISTS, WatchlistStore


@pytest.fixture
def service(tmp_path, qapp) -> WatchlistService:
    return WatchlistService(WatchlistStore(tmp_path))


def saved(tmp_path) -> dict:
    return json.loads((tmp_path / "watchlists.json").read_text(encoding="utf-8"))


def test_each_change_is_saved_and_announced_once(service, tmp_path) -> None:
    seen: list[list[str]] = []
    service.changed.connect(lambda: seen.append(service.symbols()))
    first = service.symbols()
    assert service.add("175.HK") and not service.add("175.HK")
    assert service.symbols() == [*first, "175.HK"]
    assert saved(tmp_path)["lists"][service.current][-1] == "175.HK"
    assert service.move("175.HK", 0) and service.symbols()[0] == "175.HK"
    assert service.remove("175.HK") and not service.remove("175.HK")
    assert service.symbols() == first
    assert len(seen) == 3, "add, move and remove: one signal each; refusals none"
    copy = service.symbols()
    copy.append("1.HK")
    assert "1.HK" not in service.symbols()[-1:], "callers get copies, never the list itself"


def test_lists_are_created_renamed_switched_and_deleted(service, tmp_path) -> None:
    assert service.create("Banks") is None
    assert service.current == "Banks" and service.symbols() == []
    assert service.create("banks ") is not None, "names differing only in case are the same name"
    assert "already" in (service.rename("Tech") or "")
    assert service.rename("My banks") is None and service.current == "My banks"
    assert service.names().index("My banks") == len(DEFAULT_LISTS)
    assert service.switch("Tech") and service.current == "Tech"
    assert not service.switch("no such list")
    assert saved(tmp_path)["current"] == "Tech"
    assert service.delete() is None and service.current == next(iter(DEFAULT_LISTS))
    assert "Tech" not in saved(tmp_path)["lists"]


def test_names_that_cannot_be_used_are_refused_with_a_reason(service) -> None:
    before = service.names()
    assert service.create("   ")
    assert service.create("x" * 61)
    assert service.names() == before


def test_the_last_list_cannot_be_deleted(service) -> None:
    while len(service.names()) > 1:
        assert service.delete() is None
    assert "last" in (service.delete() or "")
    assert len(service.names()) == 1


def test_the_command_line_list_is_shown_but_never_saved(tmp_path, qapp) -> None:
    service = WatchlistService(WatchlistStore(tmp_path), ["700.HK", "5.HK"])
    assert service.current == COMMAND_LINE and service.symbols() == ["700.HK", "5.HK"]
    service.add("9988.HK")
    assert COMMAND_LINE not in saved(tmp_path)["lists"]
