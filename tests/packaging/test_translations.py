"""The committed translations are complete and compiled from their current sources."""

from __future__ import annotations

import importlib.util
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
TS = TRANSLATIONS / "hkdesk_zh_HK.ts"


def load_tool():
    spec = importlib.util.spec_from_file_location(
        "update_translations", ROOT / "packaging" / "update_translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        module.tool("lrelease")
    except SystemExit as exc:
        pytest.skip(str(exc))
    return module


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            out[(name, message.findtext("source"))] = message.find("translation")
    return out


def test_every_text_is_translated() -> None:
    found = messages(TS)
    assert len(found) > 90
    unfinished = [
        key for key, tr in found.items() if tr.get("type") is not None or not (tr.text or "").strip()
    ]
    assert unfinished == []


def test_the_ts_holds_exactly_the_texts_of_the_source(tmp_path: Path) -> None:
    tool = load_tool()
    fresh = tmp_path / TS.name
    shutil.copy(TS, fresh)
    tool.lupdate(fresh)
    assert sorted(messages(fresh)) == sorted(messages(TS)), "run python packaging/update_translations.py"


def test_the_qm_is_compiled_from_the_current_ts(tmp_path: Path) -> None:
    tool = load_tool()
    tool.lrelease(TS, tmp_path / "fresh.qm")
    assert (tmp_path / "fresh.qm").read_bytes() == TS.with_suffix(".qm").read_bytes(), (
        "run python packaging/update_translations.py"
    )


def test_placeholders_survive_translation() -> None:
    for (_, source), tr in messages(TS).items():
        for field in (
            "{value}",
            "{ms}",
            "{rate}",
            "{queue}",
            "{stored}",
            "{token}",
            "{source}",
            "{detail}",
            "{env}",
        ):
            assert (field in source) == (field in (tr.text or "")), (source, tr.text)
