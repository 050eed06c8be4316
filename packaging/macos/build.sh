#!/usr/bin/env bash
# Build hkdesk for macOS: PyInstaller .app bundle, smoke test, .dmg; optionally signed and notarised.
# UNTESTED: written on Linux; run it on a Mac (or a macOS CI runner) of the target architecture.
#
#   PYTHON=.venv/bin/python packaging/macos/build.sh
#
# PYTHON must have the project and PyInstaller installed: pip install -e '.[packaging]'
# Environment:
#   HKDESK_CODESIGN_IDENTITY  "Developer ID Application: NAME (TEAMID)"; empty = ad-hoc signature
#                             (runs on the build Mac; other Macs' Gatekeeper will refuse it)
#   HKDESK_NOTARY_PROFILE     a notarytool keychain profile (xcrun notarytool store-credentials);
#                             with an identity, the .dmg is notarised and stapled
#   HKDESK_WITH_POSTGRES=1    bundle psycopg too
#   HKDESK_SKIP_SMOKE=1       no smoke test
# Output: dist/hkdesk.app, dist/hkdesk-VERSION-macos-ARCH.dmg
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=${PYTHON:-python3}
IDENTITY=${HKDESK_CODESIGN_IDENTITY:-}
NOTARY_PROFILE=${HKDESK_NOTARY_PROFILE:-}
cd "$ROOT"

if [ "$(uname -s)" != Darwin ]; then
    echo "macos/build.sh: run this on macOS (PyInstaller does not cross-compile)" >&2
    exit 2
fi
if ! "$PYTHON" -c "import hkdesk, PyInstaller" 2>/dev/null; then
    echo "macos/build.sh: $PYTHON cannot import hkdesk and PyInstaller; run: pip install -e '.[packaging]'" >&2
    exit 2
fi

# pyproject.toml's version, checked against the installed metadata the frozen app will carry
VERSION=$("$PYTHON" packaging/version.py)
ARCH=$(uname -m)
DMG="dist/hkdesk-$VERSION-macos-$ARCH.dmg"
t0=$(date +%s)

# 1. the .app (PyInstaller signs every binary and the bundle: hardened runtime with an identity)
rm -rf dist/hkdesk dist/hkdesk.app
HKDESK_CODESIGN_IDENTITY="$IDENTITY" "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build packaging/hkdesk.spec
codesign --verify --deep --strict --verbose=1 dist/hkdesk.app
echo "macos/build.sh: dist/hkdesk.app $(du -sh dist/hkdesk.app | cut -f1) in $(($(date +%s) - t0)) s"

# 2. smoke test of the binary inside the bundle (offscreen: no window server needed)
if [ "${HKDESK_SKIP_SMOKE:-0}" != 1 ]; then
    packaging/smoke.sh dist/hkdesk.app/Contents/MacOS/hkdesk "$PYTHON"
fi

# 3. the disk image: the app and a link to /Applications
STAGE=build/dmg
rm -rf "$STAGE" "$DMG"
mkdir -p "$STAGE"
ditto dist/hkdesk.app "$STAGE/hkdesk.app"
if command -v create-dmg >/dev/null; then
    # create-dmg (Homebrew) lays out the Finder window; --skip-jenkins skips that on headless CI.
    extra=()
    [ "${CI:-}" = true ] && extra+=(--skip-jenkins)
    create-dmg --volname "hkdesk $VERSION" --volicon resources/icons/hkdesk.icns \
        --window-size 540 360 --icon-size 96 --icon hkdesk.app 140 170 \
        --app-drop-link 400 170 --hdiutil-quiet "${extra[@]+"${extra[@]}"}" "$DMG" "$STAGE"
else
    ln -s /Applications "$STAGE/Applications"
    hdiutil create -quiet -volname "hkdesk $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
fi
echo "macos/build.sh: $DMG $(du -h "$DMG" | cut -f1)"

# 4. signing and notarisation of the image (the app inside is already signed)
if [ -n "$IDENTITY" ]; then
    codesign --sign "$IDENTITY" --timestamp "$DMG"
    if [ -n "$NOTARY_PROFILE" ]; then
        xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
        xcrun stapler staple "$DMG"
        spctl --assess --type open --context context:primary-signature --verbose "$DMG"
    else
        echo "macos/build.sh: signed but not notarised (no HKDESK_NOTARY_PROFILE)"
    fi
else
    echo "macos/build.sh: ad-hoc signed only; set HKDESK_CODESIGN_IDENTITY to distribute"
fi
echo "macos/build.sh: done in $(($(date +%s) - t0)) s"
