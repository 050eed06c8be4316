"""The committed icon set: every size the platforms need, rendered from the one SVG."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def load_make_icons():
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging" / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def make_icons(qapp):
    return load_make_icons()


@pytest.mark.parametrize("size", HICOLOR_SIZES)
def test_png_of_each_linux_size(make_icons, size: int) -> None:
    assert make_icons.png_size((ICONS / f"hkdesk-{size}.png").read_bytes()) == (size, size)


def test_ico_holds_the_windows_sizes(make_icons) -> None:
    images = make_icons.read_ico((ICONS / "hkdesk.ico").read_bytes())
    assert sorted(images) == [16, 24, 32, 48, 64, 128, 256]
    assert all(make_icons.png_size(png) == (size, size) for size, png in images.items())


def test_icns_holds_the_macos_sizes(make_icons) -> None:
    images = make_icons.read_icns((ICONS / "hkdesk.icns").read_bytes())
    sizes = {kind: make_icons.png_size(png)[0] for kind, png in images.items()}
    assert sizes == {
        b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256, b"ic09": 512, b"ic10": 1024,
    }  # fmt: skip


def test_committed_icons_match_the_svg(make_icons) -> None:
    assert make_icons.check_icons(ICONS / "hkdesk.svg", ICONS) == []


def test_an_edited_svg_without_new_icons_fails_the_check(make_icons, tmp_path: Path) -> None:
    svg = (ICONS / "hkdesk.svg").read_text(encoding="utf-8")
    assert "#f0454f" in svg
    edited = tmp_path / "hkdesk.svg"
    edited.write_text(svg.replace("#f0454f", "#f0a54f"), encoding="utf-8")  # the red candle turns orange
    problems = make_icons.check_icons(edited, ICONS)
    assert any("hkdesk-16.png" in p for p in problems)
    assert any("hkdesk.icns[ic10]" in p for p in problems)


def test_a_missing_size_fails_the_check(make_icons, tmp_path: Path) -> None:
    shutil.copytree(ICONS, tmp_path / "icons")
    (tmp_path / "icons" / "hkdesk-22.png").unlink()
    assert make_icons.check_icons(ICONS / "hkdesk.svg", tmp_path / "icons") == ["hkdesk-22.png: missing"]
