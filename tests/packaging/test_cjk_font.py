"""The bundled Chinese font: current with the app's texts, Hong Kong forms, shipped, within budget."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from hkdesk.ui.fonts import BUNDLED_FAMILY, BUNDLED_FONT

ROOT = Path(__file__).resolve().parents[2]
FONT = ROOT / "resources" / BUNDLED_FONT
#: Characters whose Noto Sans CJK glyph differs by region, with the glyph (CID) of the Hong Kong
#: face and of the Japanese one. The test with the source font below confirms these.
REGIONAL_FORMS = {
    "香": ("cid44702", "cid44700"),
    "騰": ("cid44955", "cid44954"),
    "港": ("cid62467", "cid23795"),
    "說": ("cid37888", "cid37887"),
}
#: Regional forms in which the Hong Kong face differs from the Taiwan (TC) one: CID of each.
HK_NOT_TC = {"香": ("cid44702", "cid44701"), "體": ("cid45255", "cid45257"), "骨": ("cid45132", "cid45134")}


def load_script():
    spec = importlib.util.spec_from_file_location("make_cjk_font", ROOT / "packaging" / "make_cjk_font.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    return load_script()


def glyph_of(font: TTFont, ch: str) -> str:
    return font.getBestCmap()[ord(ch)]


def test_committed_font_covers_the_app_and_the_broad_set(script) -> None:
    assert script.check_font(FONT, None) == []


def test_the_app_characters_include_names_translations_and_code(script) -> None:
    chars = {chr(c) for c in script.app_characters()}
    assert set("騰訊控股") <= chars  # the symbol list
    assert set("設定") <= chars  # a translation
    assert set("繁體中文（香港）") <= chars  # the language list, in the code
    assert set("恒生指數") <= chars  # index names, in the code


def test_simplified_and_hkscs_characters_are_covered(script) -> None:
    cmap = script.font_characters(FONT.read_bytes())
    assert all(ord(ch) in cmap for ch in "腾讯控股汇丰银行国际")  # GB2312 (simplified)
    assert all(ord(ch) in cmap for ch in "滙峯")  # Big5 level 2 / HKSCS, common in HK names
    assert len(cmap) > 20_000


def test_a_new_character_in_the_texts_fails_the_check(script, tmp_path: Path) -> None:
    rare = "\u9fd0"  # a CJK ideograph outside Big5, HKSCS and GB2312
    assert ord(rare) not in script.font_characters(FONT.read_bytes())
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "hk-symbols.csv").write_text(
        f"code,name_en,name_zh\n00700,TENCENT,騰訊{rare}\n", encoding="utf-8"
    )
    problems = script.check_font(FONT, None, root=tmp_path)
    assert len(problems) == 1 and "lacks characters the app shows" in problems[0] and rare in problems[0]


def test_a_missing_font_fails_the_check(script, tmp_path: Path) -> None:
    assert script.check_font(tmp_path / "none.otf", None) == ["none.otf: missing"]


def test_glyphs_are_the_hong_kong_forms() -> None:
    font = TTFont(FONT, lazy=True)
    for ch, (hong_kong, _) in {**REGIONAL_FORMS, **HK_NOT_TC}.items():
        assert glyph_of(font, ch) == hong_kong, ch


def test_the_font_is_renamed_and_licensed() -> None:
    names = TTFont(FONT, lazy=True)["name"]
    assert names.getDebugName(1) == BUNDLED_FAMILY == load_script().FAMILY
    assert "SIL Open Font License" in names.getDebugName(13)
    licence = (FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Copyright 2014-2021 Adobe" in licence


def test_the_font_stays_within_its_size_budget() -> None:
    assert FONT.stat().st_size + (FONT.parent / "OFL.txt").stat().st_size < 10 * 1024 * 1024


def source_or_skip(script) -> Path:
    source = script.default_source()
    if source is None or not source.is_file():
        pytest.skip(
            f"no Noto Sans CJK source ({script.DEFAULT_SOURCE}; set HKDESK_CJK_SOURCE): "
            "apt-get download fonts-noto-cjk && dpkg-deb -x it"
        )
    return source


def test_committed_font_is_a_fresh_subset_of_the_source(script) -> None:
    """About 20 s; runs where the source collection is (see the skip reason)."""
    assert script.check_font(FONT, source_or_skip(script)) == []


def test_regional_forms_match_the_source_faces(script) -> None:
    source = source_or_skip(script)
    faces = {}
    for index in range(10):
        face = TTFont(source, fontNumber=index, lazy=True)
        faces[face["name"].getDebugName(1)] = face
    for ch, (hong_kong, japanese) in REGIONAL_FORMS.items():
        assert glyph_of(faces["Noto Sans CJK HK"], ch) == hong_kong
        assert glyph_of(faces["Noto Sans CJK JP"], ch) == japanese
    for ch, (hong_kong, taiwan) in HK_NOT_TC.items():
        assert (glyph_of(faces["Noto Sans CJK HK"], ch), glyph_of(faces["Noto Sans CJK TC"], ch)) == (
            hong_kong,
            taiwan,
        )
