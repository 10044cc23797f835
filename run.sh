#!/usr/bin/env bash
# Installs what is missing, builds, starts feedscope-engine on http://127.0.0.1:3233 and deploys
# a small live demo into it (scripts/demo.sh). Ctrl-C stops everything. Extra arguments go to the
# engine; --no-demo skips the demo.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
feedscope_setup feedscope-engine

demo=1
args=()
for a in "$@"; do
    if [ "$a" = "--no-demo" ]; then demo=0; else args+=("$a"); fi
done
out="$(mktemp)"
"$BUILD_DIR/bin/feedscope-engine" "${args[@]}" > >(tee "$out") 2>&1 &
engine=$!
cleanup() {
    [ -f "${TMPDIR:-/tmp}/feedscope-demo-service.pid" ] && kill "$(cat "${TMPDIR:-/tmp}/feedscope-demo-service.pid")" 2>/dev/null || true
    kill "$engine" 2>/dev/null || true
    wait "$engine" 2>/dev/null || true
    rm -f "$out"
}
trap cleanup EXIT INT TERM
url=""
for _ in $(seq 1 100); do
    url="$(sed -n 's/^feedscope-engine listening on //p' "$out" | head -1)"
    [ -n "$url" ] && break
    kill -0 "$engine" 2>/dev/null || { echo "feedscope-engine did not start (see above)" >&2; exit 1; }
    sleep 0.05
done
[ -n "$url" ] || { echo "feedscope-engine did not report its URL" >&2; exit 1; }
[ "$demo" = 1 ] && scripts/demo.sh "$url"
wait "$engine"
