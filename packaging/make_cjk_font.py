"""Cut the bundled Chinese font, resources/fonts/hkdesk-sans-hk.otf, out of Noto Sans CJK HK.

    python packaging/make_cjk_font.py                  # rewrite the font after the texts changed
    python packaging/make_cjk_font.py --check          # exit 1 if the committed font is not current

The source is the Regular collection of Noto Sans CJK (SIL Open Font Licence 1.1), as Debian's
``fonts-noto-cjk`` installs it (the default ``--source``; ``HKDESK_CJK_SOURCE`` or ``--source``
name another copy, e.g. one unpacked with ``apt-get download fonts-noto-cjk`` and ``dpkg-deb
-x`` so the machine itself keeps no CJK font). Its Hong Kong face is kept, so the glyphs have the
Hong Kong forms, for:

- every wide character hkdesk shows: the symbol list (all its columns, the Chinese names in
  traditional and simplified characters), the translations and the texts in the code;
- a broad set for names looked up later: all of Big5 (both levels), the HKSCS additions and
  GB2312 (both levels), which Python's codecs enumerate, with CJK punctuation, fullwidth forms
  and ASCII.

Only the outlines and the character map are kept (no OpenType layout features: the app draws
horizontal text with the face's default, Hong Kong, forms), and the family is renamed to
``hkdesk Sans HK`` so it is never mistaken for an installed Noto. The output is byte-for-byte
reproducible with one fontTools version, which the font's description records. ``--check``
needs no source: it checks that the committed font covers the characters above; given the
source it also compares with a fresh subset.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "resources" / "fonts" / "hkdesk-sans-hk.otf"
DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FACE = "Noto Sans CJK HK"
FAMILY = "hkdesk Sans HK"
POSTSCRIPT_NAME = "hkdeskSansHK-Regular"
#: Blocks kept whatever the codecs say: CJK symbols and punctuation, half- and fullwidth forms.
EXTRA_RANGES = (range(0x20, 0x7F), range(0x3000, 0x3040), range(0xFF00, 0xFFF0))
_BIG5_TRAIL = (*range(0x40, 0x7F), *range(0xA1, 0xFF))
#: (codec, lead bytes, trail bytes) of the double-byte sets in the broad set.
CODEC_TABLES = (
    ("big5", range(0xA1, 0xFA), _BIG5_TRAIL),
    ("big5hkscs", range(0x87, 0xFF), _BIG5_TRAIL),
    ("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF)),
)


def codec_characters(codec: str, leads: Iterable[int], trails: Iterable[int]) -> set[int]:
    """Every single character a double-byte codec decodes from one lead and one trail byte."""
    trails = tuple(trails)
    out = set()
    for lead in leads:
        for trail in trails:
            try:
                text = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                out.add(ord(text))
    return out


def broad_characters() -> set[int]:
    chars = set().union(*(codec_characters(*table) for table in CODEC_TABLES))
    return chars.union(*EXTRA_RANGES)


def is_han(code: int) -> bool:
    return unicodedata.name(chr(code), "").startswith(
        ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")
    )


def text_files(root: Path) -> list[Path]:
    """The files whose characters hkdesk shows: the symbol list, the translations, the code."""
    resources = root / "resources"
    return sorted(
        [
            *resources.glob("*.csv"),
            *(resources / "translations").glob("*.ts"),
            *(root / "hkdesk").rglob("*.py"),
        ]
    )


def app_characters(root: Path = ROOT) -> set[int]:
    """The wide (East Asian width W or F) characters in the app's texts: Han, CJK punctuation."""
    return {
        ord(ch)
        for path in text_files(root)
        for ch in path.read_text(encoding="utf-8")
        if unicodedata.east_asian_width(ch) in "WF"
    }


def wanted_characters(root: Path = ROOT) -> set[int]:
    return app_characters(root) | broad_characters()


def _source_face(source: Path):
    """The Hong Kong face of the collection, loaded in full."""
    from fontTools.ttLib import TTCollection, TTFont

    faces = TTCollection(str(source), lazy=True).fonts
    for index, face in enumerate(faces):
        if face["name"].getDebugName(1) == SOURCE_FACE:
            return TTFont(str(source), fontNumber=index, recalcTimestamp=False)
    raise ValueError(f"{source} has no {SOURCE_FACE} face")


