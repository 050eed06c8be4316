"""The system libraries Qt's X11 platform plugin lacks, found before Qt tries to load it. No Qt here.

When a library of Qt's xcb plugin is missing, Qt prints a hint naming ``xcb-cursor0`` whatever
is actually missing, then aborts. So before the application object exists, hkdesk loads the
plugin itself the way Qt would (``dlopen``, so its RUNPATH and a frozen build's library path
count); only if that fails does it ask ``ldd`` for every library the loader cannot find, and it
names them with the Debian/Ubuntu packages that hold them.

    python -m hkdesk.desktop.platform_libs [--plugin PATH]    # the same check from a terminal
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

#: What the README's apt-get line installs: the package of every system library that the xcb
#: plugin, its GLX/EGL integrations and the Qt libraries they load link directly, less the C and
#: C++ run-times and compressors every Debian or Ubuntu system has. apt brings their dependencies.
XCB_PACKAGES = (
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-xkb1",
    "libxkbcommon-x11-0",
    "libxkbcommon0",
    "libxcb-util1",
    "libxcb-randr0",
    "libxcb-render0",
    "libxcb-shape0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-xfixes0",
    "libxcb-glx0",
    "libxcb1",
    "libx11-xcb1",
    "libx11-6",
    "libgl1",
    "libegl1",
    "libfontconfig1",
    "libfreetype6",
    "libglib2.0-0",
    "libdbus-1-3",
)

#: The Debian/Ubuntu package of each library the plugin loads, directly or through other libraries.
PACKAGE_OF = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libpng16.so.16": "libpng16-16",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libexpat.so.1": "libexpat1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libsystemd.so.0": "libsystemd0",
    "libcap.so.2": "libcap2",
    "libgcrypt.so.20": "libgcrypt20",
    "libgpg-error.so.0": "libgpg-error0",
    "liblz4.so.1": "liblz4-1",
    "liblzma.so.5": "liblzma5",
    "libbsd.so.0": "libbsd0",
    "libmd.so.0": "libmd0",
    "libzstd.so.1": "libzstd1",
    "libz.so.1": "zlib1g",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6",
    "librt.so.1": "libc6",
    "ld-linux-x86-64.so.2": "libc6",
}

_NOT_FOUND = re.compile(r"^\s*(\S+) => not found\s*$", re.MULTILINE)
_CANNOT_OPEN = re.compile(r"([\w.+-]+\.so[\w.]*): cannot open shared object file")


def xcb_will_load(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will use its xcb (X11) plugin: on Linux, with ``QT_QPA_PLATFORM`` unset and an
    X display (not a Wayland session), or with ``QT_QPA_PLATFORM`` naming xcb first."""
    if not platform.startswith("linux"):
        return False
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        return requested.split(";")[0].strip().startswith("xcb")
    if environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY"):
        return False
    return bool(environ.get("DISPLAY"))


def xcb_plugin() -> Path | None:
    """PySide6's ``libqxcb.so``, found without importing Qt (None without PySide6 or the plugin)."""
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def not_found_in_ldd(output: str) -> list[str]:
    """The libraries ``ldd`` reports as not found, each once, in its order."""
    return list(dict.fromkeys(_NOT_FOUND.findall(output)))


def unresolved(library: Path) -> tuple[list[str], str]:
    """The libraries ``library`` needs that the loader cannot find, and the loader's error
    (both empty when it loads)."""
    try:
        ctypes.CDLL(str(library))
    except OSError as exc:
        error = str(exc)
    else:
        return [], ""
    try:
        listing = subprocess.run(["ldd", str(library)], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        listing = ""
    return not_found_in_ldd(listing) or _CANNOT_OPEN.findall(error), error


def missing_message(libraries: Iterable[str]) -> str:
    """The plain-words report for ``libraries`` that cannot be found."""
    libraries = list(libraries)
    packages = list(dict.fromkeys(PACKAGE_OF[lib] for lib in libraries if lib in PACKAGE_OF))
    unknown = [lib for lib in libraries if lib not in PACKAGE_OF]
    lines = [
        "hkdesk: Qt needs these system libraries to open a window, and this system lacks them: "
        + ", ".join(libraries)
        + "."
    ]
    if packages:
        lines.append("On Debian or Ubuntu, install them with:")
        lines.append("    sudo apt-get install " + " ".join(packages))
    if unknown:
        lines.append("Install the packages that provide " + ", ".join(unknown) + ".")
    lines.append("(hkdesk record runs without a window and needs none of them.)")
    return "\n".join(lines)


def check_plugin(plugin: Path) -> str | None:
    """The report for ``plugin``'s missing libraries; None when it loads."""
    libraries, error = unresolved(plugin)
    if libraries:
        return missing_message(libraries)
    if error:
        return f"hkdesk: Qt's X11 platform plugin cannot be loaded: {error}"
    return None


def window_problem(environ: Mapping[str, str] = os.environ) -> str | None:
    """Why Qt would abort opening a window here, in words; None when nothing is known to be wrong.

    Asked before the application object is made; only X11 (xcb) is checked.
    """
    if not xcb_will_load(environ):
        return None
    plugin = xcb_plugin()
    return check_plugin(plugin) if plugin else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the system libraries Qt's X11 plugin needs.")
    parser.add_argument(
        "--plugin", type=Path, default=None, help="the plugin (default: PySide6's libqxcb.so)"
    )
    args = parser.parse_args(argv)
    plugin = args.plugin or xcb_plugin()
    if plugin is None:
        print("no Qt X11 platform plugin (libqxcb.so) found", file=sys.stderr)
        return 1
    problem = check_plugin(plugin)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"every library {plugin.name} needs is found")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
