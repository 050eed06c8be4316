"""Print hkdesk's version, the ``version`` in pyproject.toml, for the build scripts.

The app reads its version from the installed package's metadata, which is only rewritten by
``pip install``. After a version bump without a reinstall the two disagree and a build would
carry the old number inside and the new one on the installer: refuse that (exit 1).
"""

from __future__ import annotations

import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def declared_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def main() -> int:
    declared = declared_version()
    try:
        installed: str | None = version("hkdesk")
    except PackageNotFoundError:
        installed = None
    if installed != declared:
        print(
            f"version.py: pyproject.toml says {declared} but the installed hkdesk metadata says "
            f"{installed}; reinstall: pip install -e '.[packaging]'",
            file=sys.stderr,
        )
        return 1
    print(declared)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
