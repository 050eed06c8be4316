"""pyproject's package-data ships every resource the app loads at run time."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"


def shipped(relative: str) -> bool:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert config["package-dir"]["hkdesk.resources"] == "resources"
    return any(fnmatch.fnmatch(relative, pattern) for pattern in config["package-data"]["hkdesk.resources"])


def test_icons_are_shipped() -> None:
    icons = sorted(p.relative_to(RESOURCES).as_posix() for p in (RESOURCES / "icons").iterdir())
    assert "icons/hkdesk.ico" in icons and "icons/hkdesk-512.png" in icons
    assert [name for name in icons if not shipped(name)] == []


def test_themes_and_symbols_are_shipped() -> None:
    assert all(shipped(name) for name in ("dark.qss", "light.qss", "hk-symbols.csv"))


def test_compiled_translations_are_shipped_and_sources_are_not() -> None:
    assert shipped("translations/hkdesk_zh_HK.qm")
    assert not shipped("translations/hkdesk_zh_HK.ts")


def test_the_chinese_font_and_its_licence_are_shipped() -> None:
    assert shipped("fonts/hkdesk-sans-hk.otf") and shipped("fonts/OFL.txt")


def test_the_spec_bundles_compiled_translations_and_the_font() -> None:
    spec = (ROOT / "packaging" / "hkdesk.spec").read_text(encoding="utf-8")
    assert '".qm"' in spec and '".ts"' not in spec
    assert '".otf"' in spec and '".txt"' in spec
