#!/usr/bin/env bash
# Installs what is missing, builds, and opens Feedscope on the local engine with a live demo.
# Without a display (DISPLAY and WAYLAND_DISPLAY unset), or with --engine, it runs the engine and
# the demo headless instead; Ctrl-C stops everything it started. Other arguments go to feedscope
# (see build/bin/feedscope --help).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
feedscope_setup feedscope feedscope-engine

headless=0
for a in "$@"; do
    [ "$a" = "--engine" ] && headless=1
done
if [ "$headless" = 0 ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "No display (DISPLAY and WAYLAND_DISPLAY are unset): starting the engine and the demo without a window."
    set -- --engine "$@"
fi
exec "$BUILD_DIR/bin/feedscope" "$@"
