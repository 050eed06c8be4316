"""Chinese is drawn with real glyphs, in the Hong Kong forms, whatever fonts the machine has.

Each scenario runs the app's font set-up in a child process whose fontconfig sees only the
fonts the test gives it, so a machine that has (or lacks) CJK fonts of its own changes nothing:
a Latin-only machine (the issue's fresh desktop), one with a Japanese CJK face that Qt's
fallback would pick, and one with an installed Hong Kong face that must be used instead of the
bundled font. The faces are copies of the bundled font under other names (fontTools).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from hkdesk.domain.symbols import default_universe
from hkdesk.ui.fonts import shown_text

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "resources" / "fonts" / "hkdesk-sans-hk.otf"

#: Run in the child: the app's set-up on a fresh QApplication, reported as JSON.
CHILD = r"""
import json, sys
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication
from hkdesk.domain.symbols import default_universe
from hkdesk.ui import fonts

app = QApplication(sys.argv[:1])
SAMPLE = "騰訊控股名稱"

def picture(ch):
    image = QImage(48, 48, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(app.font())
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, ch)
    painter.end()
    return bytes(image.constBits())

def report():
    pictures = [picture(ch) for ch in SAMPLE]
    return {
        "boxes": fonts.undrawable(SAMPLE, app.font()),
        "runs": [[raw.familyName(), glyphs] for raw, glyphs in fonts.glyph_runs(SAMPLE, app.font())],
        "distinct_pictures": len(set(pictures)),
        "inked": all(min(p) < 128 for p in pictures),
    }

before = report()
chosen = fonts.setup_chinese_font(app, fonts.shown_text(default_universe().values()))
after = report()
shown = fonts.shown_text(default_universe().values())
after["boxes_in_shown_text"] = fonts.undrawable(shown, app.font())
chosen = [chosen.family, chosen.bundled] if chosen else None
print(json.dumps({"before": before, "after": after, "chosen": chosen, "families": app.font().families()}))
"""


#: Run in the child: the whole app, in Chinese, for a second; then what its font draws.
APP_CHILD = r"""
import faulthandler, json, sys
faulthandler.dump_traceback_later(80, exit=True)  # a hang says where, instead of timing out silently
from PySide6.QtWidgets import QApplication
from hkdesk.cli import main
from hkdesk.ui import fonts

code = main(["--quit-after", "1", "--config-dir", "config", "--db", "sqlite:///ticks.db"])
app = QApplication.instance()
print(json.dumps({"code": code, "boxes": fonts.undrawable("騰訊控股名稱繁體中文（香港）", app.font()),
                  "families": app.font().families()}))
"""


def renamed_copy(family: str, out: Path, unicodes: list[int] | None = None) -> Path:
    """The bundled font under another family name, cut to ``unicodes`` when given."""
    font = TTFont(BUNDLED)
    if unicodes is not None:
        subsetter = subset.Subsetter(subset.Options())
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
    name = font["name"]
    postscript = family.replace(" ", "") + "-Regular"
    for name_id, value in ((1, family), (3, postscript), (4, family), (6, postscript)):
        name.setName(value, name_id, 3, 1, 0x409)
    font["CFF "].cff.fontNames = [postscript]
    buffer = io.BytesIO()
    font.save(buffer)
    out.write_bytes(buffer.getvalue())
    return out


@pytest.fixture(scope="module")
def font_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("faces")
    latin = list(range(0x20, 0x7F))
    cjk = latin + [ord(ch) for ch in shown_text(default_universe().values())]
    return {
        "latin": renamed_copy("Test Latin", folder / "latin.otf", latin),
        "japanese": renamed_copy("Test Sans CJK JP", folder / "jp.otf", cjk),
        "hong_kong": renamed_copy("Test Sans CJK HK", folder / "hk.otf", cjk),
    }


def run_with_fonts(
    tmp_path: Path, files: list[Path], ui_family: str = "Test Latin", child: str = CHILD
) -> dict:
    """What ``child`` prints on a machine whose only fonts are ``files``, with ``ui_family`` as UI font."""
    fonts_dir = tmp_path / "fonts"
    fonts_dir.mkdir()
    for path in files:
        (fonts_dir / path.name).write_bytes(path.read_bytes())
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{fonts_dir}</dir>\n  <cachedir>{tmp_path / 'cache'}</cachedir>\n"
        + "".join(
            f"  <alias><family>{alias}</family><prefer><family>{ui_family}</family></prefer></alias>\n"
            for alias in ("sans-serif", "Sans Serif")
        )
        + "</fontconfig>\n",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", child], env=env, capture_output=True, text=True, timeout=100, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def han_families(report: dict) -> set[str]:
    """The families of the runs that draw the sample's Han characters (Latin runs left out)."""
    return {family for family, glyphs in report["runs"] if glyphs}