def _rename(font, characters: int) -> None:
    """Our own family name everywhere a name lives (name table and CFF), and where it came from."""
    import fontTools

    name = font["name"]
    version = name.getDebugName(5) or "unknown version"
    for name_id in (1, 3, 4, 6, 10, 16, 17):
        name.removeNames(nameID=name_id)
    name.setName(FAMILY, 1, 3, 1, 0x409)
    name.setName(f"{POSTSCRIPT_NAME};hkdesk", 3, 3, 1, 0x409)
    name.setName(FAMILY, 4, 3, 1, 0x409)
    name.setName(POSTSCRIPT_NAME, 6, 3, 1, 0x409)
    name.setName(
        f"A subset of {SOURCE_FACE} ({version}) for hkdesk, {characters} characters, made by "
        f"packaging/make_cjk_font.py with fontTools {fontTools.version}.",
        10,
        3,
        1,
        0x409,
    )
    cff = font["CFF "].cff
    cff.fontNames = [POSTSCRIPT_NAME]
    top = cff.topDictIndex[0]
    for key, value in (("FamilyName", FAMILY), ("FullName", FAMILY)):
        if hasattr(top, key):
            setattr(top, key, value)


def build(source: Path, root: Path = ROOT) -> bytes:
    """The subset font's bytes."""
    from fontTools import subset

    font = _source_face(source)
    wanted = wanted_characters(root) & set(font.getBestCmap())
    options = subset.Options()
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted))
    subsetter.subset(font)
    _rename(font, len(wanted))
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_characters(font_bytes: bytes) -> set[int]:
    from fontTools.ttLib import TTFont

    return set(TTFont(io.BytesIO(font_bytes), lazy=True).getBestCmap())


def _describe(codes: Iterable[int], limit: int = 20) -> str:
    codes = sorted(codes)
    shown = " ".join(f"{chr(c)} U+{c:04X}" for c in codes[:limit])
    return shown + (f" and {len(codes) - limit} more" if len(codes) > limit else "")


def check_font(font: Path, source: Path | None, root: Path = ROOT) -> list[str]:
    """What is wrong with the committed font (empty when all is well).

    Without a source: the font must cover the app's characters and every Han character of the
    broad set. With one: it must also be exactly what :func:`build` makes from it.
    """
    if not font.is_file():
        return [f"{font.name}: missing"]
    committed = font.read_bytes()
    cmap = font_characters(committed)
    problems = []
    if missing := app_characters(root) - cmap:
        problems.append(f"{font.name} lacks characters the app shows: {_describe(missing)}")
    if missing := {c for c in broad_characters() - cmap if is_han(c)}:
        problems.append(f"{font.name} lacks Han characters of Big5/HKSCS/GB2312: {_describe(missing)}")
    if source is not None and build(source, root) != committed:
        import fontTools
        from fontTools.ttLib import TTFont

        made_with = TTFont(io.BytesIO(committed), lazy=True)["name"].getDebugName(10)
        problems.append(
            f"{font.name} differs from a fresh subset of {source} (this is fontTools "
            f"{fontTools.version}; the committed font says: {made_with})"
        )
    return problems


def default_source() -> Path | None:
    named = os.environ.get("HKDESK_CJK_SOURCE")
    if named:
        return Path(named)
    return DEFAULT_SOURCE if DEFAULT_SOURCE.is_file() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, default=None, help=f"the Noto Sans CJK Regular collection ({DEFAULT_SOURCE})"
    )
    parser.add_argument("--out", type=Path, default=FONT, help="the font file to write or check")
    parser.add_argument(
        "--check", action="store_true", help="compare instead of writing; exit 1 on a mismatch"
    )
    args = parser.parse_args(argv)
    source = args.source or default_source()
    try:
        if args.check:
            problems = check_font(args.out, source)
            for problem in problems:
                print(f"make_cjk_font: {problem}", file=sys.stderr)
            if problems:
                print(
                    "make_cjk_font: run python packaging/make_cjk_font.py and commit the result",
                    file=sys.stderr,
                )
                return 1
            against = f"and matches a fresh subset of {source}" if source else "(no source to compare with)"
            print(f"make_cjk_font: {args.out.name} covers every character needed {against}")
            return 0
        if source is None:
            print("make_cjk_font: no source font; install fonts-noto-cjk or pass --source", file=sys.stderr)
            return 1
        data = build(source)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(data)
        print(f"{args.out} ({len(data):,} bytes, {len(font_characters(data)):,} characters)")
    except (OSError, ValueError) as exc:
        print(f"make_cjk_font: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
