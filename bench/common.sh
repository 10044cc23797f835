#!/usr/bin/env bash
# Helpers shared by the benchmarks: start a throw-away engine, run wrk, print figures.
set -euo pipefail

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENGINE="${FEEDSCOPE_ENGINE:-$BENCH_ROOT/build/bin/feedscope-engine}"
GUEST_KEY="23bc46b1-71f6-4ed5-8c54-816aa4f8c502:123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP"
# The provider statistics are for whisk.system only.
SYSTEM_KEY="789c46b1-71f6-4ed5-8c54-816aa4f8c502:abczO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP"
DURATION="${BENCH_DURATION:-5s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"

require() {
    command -v "$1" >/dev/null 2>&1 || { echo "bench: '$1' is missing (./test.sh installs it)" >&2; exit 1; }
}

# start_engine [args...]: sets ENGINE_URL, ENGINE_PID, ENGINE_DATA; stopped on exit.
start_engine() {
    [ -x "$ENGINE" ] || { echo "bench: $ENGINE not built (run ./test.sh first)" >&2; exit 1; }
    ENGINE_DATA="$(mktemp -d)"
    local out="$ENGINE_DATA/engine.out"
    "$ENGINE" --port 0 --data "$ENGINE_DATA/db" "$@" >"$out" 2>&1 &
    ENGINE_PID=$!
    trap 'kill $ENGINE_PID 2>/dev/null || true; wait $ENGINE_PID 2>/dev/null || true; rm -rf "$ENGINE_DATA"' EXIT
    for _ in $(seq 1 100); do
        ENGINE_URL="$(sed -n 's/^feedscope-engine listening on //p' "$out" | head -1)"
        [ -n "$ENGINE_URL" ] && return 0
        sleep 0.05
    done
    echo "bench: engine did not start:" >&2; cat "$out" >&2; exit 1
}

api() { # api METHOD PATH [BODY]
    curl -sf -u "$GUEST_KEY" -X "$1" -H 'Content-Type: application/json' \
        "$ENGINE_URL/api/v1/namespaces/_/$2" ${3:+-d "$3"} >/dev/null
}

# wrk_rate URL [lua-script]: prints requests/s; fails if any request got a non-2xx reply.
# With WRK_LOG=file set, wrk's full output is also written there.
wrk_rate() {
    local url="$1" script="${2:-}" out
    out="$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" ${script:+-s "$script"} "$url")"
    [ -z "${WRK_LOG:-}" ] || printf '%s\n' "$out" >"$WRK_LOG" # raw output, for request counts
    if grep -q "Non-2xx" <<<"$out"; then
        echo "bench: non-2xx replies during the run:" >&2; echo "$out" >&2; exit 1
    fi
    awk '/Requests\/sec/ {print $2}' <<<"$out"
}

# post_script FILE BODY: a wrk script that POSTs BODY with the guest key.
post_script() {
    cat >"$1" <<LUA
wrk.method = "POST"
wrk.body = '$2'
wrk.headers["Authorization"] = "Basic $(printf '%s' "$GUEST_KEY" | base64 -w0)"
wrk.headers["Content-Type"] = "application/json"
LUA
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
