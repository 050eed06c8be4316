"""The check of Qt's X11 libraries: when it runs, what it finds, how it says so, and the README list.

A plugin that lacks a library is made from PySide6's own ``libqxcb.so``: a copy whose DT_NEEDED
entry ``libxcb-xkb.so.1`` is renamed (same length) to a library no system has, next to a link to
PySide6's Qt libraries so its RUNPATH still resolves them. The list of packages is held to what
the installed PySide6 actually links (its ELF files, read here) and to the README's apt-get line;
tests/test_platform_libs_image.py proves that line enough on a minimal Debian image.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from elf_needed import needed

from hkdesk.desktop import platform_libs
from hkdesk.desktop.platform_libs import PACKAGE_OF, XCB_PACKAGES

ROOT = Path(__file__).resolve().parents[2]
ABSENT = "libxcb-xkq.so.1"
#: Debian's "required" packages, on every system: the README does not list them.
BASE_PACKAGES = {"libc6", "libstdc++6", "libgcc-s1", "zlib1g", "libzstd1"}

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb plugin is Linux only")


def qt_dir() -> Path:
    plugin = platform_libs.xcb_plugin()
    if plugin is None:
        pytest.skip("PySide6 has no libqxcb.so here")
    return plugin.parents[2]


@pytest.fixture
def broken_plugin(tmp_path: Path) -> Path:
    """A copy of libqxcb.so that needs a library no system has (and all the real ones)."""
    qt = qt_dir()
    data = (qt / "plugins" / "platforms" / "libqxcb.so").read_bytes()
    assert data.count(b"libxcb-xkb.so.1\0") == 1
    plugin = tmp_path / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(data.replace(b"libxcb-xkb.so.1\0", ABSENT.encode() + b"\0"))
    (tmp_path / "Qt" / "lib").symlink_to(qt / "lib")
    return plugin


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({}, "linux", False),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb:foo=1"}, "linux", True),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
        ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, "linux", True),
        ({"DISPLAY": ":0"}, "darwin", False),
        ({"DISPLAY": ":0"}, "win32", False),
    ],
)
def test_when_qt_will_use_xcb(environ: dict, platform: str, expected: bool) -> None:
    assert platform_libs.xcb_will_load(environ, platform) is expected


def test_ldd_output_is_read_for_the_libraries_not_found() -> None:
    output = (
        "\tlinux-vdso.so.1 (0x00007ffd)\n"
        "\tlibQt6XcbQpa.so.6 => /opt/Qt/lib/libQt6XcbQpa.so.6 (0x00007f10)\n"
        "\tlibxcb-icccm.so.4 => not found\n"
        "\tlibxcb-keysyms.so.1 => not found\n"
        "\tlibX11.so.6 => /lib/x86_64-linux-gnu/libX11.so.6 (0x00007f20)\n"
        "\tlibxcb-icccm.so.4 => not found\n"
    )
    assert platform_libs.not_found_in_ldd(output) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


def test_the_message_names_libraries_and_packages_in_words() -> None:
    message = platform_libs.missing_message(["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libfoo.so.2"])
    assert "Qt needs these system libraries to open a window" in message
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1, libfoo.so.2" in message
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n" in message
    assert "Install the packages that provide libfoo.so.2." in message
    assert "xcb-cursor0" not in message  # Qt's own hint names it whatever is missing


def test_gthread_and_glib_are_one_package() -> None:
    message = platform_libs.missing_message(["libglib-2.0.so.0", "libgthread-2.0.so.0"])
    assert "apt-get install libglib2.0-0\n" in message


@linux_only
def test_a_plugin_lacking_a_library_is_reported_with_every_missing_one(broken_plugin: Path) -> None:
    libraries, error = platform_libs.unresolved(broken_plugin)
    assert ABSENT in libraries and error
    missing_here = set(libraries) - {ABSENT}  # whatever this machine lacks besides, as ldd sees it
    ldd = subprocess.run(["ldd", str(broken_plugin)], capture_output=True, text=True).stdout
    assert missing_here == set(platform_libs.not_found_in_ldd(ldd)) - {ABSENT}
    message = platform_libs.check_plugin(broken_plugin)
    assert message is not None and ABSENT in message


@linux_only
def test_without_ldd_the_loader_error_names_a_missing_library(
    broken_plugin: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    libraries, error = platform_libs.unresolved(broken_plugin)
    assert len(libraries) == 1 and libraries[0] in error


@linux_only
def test_the_real_plugin_is_checked_the_same_way() -> None:
    plugin = qt_dir() / "plugins" / "platforms" / "libqxcb.so"
    ldd = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True).stdout
    libraries, _ = platform_libs.unresolved(plugin)
    assert libraries == platform_libs.not_found_in_ldd(ldd)


@linux_only
def test_the_app_exits_2_with_the_message_before_qt_aborts(broken_plugin: Path, tmp_path: Path) -> None:
    code = (
        "import sys\nfrom pathlib import Path\nimport hkdesk.desktop.platform_libs as p\n"
        "p.xcb_plugin = lambda: Path(sys.argv[1])\n"
        "from hkdesk.cli import main\nsys.exit(main(['--config-dir', sys.argv[2]]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = ":99"
    done = subprocess.run(
        [sys.executable, "-c", code, str(broken_plugin), str(tmp_path / "config")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "Qt needs these system libraries to open a window" in done.stderr and ABSENT in done.stderr
    assert "could not be loaded" not in done.stderr  # Qt's own abort never came


@linux_only
def test_the_command_line_check(broken_plugin: Path, capsys) -> None:
    assert platform_libs.main(["--plugin", str(broken_plugin)]) == 2
    assert ABSENT in capsys.readouterr().err


def qt_closure(qt: Path) -> tuple[set[str], set[Path]]:
    """System libraries needed by the xcb plugin, its GL integrations and the Qt libraries they
    pull in (followed through PySide6's own lib folder), and the files read."""
    todo = [qt / "plugins" / "platforms" / "libqxcb.so", *(qt / "plugins" / "xcbglintegrations").glob("*.so")]
    seen: set[Path] = set()
    system: set[str] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in needed(path):
            bundled = qt / "lib" / name
            if bundled.exists():
                todo.append(bundled)
            else:
                system.add(name)
    return system, seen


@linux_only
def test_the_package_list_is_what_pyside6_links() -> None:
    system, files = qt_closure(qt_dir())
    assert any(f.name == "libQt6XcbQpa.so.6" for f in files)
    unknown = sorted(name for name in system if name not in PACKAGE_OF)
    assert unknown == [], "add these libraries to platform_libs.PACKAGE_OF"
    assert {PACKAGE_OF[name] for name in system} - BASE_PACKAGES == set(XCB_PACKAGES)


@linux_only
def test_every_library_ldd_lists_has_a_package() -> None:
    plugin = qt_dir() / "plugins" / "platforms" / "libqxcb.so"
    ldd = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True).stdout
    names = {m.group(1) for m in re.finditer(r"^\s*(\S+\.so[\w.]*) =>", ldd, re.MULTILINE)}
    qt_own = {name for name in names if name.startswith(("libQt6", "libicu"))}
    assert sorted(names - qt_own - set(PACKAGE_OF)) == []


def readme_packages() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for line in readme.splitlines() if line.startswith("sudo apt-get install libxcb")]
    assert len(lines) == 1, "the README's first command section has one apt-get line for Qt's libraries"
    return lines[0].split()[3:]


def test_the_readme_lists_every_package() -> None:
    assert readme_packages() == list(XCB_PACKAGES)
