#!/usr/bin/env bash
# Smoke test of a frozen hkdesk binary, headless (Qt's offscreen platform).
#
#   packaging/smoke.sh PATH/TO/hkdesk [PYTHON]
#
# Checks, each with a time limit:
#   1. `hkdesk --version` names pyproject.toml's version (the frozen app found its metadata).
#   2. The desktop app opens with the built-in simulator, quits by itself after 5 s with exit 0,
#      writes a PNG screenshot, and the database it recorded to holds ticks. Ticks only come from
#      the simulator child process, so this proves the frozen binary can start itself as `hkdesk sim`.
#   3. `hkdesk record` (headless, built-in simulator) records ticks for 3 s and exits 0.
#   4. No simulator child is left running afterwards.
#   5. `hkdesk alerts-judge` (the alert judge process the app starts) answers a flush on its pipe.
# PYTHON (default python3.11+) is only used to read pyproject.toml, the SQLite files and PNG headers.
set -euo pipefail

APP=${1:?usage: smoke.sh PATH/TO/hkdesk [PYTHON]}
PYTHON=${2:-python3}
APP=$(cd "$(dirname "$APP")" && pwd)/$(basename "$APP")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hkdesk-smoke.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export QT_QPA_PLATFORM=offscreen
FAILED=0

# GNU timeout (macOS has it as gtimeout with Homebrew's coreutils, or not at all).
TIMEOUT=$(command -v timeout || command -v gtimeout || true)
limited() {
    local seconds=$1
    shift
    if [ -n "$TIMEOUT" ]; then
        "$TIMEOUT" "$seconds" "$@"
    else
        "$@"
    fi
}

fail() {
    echo "smoke: FAIL: $*" >&2
    FAILED=1
}

show_log() {
    echo "---- $1 (last 30 lines) ----" >&2
    tail -n 30 "$1" >&2 || true
    echo "----" >&2
}

count_ticks() {
    "$PYTHON" - "$1" <<'EOF'
import sqlite3
import sys

try:
    with sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True) as db:
        print(db.execute("SELECT count(*) FROM ticks").fetchone()[0])
except sqlite3.Error as exc:
    print(f"cannot read ticks: {exc}", file=sys.stderr)
    print(0)
EOF
}

png_size() {
    "$PYTHON" - "$1" <<'EOF'
import struct
import sys

try:
    head = open(sys.argv[1], "rb").read(24)
except OSError:
    head = b""
if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
    print("%dx%d" % struct.unpack(">II", head[16:24]))
else:
    print("none")
EOF
}

# 1. version: exactly pyproject.toml's, not the "0+unknown" of a build without the metadata
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
expected=$("$PYTHON" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
    "$ROOT/pyproject.toml")
version=$(limited 30 "$APP" --version 2>&1 || true)
if [ "$version" = "hkdesk $expected" ]; then
    echo "smoke: version: $version"
else
    fail "--version printed '$version', expected 'hkdesk $expected'"
fi

# 2. the window with the built-in simulator
started=$(date +%s)
set +e
limited 90 "$APP" --quit-after 5 --screenshot "$WORK/window.png" \
    --config-dir "$WORK/config" --db "sqlite:///$WORK/app.db" >"$WORK/app.log" 2>&1
code=$?
set -e
size=$(png_size "$WORK/window.png")
ticks=$(count_ticks "$WORK/app.db")
echo "smoke: app exit $code after $(($(date +%s) - started)) s, screenshot $size, $ticks ticks recorded"
if [ "$code" -ne 0 ] || [ "$size" = none ] || [ "$ticks" -le 0 ]; then
    fail "the app with the built-in simulator (exit $code, screenshot $size, $ticks ticks)"
    show_log "$WORK/app.log"
fi
if [ -n "${HKDESK_SMOKE_SCREENSHOT:-}" ] && [ "$size" != none ]; then
    cp "$WORK/window.png" "$HKDESK_SMOKE_SCREENSHOT"
    echo "smoke: screenshot kept at $HKDESK_SMOKE_SCREENSHOT"
fi

# 3. the headless recorder
set +e
limited 60 "$APP" record --symbols 700.HK,5.HK --duration 3 \
    --db "sqlite:///$WORK/record.db" >"$WORK/record.log" 2>&1
code=$?
set -e
ticks=$(count_ticks "$WORK/record.db")
echo "smoke: record exit $code, $ticks ticks recorded"
if [ "$code" -ne 0 ] || [ "$ticks" -le 0 ]; then
    fail "hkdesk record (exit $code, $ticks ticks)"
    show_log "$WORK/record.log"
fi

# 4. no simulator left behind
sleep 1
APP_REAL=$(readlink -f "$APP")
# shellcheck disable=SC2009  # a fixed-string match on a path; pgrep only takes regular expressions
leftover=$(ps -eo pid=,args= | grep -F -e "$APP sim " -e "$APP_REAL sim " | grep -v -F grep || true)
if [ -n "$leftover" ]; then
    fail "simulator processes still running: $leftover"
fi

# 5. the alert judge: a Flush(9) frame in (length 3, MessagePack [5, 9]), Flushed(9, cpu) back
answer=$(printf '\x03\x00\x00\x00\x92\x05\x09' | limited 30 "$APP" alerts-judge | od -An -tx1 | tr -d ' \n' || true)
echo "smoke: alert judge answered ${answer:-nothing}"
case "$answer" in
    0c000000930b09cb*) ;;
    *) fail "hkdesk alerts-judge did not answer a flush (got '${answer}')" ;;
esac

if [ "$FAILED" -ne 0 ]; then
    echo "smoke: FAILED" >&2
    exit 1
fi
echo "smoke: passed"
