"""One version, pyproject.toml's: the package, the build scripts' helper and the CLI agree."""

from __future__ import annotations

import importlib.metadata
import runpy
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import hkdesk
from hkdesk.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def declared() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_package_version_is_pyprojects() -> None:
    assert hkdesk.__version__ == declared()


def test_no_version_literal_in_the_package() -> None:
    assert declared() not in (ROOT / "hkdesk" / "__init__.py").read_text(encoding="utf-8")


def test_fallback_when_the_metadata_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert hkdesk._installed_version() == hkdesk.UNKNOWN_VERSION


def test_cli_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--version"])
    assert capsys.readouterr().out.strip() == f"hkdesk {declared()}"


def test_build_helper_prints_the_version() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "version.py")], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == declared()


def test_build_helper_refuses_stale_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.0.0.stale")
    module = runpy.run_path(str(ROOT / "packaging" / "version.py"))
    assert module["main"]() == 1
