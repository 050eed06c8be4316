"""Chinese text drawn with real glyphs, in the Hong Kong forms, on any machine.

A machine with no CJK font draws every Chinese name as empty boxes, and Qt's fallback for Han
characters takes whatever CJK font the system ranks first, often a Japanese face. So at start-up,
once the application exists:

1. an installed Hong Kong face (a family named with ``HK`` or ``HKSCS``: Noto Sans CJK HK,
   Source Han Sans HK, PingFang HK, MingLiU_HKSCS, ...) that has every character the app shows
   is used as it is;
2. otherwise the bundled ``hkdesk Sans HK`` is registered: a subset of Noto Sans CJK HK
   (packaging/make_cjk_font.py) covering the app's texts, Big5, HKSCS and GB2312;
3. that family goes right after the UI font in the application font's families, so the
   characters the UI font lacks take it before any system fallback (or before the UI font,
   when that is itself a CJK face of another region).

Then the app's Chinese is laid out once and a warning names any character still drawn as a box.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QGuiApplication, QRawFont, QTextLayout

from hkdesk.domain.symbols import SymbolInfo

log = logging.getLogger(__name__)

BUNDLED_FONT = "fonts/hkdesk-sans-hk.otf"
BUNDLED_FAMILY = "hkdesk Sans HK"
#: Chinese the interface always shows, whatever the language: the Name header and the language list.
UI_TEXT = "名稱繁體中文（香港）"
#: Characters whose presence makes a font a CJK face.
HAN_PROBE = "中國"
_HK_TOKENS = {"HK", "HKSCS"}


@dataclass(frozen=True, slots=True)
class ChineseFont:
    """The family Han characters are drawn with, and whether it is the bundled one."""

    family: str
    bundled: bool


def shown_text(universe: Iterable[SymbolInfo]) -> str:
    """Each distinct character of the Chinese the app shows: the UI's and the symbol names."""
    return "".join(sorted(set(UI_TEXT).union(*(info.name_zh for info in universe))))


def is_hong_kong_family(family: str) -> bool:
    return bool(_HK_TOKENS & set(re.split(r"[\s_\-]+", family.upper())))


def missing_from_family(family: str, text: str) -> str:
    """The characters of ``text`` that ``family``'s own font lacks (fallbacks not counted)."""
    raw = QRawFont.fromFont(QFont(family))
    if not raw.isValid() or raw.familyName().casefold() != family.casefold():
        return text
    return "".join(ch for ch in text if not raw.supportsCharacter(ord(ch)))


def installed_hong_kong_family(text: str) -> str | None:
    """An installed Hong Kong face with every character of ``text``; sans-serif faces first."""
    candidates = [f for f in QFontDatabase.families() if is_hong_kong_family(f) and f != BUNDLED_FAMILY]
    candidates.sort(key=lambda f: (any(w in f.upper() for w in ("MONO", "SERIF", "MING")), f))
    return next((f for f in candidates if not missing_from_family(f, text)), None)


def register_bundled_font() -> str | None:
    """Register the bundled font with Qt (once a process); its family, or None (logged) if it cannot be."""
    if BUNDLED_FAMILY in QFontDatabase.families():
        return BUNDLED_FAMILY
    try:
        data = resources.files("hkdesk.resources").joinpath(BUNDLED_FONT).read_bytes()
    except OSError as exc:
        log.warning("the bundled Chinese font is missing (%s)", exc)
        return None
    font_id = QFontDatabase.addApplicationFontFromData(data)
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("Qt could not load the bundled Chinese font %s", BUNDLED_FONT)
        return None
    return families[0]


def prefer_for_han(app: QGuiApplication, family: str) -> None:
    """Make ``family`` draw the application font's Han characters, ahead of the system's choice.

    It follows the UI font (Latin stays in that font), or leads when the UI font is itself a
    CJK face of another region, whose Han glyphs would otherwise win.
    """
    font = app.font()
    ui_family = QFontInfo(font).family()
    if family == ui_family:
        return
    ui_has_han = not missing_from_family(ui_family, HAN_PROBE)
    font.setFamilies([family, ui_family] if ui_has_han else [ui_family, family])
    app.setFont(font)


def glyph_runs(text: str, font: QFont) -> list[tuple[QRawFont, list[int]]]:
    """The fonts (fallbacks included) and glyph indexes Qt lays ``text`` out with; index 0 is a box."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return [(run.rawFont(), list(run.glyphIndexes())) for run in layout.glyphRuns()]


def drawn_as_box(ch: str, font: QFont) -> bool:
    """Whether ``font``, with every fallback Qt would try, has no glyph for ``ch``."""
    return any(0 in glyphs or not raw.supportsCharacter(ord(ch)) for raw, glyphs in glyph_runs(ch, font))


def undrawable(text: str, font: QFont) -> str:
    """The characters of ``text`` that ``font`` (and its fallbacks) would draw as empty boxes."""
    if all(0 not in glyphs for _, glyphs in glyph_runs(text, font)):
        return ""
    return "".join(ch for ch in dict.fromkeys(text) if not ch.isspace() and drawn_as_box(ch, font))


def setup_chinese_font(app: QGuiApplication, text: str) -> ChineseFont | None:
    """Choose (or register) the Hong Kong face for ``text`` and make it the Han fallback.

    Returns None, after a warning, when no face can be had; a warning also names any character
    of ``text`` that still has no glyph.
    """
    family = installed_hong_kong_family(text)
    chosen = ChineseFont(family, bundled=False) if family else None
    if chosen is None and (bundled := register_bundled_font()):
        chosen = ChineseFont(bundled, bundled=True)
    if chosen is not None:
        prefer_for_han(app, chosen.family)
    if boxes := undrawable(text, app.font()):
        log.warning("no font here has these characters, shown as empty boxes: %s", boxes)
    return chosen
