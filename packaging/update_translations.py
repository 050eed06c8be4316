"""Refresh the UI translations: extract the texts (lupdate), then compile the .qm files (lrelease).

    python packaging/update_translations.py          # after changing UI texts or translations

The ``.ts`` files in resources/translations are the source (translate them in Qt Linguist or any
text editor); the ``.qm`` beside each is what the app loads, committed so no Qt tool is needed
at build time. tests/packaging/test_translations.py fails when either is out of date.

``packaging/translations/<language>.json`` (``{context: {English text: translation}}``) holds
translations to fill in where a ``.ts`` has none yet: a language with a JSON file and no ``.ts``
gets one, and after a merge that took one side's ``.ts`` the other side's texts come back. A
translation already in a ``.ts`` is never replaced from the JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
FILLS = ROOT / "packaging" / "translations"


def tool(name: str) -> str:
    """``pyside6-lupdate``/``pyside6-lrelease`` next to this Python (they come with PySide6)."""
    suffix = ".exe" if sys.platform == "win32" else ""
    path = Path(sys.executable).with_name(f"pyside6-{name}{suffix}")
    if not path.exists():
        raise SystemExit(f"update_translations: {path.name} not found beside {sys.executable}")
    return str(path)


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "hkdesk").rglob("*.py"))


def lupdate(ts: Path) -> None:
    """Extract into ``ts`` (kept translations stay; no line numbers, so edits elsewhere do not churn)."""
    language = ts.stem.removeprefix("hkdesk_")
    options = ["-silent", "-locations", "none", "-no-obsolete", "-target-language", language]
    subprocess.run(
        [tool("lupdate"), *options, *sources(), "-ts", str(ts)],
        cwd=ROOT,
        check=True,
    )


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def fill(ts: Path, texts: dict[str, dict[str, str]]) -> int:
    """Write ``texts`` into the messages of ``ts`` that have no translation yet; how many."""
    tree = ET.parse(ts)
    filled = 0
    for context in tree.getroot().iter("context"):
        known = texts.get(context.findtext("name") or "", {})
        for message in context.iter("message"):
            tr = message.find("translation")
            text = known.get(message.findtext("source") or "")
            if tr is None or not text or (tr.get("type") is None and (tr.text or "").strip()):
                continue
            tr.text = text
            tr.attrib.pop("type", None)
            filled += 1
    if filled:
        tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def languages() -> list[Path]:
    """Every ``.ts`` there is, and one for each language that has only a JSON file so far."""
    found = {p.stem.removeprefix("hkdesk_"): p for p in TRANSLATIONS.glob("hkdesk_*.ts")}
    for extra in FILLS.glob("*.json"):
        found.setdefault(extra.stem, TRANSLATIONS / f"hkdesk_{extra.stem}.ts")
    return [found[k] for k in sorted(found)]


def main() -> int:
    for ts in languages():
        lupdate(ts)
        extra = FILLS / f"{ts.stem.removeprefix('hkdesk_')}.json"
        if extra.exists() and fill(ts, json.loads(extra.read_text(encoding="utf-8"))):
            lupdate(ts)  # back to lupdate's own layout of the file
        lrelease(ts, ts.with_suffix(".qm"))
        print(ts.with_suffix(".qm").relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
