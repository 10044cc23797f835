#!/usr/bin/env bash
# `cmake --install` gives a working installation: both executables, the desktop entry and icon,
# and the resources — so that the installed engine, reading only the installed resources, runs a
# nodejs action that does require('openwhisk'). $1: the build directory.
set -euo pipefail
build="$1"
prefix="$(mktemp -d)"
engine_pid=""
cleanup() {
    [ -n "$engine_pid" ] && kill "$engine_pid" 2>/dev/null && wait "$engine_pid" 2>/dev/null
    rm -rf "$prefix"
}
trap cleanup EXIT
fail() { echo "install test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/feedscope bin/feedscope-engine share/applications/feedscope.desktop \
         share/icons/hicolor/256x256/apps/feedscope.png \
         share/feedscope/resources/runtimes/nodejs/runner.js \
         share/feedscope/resources/runtimes/nodejs/node_modules/openwhisk/package.json \
         share/feedscope/resources/catalog/alarms/catalog.json \
         share/feedscope/resources/templates/hook/feed.js \
         share/feedscope/resources/samples/event-service.js; do
    [ -e "$prefix/$f" ] || fail "missing $f"
done
grep -q '^Exec=feedscope$' "$prefix/share/applications/feedscope.desktop" || fail "desktop entry"
if find "$prefix" -name __pycache__ | grep -q .; then fail "installed __pycache__"; fi

out="$prefix/engine.out"
"$prefix/bin/feedscope-engine" --port 0 --data "$prefix/data" --no-prewarm >"$out" 2>&1 &
engine_pid=$!
url=""
for _ in $(seq 1 200); do
    url="$(sed -n 's/^feedscope-engine listening on //p' "$out" | head -1)"
    [ -n "$url" ] && grep -q '^resources: ' "$out" && break
    sleep 0.05
done
[ -n "$url" ] || { cat "$out"; fail "the installed engine did not start"; }
resources="$(sed -n 's/^resources: //p' "$out")"
[ "$resources" = "$prefix/share/feedscope/resources" ] || fail "the engine reads $resources, not the installed resources"

key="23bc46b1-71f6-4ed5-8c54-816aa4f8c502:123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP"
api="$url/api/v1/namespaces/_"
code='const openwhisk = require(\"openwhisk\"); function main() { return { client: typeof openwhisk, apihost: process.env.__OW_API_HOST }; }'
curl -sf -u "$key" -X PUT "$api/actions/uses-openwhisk" -H 'Content-Type: application/json' \
    -d "{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"$code\"}}" >/dev/null || fail "creating the action"
result="$(curl -sf -u "$key" -X POST "$api/actions/uses-openwhisk?blocking=true&result=true" -H 'Content-Type: application/json' -d '{}')" \
    || fail "invoking the action"
echo "$result" | grep -q '"client":"function"' || fail "require('openwhisk') in the installed runner: $result"
echo "install test: ok ($result)"
