"""Refresh the UI translations: extract the texts (lupdate), then compile the .qm files (lrelease).

    python packaging/update_translations.py          # after changing UI texts or translations

The ``.ts`` files in resources/translations are the source (translate them in Qt Linguist or any
text editor); the ``.qm`` beside each is what the app loads, committed so no Qt tool is needed
at build time. tests/packaging/test_translations.py fails when either is out of date.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"


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
    subprocess.run(
        [tool("lupdate"), "-silent", "-locations", "none", "-no-obsolete", *sources(), "-ts", str(ts)],
        cwd=ROOT,
        check=True,
    )


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def main() -> int:
    for ts in sorted(TRANSLATIONS.glob("hkdesk_*.ts")):
        lupdate(ts)
        lrelease(ts, ts.with_suffix(".qm"))
        print(ts.with_suffix(".qm").relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
