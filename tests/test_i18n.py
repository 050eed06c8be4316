"""Choosing the UI language from the setting and the system locale (no Qt)."""

from __future__ import annotations

import pytest

from hkdesk.i18n import resolve_language


@pytest.mark.parametrize(
    ("setting", "system", "expected"),
    [
        ("en", "zh_HK_Hant", "en"),
        ("zh_HK", "en_GB_Latn", "zh_HK"),
        ("", "zh_HK_Hant", "zh_HK"),
        ("", "zh_TW_Hant", "zh_HK"),
        ("", "zh_MO", "zh_HK"),
        ("", "zh-Hant", "zh_HK"),
        ("", "zh_CN_Hans", "en"),
        ("", "en_US_Latn", "en"),
        ("", "C", "en"),
        ("fr", "fr_FR_Latn", "en"),
    ],
)
def test_resolve_language(setting: str, system: str, expected: str) -> None:
    assert resolve_language(setting, system) == expected
