"""hkdesk.about: the About dialog's data, without Qt."""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
import sys

import pytest

from hkdesk import about

EXPECTED_LICENCES = {
    "Python": "PSF-2.0",
    "Qt": "LGPL-3.0-only",
    "PySide6": "LGPL-3.0-only",
    "qasync": "BSD-2-Clause",
    "websockets": "BSD-3-Clause",
    "msgspec": "BSD-3-Clause",
    "SQLAlchemy": "MIT",
    "pyqtgraph": "MIT",
    "NumPy": "BSD-3-Clause",
    "platformdirs": "MIT",
    "keyring": "MIT",
}


def test_required_components_with_their_licences_and_installed_versions() -> None:
    rows = {e.name: e for e in about.entries("6.99.1")}
    assert {name: rows[name].licence for name in EXPECTED_LICENCES} == EXPECTED_LICENCES
    assert rows["Qt"].version == "6.99.1"
    assert rows["Python"].version == platform.python_version()
    assert rows["NumPy"].version == importlib.metadata.version("numpy")
    assert rows["PySide6"].version == importlib.metadata.version("PySide6-Essentials")
    assert all(e.homepage.startswith("https://") for e in rows.values())


def test_optional_components_only_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    real = about.version

    def without_psycopg(name: str) -> str:
        if name == "psycopg":
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    assert "psycopg" in {e.name for e in about.entries(None)}  # installed with the test extras
    monkeypatch.setattr(about, "version", without_psycopg)
    names = {e.name for e in about.entries(None)}
    assert "psycopg" not in names
    assert "SQLAlchemy" in names


def test_missing_required_component_is_listed_without_a_version(monkeypatch: pytest.MonkeyPatch) -> None:
    def nothing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(about, "version", nothing)
    rows = {e.name: e for e in about.entries(None)}
    assert rows["keyring"].version is None
    assert "cryptography" not in rows


def test_bundled_metadata_leaves_psycopg_out_unless_asked() -> None:
    plain = about.bundled_distributions(with_postgres=False)
    assert plain[0] == "hkdesk"
    assert "PySide6-Essentials" in plain and "qasync" in plain
    assert "psycopg" not in plain
    assert "psycopg" in about.bundled_distributions(with_postgres=True)


def test_app_version_and_platform() -> None:
    assert about.app_version() == importlib.metadata.version("hkdesk")
    assert platform.python_version() in about.python_version()
    assert platform.machine() in about.platform_name()


def test_imports_no_qt() -> None:
    code = "import sys, hkdesk.about; print([m for m in sys.modules if m.startswith('PySide6')])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
