"""Choosing the UI language from the setting and the system locale, naming languages and stocks (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hkdesk.domain.symbols import default_universe
from hkdesk.i18n import LANGUAGE_NAMES, LANGUAGES, chinese_name, language_label, resolve_language


@pytest.mark.parametrize(
    ("setting", "system", "expected"),
    [
        ("en", "zh_HK_Hant", "en"),
        ("zh_HK", "en_GB_Latn", "zh_HK"),
        ("zh_CN", "zh_HK_Hant", "zh_CN"),
        ("", "zh_HK_Hant", "zh_HK"),
        ("", "zh_TW_Hant", "zh_HK"),
        ("", "zh_MO", "zh_HK"),
        ("", "zh-Hant", "zh_HK"),
        ("", "zh_CN_Hans", "zh_CN"),
        ("", "zh_SG_Hans", "zh_CN"),
        ("", "zh_SG", "zh_CN"),
        ("", "zh-Hans", "zh_CN"),
        ("", "zh", "zh_CN"),
        ("", "zh_HK_Hans", "zh_CN"),  # the script wins over the place
        ("", "en_US_Latn", "en"),
        ("", "C", "en"),
        ("fr", "fr_FR_Latn", "en"),
    ],
)
def test_resolve_language(setting: str, system: str, expected: str) -> None:
    assert resolve_language(setting, system) == expected


def test_every_language_is_named_in_its_own_script_with_the_english_name_beside_it() -> None:
    assert set(LANGUAGES) == {"", *LANGUAGE_NAMES}
    assert language_label("en") == "English"
    assert language_label("zh_HK") == "繁體中文（香港） — Traditional Chinese (Hong Kong)"
    assert language_label("zh_CN") == "简体中文 — Simplified Chinese"


@dataclass(frozen=True)
class Named:
    name_zh: str
    name_zh_hans: str = ""


def test_simplified_names_in_the_simplified_interface_when_known() -> None:
    both = Named("騰訊控股", "腾讯控股")
    assert chinese_name(both, "zh_CN") == "腾讯控股"
    assert chinese_name(both, "zh_HK") == "騰訊控股"
    assert chinese_name(both, "en") == "騰訊控股"
    assert chinese_name(Named("騰訊控股"), "zh_CN") == "騰訊控股", "no simplified name: the traditional one"


def test_the_shipped_symbols_give_a_chinese_name_in_every_language() -> None:
    tencent = default_universe()["700.HK"]
    for language in LANGUAGE_NAMES:
        assert chinese_name(tencent, language) in ("騰訊控股", "腾讯控股")
