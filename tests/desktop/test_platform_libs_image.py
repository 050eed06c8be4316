"""The README's apt-get line, proven on a minimal Debian image (opt-in: HKDESK_TEST_MINIMAL_IMAGE=1).

debootstrap builds a ``minbase`` Debian with Python and exactly the README's packages; PySide6's
xcb plugin, its GL integrations and the Qt libraries they load are copied in at the same
relative places, with hkdesk/desktop/platform_libs.py (it needs nothing but the standard library). In
a chroot: ``ldd`` resolves every library, and the check passes; with one package purged, the
check names it. Needs root, debootstrap and Debian's package mirror; about a minute.
Environment: HKDESK_TEST_IMAGE_SUITE (default bookworm), HKDESK_TEST_DEBIAN_MIRROR,
HKDESK_TEST_DEBOOTSTRAP_CACHE (a folder debootstrap keeps its downloads in).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_platform_libs import qt_closure, qt_dir, readme_packages

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    os.environ.get("HKDESK_TEST_MINIMAL_IMAGE") != "1",
    reason="builds a Debian image with debootstrap (about a minute): set HKDESK_TEST_MINIMAL_IMAGE=1",
)
PLUGIN = "/opt/Qt/plugins/platforms/libqxcb.so"


def chroot(image: Path, *command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", **(env or {})}
    return subprocess.run(
        ["chroot", str(image), *command], env=environ, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> Path:
    if os.geteuid() != 0 or not shutil.which("debootstrap") or not shutil.which("chroot"):
        pytest.fail("HKDESK_TEST_MINIMAL_IMAGE=1 needs root, chroot and debootstrap (apt-get it)")
    root = tmp_path_factory.mktemp("minbase") / "root"
    command = ["debootstrap", "--variant=minbase", "--include=" + ",".join(["python3", *readme_packages()])]
    if cache := os.environ.get("HKDESK_TEST_DEBOOTSTRAP_CACHE"):
        Path(cache).mkdir(parents=True, exist_ok=True)
        command.append(f"--cache-dir={cache}")
    command += [
        os.environ.get("HKDESK_TEST_IMAGE_SUITE", "bookworm"),
        str(root),
        os.environ.get("HKDESK_TEST_DEBIAN_MIRROR", "http://deb.debian.org/debian"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    qt = qt_dir()
    _, files = qt_closure(qt)
    for path in files:
        target = root / "opt" / "Qt" / path.relative_to(qt)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    shutil.copy2(ROOT / "hkdesk" / "platform_libs.py", root / "opt" / "platform_libs.py")
    return root


def plugins(image: Path) -> list[str]:
    found = sorted((image / "opt" / "Qt" / "plugins").rglob("*.so"))
    return ["/" + str(path.relative_to(image)) for path in found]


def test_with_the_readme_packages_every_library_resolves(image: Path) -> None:
    assert PLUGIN in plugins(image) and len(plugins(image)) == 3  # the plugin and two GL integrations
    for plugin in plugins(image):
        done = chroot(image, "ldd", plugin)
        assert done.returncode == 0 and "not found" not in done.stdout, done.stdout
    check = chroot(image, "python3", "/opt/platform_libs.py", "--plugin", PLUGIN, env={"DISPLAY": ":0"})
    assert check.returncode == 0, check.stderr


def test_with_a_package_purged_the_check_names_it(image: Path) -> None:
    purge = chroot(image, "dpkg", "--purge", "--force-depends", "libxcb-icccm4")
    assert purge.returncode == 0, purge.stderr
    check = chroot(image, "python3", "/opt/platform_libs.py", "--plugin", PLUGIN)
    assert check.returncode == 2
    assert "libxcb-icccm.so.4" in check.stderr and "sudo apt-get install libxcb-icccm4\n" in check.stderr
