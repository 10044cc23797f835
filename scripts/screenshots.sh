#!/usr/bin/env bash
# Runs Feedscope under Xvfb on a fresh local engine with the demo, walks the main screens and
# writes a PNG of each into DIR (default: docs/). Needs a build (./test.sh or ./run.sh first).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-docs}")"
feedscope="build/bin/feedscope"
[ -x "$feedscope" ] || { echo "screenshots: $feedscope is not built (run ./test.sh first)" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "screenshots: xvfb-run is missing (./test.sh installs it)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mkdir -p "$out"
# A fixed window size and the default style, so the pictures do not depend on the desktop.
XDG_CONFIG_HOME="$work/config" timeout 180 xvfb-run -a -s '-screen 0 1440x900x24' \
    "$feedscope" --state "$work/state" --profiles "$work/profiles.json" --engine-data "$work/engine" \
    --engine-port "$port" --screenshots "$out"
ls "$out"/feedscope-*.png
