"""What the About dialog shows: versions of hkdesk and its runtime, and the bundled components' licences.

No Qt here: the dialog passes in Qt's run-time version. Versions come from the installed
distributions' metadata, which the frozen build carries too (``packaging/hkdesk.spec`` copies
it for every distribution named in :data:`COMPONENTS`). Licences are written here rather than
read from the metadata, whose licence fields are inconsistent from one project to the next.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

import hkdesk


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    distributions: tuple[str, ...]  # metadata names to try in order (PySide6 has two spellings)
    licence: str  # SPDX expression: the terms hkdesk uses the component under
    homepage: str
    optional: bool = False  # listed only when installed (bundled)


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    version: str | None  # None: not installed here
    licence: str
    homepage: str


COMPONENTS: tuple[Component, ...] = (
    Component("PySide6", ("PySide6", "PySide6-Essentials"), "LGPL-3.0-only", "https://pyside.org"),
    Component("Shiboken6", ("shiboken6",), "LGPL-3.0-only", "https://pyside.org"),
    Component("qasync", ("qasync",), "BSD-2-Clause", "https://github.com/CabbageDevelopment/qasync"),
    Component("websockets", ("websockets",), "BSD-3-Clause", "https://websockets.readthedocs.io"),
    Component("msgspec", ("msgspec",), "BSD-3-Clause", "https://msgspec.dev"),
    Component("SQLAlchemy", ("SQLAlchemy",), "MIT", "https://www.sqlalchemy.org"),
    Component("pyqtgraph", ("pyqtgraph",), "MIT", "https://www.pyqtgraph.org"),
    Component("NumPy", ("numpy",), "BSD-3-Clause", "https://numpy.org"),
    Component("platformdirs", ("platformdirs",), "MIT", "https://github.com/tox-dev/platformdirs"),
    Component("keyring", ("keyring",), "MIT", "https://github.com/jaraco/keyring"),
    # keyring's Secret Service backend on Linux
    Component(
        "SecretStorage", ("SecretStorage",), "BSD-3-Clause", "https://github.com/mitya57/secretstorage", True
    ),
    Component("jeepney", ("jeepney",), "MIT", "https://gitlab.com/takluyver/jeepney", True),
    Component(
        "cryptography", ("cryptography",), "Apache-2.0 OR BSD-3-Clause", "https://cryptography.io", True
    ),
    Component("psycopg", ("psycopg",), "LGPL-3.0-only", "https://www.psycopg.org", True),
)


def installed_version(distributions: tuple[str, ...]) -> str | None:
    """The version of the first of ``distributions`` that is installed, else None."""
    for name in distributions:
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return None


def app_version() -> str:
    return hkdesk.__version__


def python_version() -> str:
    return f"{platform.python_version()} ({platform.python_implementation()})"


def platform_name() -> str:
    """E.g. ``Linux-6.1.0-x86_64-with-glibc2.36 (x86_64)``."""
    return f"{platform.platform()} ({platform.machine()})"


def entries(qt_version: str | None) -> list[Entry]:
    """Python, Qt (its run-time version, from the caller), then every installed component."""
    rows = [
        Entry("Python", platform.python_version(), "PSF-2.0", "https://www.python.org"),
        Entry("Qt", qt_version, "LGPL-3.0-only", "https://www.qt.io"),
    ]
    for c in COMPONENTS:
        found = installed_version(c.distributions)
        if found is not None or not c.optional:
            rows.append(Entry(c.name, found, c.licence, c.homepage))
    return rows


def bundled_distributions(*, with_postgres: bool) -> list[str]:
    """The distributions whose metadata a frozen build must carry for this list (installed ones)."""
    names = ["hkdesk"]
    for c in COMPONENTS:
        if c.name == "psycopg" and not with_postgres:
            continue
        names += [d for d in c.distributions if installed_version((d,)) is not None]
    return names
