#!/usr/bin/env bash
# Build hkdesk for Linux: a PyInstaller one-dir app, a .tar.gz of it and a .deb, then smoke-test
# the binary inside the .deb, headless.
#
#   PYTHON=.venv/bin/python packaging/linux/build.sh
#
# PYTHON must have the project and PyInstaller installed: pip install -e '.[packaging]'
# Environment:
#   HKDESK_WITH_POSTGRES=1   bundle psycopg too (see hkdesk.spec)
#   HKDESK_SKIP_SMOKE=1      build and package only
#   HKDESK_MAINTAINER        the .deb Maintainer field
#   HKDESK_DEB_COMPRESS      dpkg-deb compressor: xz (default, smallest) or gzip (faster)
# Output (repository root): dist/hkdesk/, dist/hkdesk-VERSION-linux-ARCH.tar.gz,
# dist/hkdesk_VERSION_DEBARCH.deb. build/ holds intermediate files.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/packaging/linux"
PYTHON=${PYTHON:-python3}
MAINTAINER=${HKDESK_MAINTAINER:-hkdesk maintainers <maintainers@hkdesk.invalid>}
COMPRESS=${HKDESK_DEB_COMPRESS:-xz}
cd "$ROOT"

if ! "$PYTHON" -c "import hkdesk, PyInstaller" 2>/dev/null; then
    echo "build.sh: $PYTHON cannot import hkdesk and PyInstaller; run: pip install -e '.[packaging]'" >&2
    exit 2
fi
for tool in dpkg-deb tar; do
    command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing" >&2; exit 2; }
done

# pyproject.toml's version, checked against the installed metadata the frozen app will carry
VERSION=$("$PYTHON" packaging/version.py)
MACHINE=$(uname -m)
DEB_ARCH=$(dpkg --print-architecture 2>/dev/null || echo "$MACHINE")
TARBALL="dist/hkdesk-$VERSION-linux-$MACHINE.tar.gz"
DEB="dist/hkdesk_${VERSION}_$DEB_ARCH.deb"

seconds_since() { echo $(($(date +%s) - $1)); }
size_of() { du -sh "$1" | cut -f1; }

# 1. the one-dir app
t0=$(date +%s)
rm -rf dist/hkdesk
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build packaging/hkdesk.spec
build_s=$(seconds_since "$t0")
echo "build.sh: PyInstaller took ${build_s} s; dist/hkdesk is $(size_of dist/hkdesk)"

# 2. the tarball
t1=$(date +%s)
tar -C dist -czf "$TARBALL" hkdesk
tar_s=$(seconds_since "$t1")
echo "build.sh: $TARBALL $(size_of "$TARBALL") in ${tar_s} s"

# 3. the .deb: /opt/hkdesk, /usr/bin/hkdesk -> /opt/hkdesk/hkdesk, a menu entry and icons
t2=$(date +%s)
PKG="build/deb/hkdesk_${VERSION}_$DEB_ARCH"
# the icons as bundled (committed in resources/icons, rendered from the SVG by make_icons.py)
ICONS="dist/hkdesk/_internal/hkdesk/resources/icons"
rm -rf "$PKG"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
    "$PKG/usr/share/icons/hicolor/scalable/apps"
cp -a dist/hkdesk "$PKG/opt/hkdesk"
ln -s /opt/hkdesk/hkdesk "$PKG/usr/bin/hkdesk"
install -m 0644 "$HERE/hkdesk.desktop" "$PKG/usr/share/applications/hkdesk.desktop"
install -m 0644 "$ICONS/hkdesk.svg" "$PKG/usr/share/icons/hicolor/scalable/apps/hkdesk.svg"
for png in "$ICONS"/hkdesk-*.png; do
    px=${png##*/hkdesk-}
    px=${px%.png}
    mkdir -p "$PKG/usr/share/icons/hicolor/${px}x$px/apps"
    install -m 0644 "$png" "$PKG/usr/share/icons/hicolor/${px}x$px/apps/hkdesk.png"
done
chmod -R u+rwX,go+rX,go-w "$PKG"

# The newest glibc symbol version any bundled binary asks for: the oldest libc6 it runs on.
GLIBC_MIN=$("$PYTHON" - dist/hkdesk <<'EOF'
import pathlib
import re
import sys

newest = (2, 17)
for path in pathlib.Path(sys.argv[1]).rglob("*"):
    if path.is_file() and not path.is_symlink() and (".so" in path.name or path.name == "hkdesk"):
        for major, minor in re.findall(rb"GLIBC_(\d+)\.(\d+)", path.read_bytes()):
            newest = max(newest, (int(major), int(minor)))
print("%d.%d" % newest)
EOF
)
INSTALLED_KB=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
# Qt's X11 plugin and OpenGL come from the system; everything else is in /opt/hkdesk.
cat >"$PKG/DEBIAN/control" <<EOF
Package: hkdesk
Version: $VERSION
Section: misc
Priority: optional
Architecture: $DEB_ARCH
Maintainer: $MAINTAINER
Installed-Size: $INSTALLED_KB
Depends: libc6 (>= $GLIBC_MIN), libgl1, libegl1, libxcb1, libxcb-icccm4, libxcb-keysyms1
Recommends: fonts-noto-cjk | fonts-wqy-microhei
Suggests: gnome-keyring | kwalletmanager
Description: real-time Hong Kong stock quote viewer
 hkdesk shows live quotes, order books, time and sales and charts for Hong Kong
 stocks from the AllTick feed, records ticks to SQLite, and has a built-in HKEX
 market simulator for trying it out without an account.
 .
 This package bundles its own Python and Qt in /opt/hkdesk.
EOF
dpkg-deb --root-owner-group -Z"$COMPRESS" --build "$PKG" "$DEB" >/dev/null
deb_s=$(seconds_since "$t2")
echo "build.sh: $DEB $(size_of "$DEB") in ${deb_s} s (installed size $((INSTALLED_KB / 1024)) MB, libc6 >= $GLIBC_MIN)"

# 4. smoke test of the binary as the .deb ships it, started through a symlink like /usr/bin/hkdesk
if [ "${HKDESK_SKIP_SMOKE:-0}" = 1 ]; then
    echo "build.sh: smoke test skipped"
else
    t3=$(date +%s)
    UNPACK=$(mktemp -d "${TMPDIR:-/tmp}/hkdesk-deb.XXXXXX")
    trap 'rm -rf "$UNPACK"' EXIT
    dpkg-deb -x "$DEB" "$UNPACK/root"
    mkdir -p "$UNPACK/bin"
    ln -s "$UNPACK/root/opt/hkdesk/hkdesk" "$UNPACK/bin/hkdesk"
    "$ROOT/packaging/smoke.sh" "$UNPACK/bin/hkdesk" "$PYTHON"
    echo "build.sh: smoke test took $(seconds_since "$t3") s"
fi
echo "build.sh: done in $(seconds_since "$t0") s"
