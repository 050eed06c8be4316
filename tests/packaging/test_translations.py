"""The committed translations (every language but English) are complete and compiled from their
current sources."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hkdesk.i18n import ENGLISH, LANGUAGE_NAMES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
ALL_TS = [TRANSLATIONS / f"hkdesk_{language}.ts" for language in LANGUAGE_NAMES if language != ENGLISH]
each_ts = pytest.mark.parametrize("ts", ALL_TS, ids=lambda p: p.stem)


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


@each_ts
def test_every_text_is_translated(ts: Path) -> None:
    found = messages(ts)
    assert len(found) > 150
    unfinished = [
        key for key, tr in found.items() if tr.get("type") is not None or not (tr.text or "").strip()
    ]
    assert unfinished == []


@each_ts
def test_the_ts_holds_exactly_the_texts_of_the_source(ts: Path, tmp_path: Path) -> None:
    tool = load_tool()
    fresh = tmp_path / ts.name
    shutil.copy(ts, fresh)
    tool.lupdate(fresh)
    assert sorted(messages(fresh)) == sorted(messages(ts)), "run python packaging/update_translations.py"


@each_ts
def test_the_qm_is_compiled_from_the_current_ts(ts: Path, tmp_path: Path) -> None:
    tool = load_tool()
    tool.lrelease(ts, tmp_path / "fresh.qm")
    assert (tmp_path / "fresh.qm").read_bytes() == ts.with_suffix(".qm").read_bytes(), (
        "run python packaging/update_translations.py"
    )


@each_ts
def test_placeholders_survive_translation(ts: Path) -> None:
    for (_, source), tr in messages(ts).items():
        fields = sorted(re.findall(r"\{\w+\}", source))
        assert sorted(re.findall(r"\{\w+\}", tr.text or "")) == fields, (source, tr.text)
        mnemonic = re.compile(r"&\w")
        assert len(mnemonic.findall(source)) == len(mnemonic.findall(tr.text or "")), (source, tr.text)


@each_ts
def test_translations_are_in_the_script_of_their_language(ts: Path) -> None:
    """Simplified and traditional forms of the same characters never leak into each other."""
    traditional_only = "們說資線數據設計檢視關價買賣現儲錄連進運時"
    simplified_only = "们说资线数据设计检视关价买卖现储录连进运时"
    wrong = simplified_only if "zh_HK" in ts.stem else traditional_only
    mixed = [tr.text for tr in messages(ts).values() if set(tr.text or "") & set(wrong)]
    assert mixed == []


def test_the_fill_files_hold_only_texts_the_sources_have() -> None:
    """packaging/translations/*.json refill a .ts after a merge; a stale entry would fill nothing."""
    for extra in (ROOT / "packaging" / "translations").glob("*.json"):
        known = messages(TRANSLATIONS / f"hkdesk_{extra.stem}.ts")
        for context, texts in json.loads(extra.read_text(encoding="utf-8")).items():
            for source, text in texts.items():
                assert (context, source) in known, (extra.name, context, source)
                assert known[(context, source)].text == text, (extra.name, context, source)


def test_a_merge_that_lost_texts_gets_them_back_from_the_fill_files(tmp_path: Path) -> None:
    tool = load_tool()
    ts = tmp_path / "hkdesk_zh_CN.ts"
    shutil.copy(TRANSLATIONS / ts.name, ts)
    lost = 0
    tree = ET.parse(ts)
    for tr in tree.getroot().iter("translation"):
        tr.text, lost = "", lost + 1
        tr.set("type", "unfinished")
    tree.write(ts, encoding="utf-8")
    fills = json.loads((ROOT / "packaging" / "translations" / "zh_CN.json").read_text(encoding="utf-8"))
    assert tool.fill(ts, fills) == lost
    assert messages(ts).keys() == messages(TRANSLATIONS / ts.name).keys()
    assert all(tr.text == messages(TRANSLATIONS / ts.name)[key].text for key, tr in messages(ts).items())