def test_without_a_cjk_font_the_check_sees_boxes_and_the_bundled_font_fixes_them(tmp_path, font_files):
    report = run_with_fonts(tmp_path, [font_files["latin"]])
    before, after = report["before"], report["after"]
    assert before["boxes"] == "騰訊控股名稱"
    assert before["distinct_pictures"] == 1  # six identical empty boxes
    assert report["chosen"] == ["hkdesk Sans HK", True]
    assert report["families"] == ["Test Latin", "hkdesk Sans HK"]
    assert after["boxes"] == "" and after["boxes_in_shown_text"] == ""
    assert han_families(after) == {"hkdesk Sans HK"}
    assert all(0 not in glyphs for _, glyphs in after["runs"])
    assert after["distinct_pictures"] == 6 and after["inked"]


def test_a_japanese_system_face_does_not_draw_the_han_characters(tmp_path, font_files):
    report = run_with_fonts(tmp_path, [font_files["latin"], font_files["japanese"]])
    assert han_families(report["before"]) == {"Test Sans CJK JP"}  # what Qt alone would use
    assert report["chosen"] == ["hkdesk Sans HK", True]
    assert han_families(report["after"]) == {"hkdesk Sans HK"}
    assert report["after"]["boxes"] == ""


def test_an_installed_hong_kong_face_is_used_and_nothing_is_registered(tmp_path, font_files):
    report = run_with_fonts(tmp_path, [font_files["latin"], font_files["japanese"], font_files["hong_kong"]])
    assert report["chosen"] == ["Test Sans CJK HK", False]
    assert report["families"] == ["Test Latin", "Test Sans CJK HK"]
    assert han_families(report["after"]) == {"Test Sans CJK HK"}


def test_a_hong_kong_face_lacking_a_shown_character_is_passed_over(tmp_path, font_files):
    partial = renamed_copy("Test Partial HK", tmp_path / "partial.otf", [ord(c) for c in "騰訊控股"])
    report = run_with_fonts(tmp_path, [font_files["latin"], partial])
    assert report["chosen"] == ["hkdesk Sans HK", True]
    assert report["after"]["boxes_in_shown_text"] == ""


def test_a_japanese_ui_font_gives_way_to_the_hong_kong_face_for_han(tmp_path, font_files):
    """A desktop whose UI font is itself a Japanese CJK face: its Han glyphs would win unless
    the Hong Kong face leads."""
    report = run_with_fonts(tmp_path, [font_files["latin"], font_files["japanese"]], "Test Sans CJK JP")
    assert han_families(report["before"]) == {"Test Sans CJK JP"}
    assert report["families"] == ["hkdesk Sans HK", "Test Sans CJK JP"]
    assert han_families(report["after"]) == {"hkdesk Sans HK"}


def test_the_app_on_a_machine_without_cjk_fonts_draws_its_chinese(tmp_path, font_files):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "hkdesk.ini").write_text("[ui]\nlanguage=zh_HK\n", encoding="utf-8")
    report = run_with_fonts(tmp_path, [font_files["latin"]], child=APP_CHILD)
    assert report == {"code": 0, "boxes": "", "families": ["Test Latin", "hkdesk Sans HK"]}
