#!/usr/bin/env bash
# Hostile HTTP against a live engine (issue H): feedscope-bench-abuse sends ABUSE_REQUESTS
# (default 100,000) malformed and hostile requests — random methods, paths and headers, broken
# framing and chunking, bodies of the wrong type, bad names, bad and missing keys, other
# namespaces' entities, pipelined batches, WebSocket upgrades with garbage frames — beside 1 GB
# bodies with and without Content-Length (streamed from one 64 KB buffer), ABUSE_SLOW slow
# senders dripping a byte a second and ABUSE_IDLE idle connections held for the whole run.
# Checked: every reply is a well-formed response whose error body is {error, code} (code ==
# X-Request-ID) or a clean close; the engine stays up (a crash is counted, the engine restarted
# on the same data and the run resumed); the stored entities of both namespaces and the
# activation count are the same before and after; the engine's peak RSS (VmHWM).
# Last line: abuse: N requests, N crashes, peak rss N MB, data unchanged yes|no
# Exits non-zero when a reply was wrong, the engine crashed or data changed.
# Usage: bench/abuse.sh   (ABUSE_REQUESTS=100000 ABUSE_IDLE=2000 ABUSE_SLOW=200 ABUSE_THREADS=2)
source "$(dirname "$0")/common.sh"
require curl
ABUSE_BIN="$BENCH_ROOT/build/bin/feedscope-bench-abuse"
[ -x "$ABUSE_BIN" ] || { echo "bench: $ABUSE_BIN not built (run ./test.sh first)" >&2; exit 1; }
REQUESTS="${ABUSE_REQUESTS:-100000}"
IDLE="${ABUSE_IDLE:-2000}"
SLOW="${ABUSE_SLOW:-200}"
THREADS="${ABUSE_THREADS:-2}"

# The idle and slow connections need descriptors on this side too (the engine raises its own).
hard="$(ulimit -Hn)"
want=$((IDLE + SLOW + 1024))
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then
    echo "abuse: the open-file limit ($hard) is below $want; holding $((hard - SLOW - 1024)) idle connections" >&2
    IDLE=$((hard - SLOW - 1024)); [ "$IDLE" -gt 0 ] || IDLE=0
    want="$hard"
fi
ulimit -n "$want"

start_engine
PORT="${ENGINE_URL##*:}"
ENGINE_ARGS=(--port "$PORT" --data "$ENGINE_DATA/db")

sys() { # sys METHOD PATH [BODY]: as whisk.system
    curl -sf -u "$SYSTEM_KEY" -X "$1" -H 'Content-Type: application/json' \
        "$ENGINE_URL/api/v1/namespaces/whisk.system/$2" ${3:+-d "$3"} >/dev/null
}
code='{"exec":{"kind":"nodejs:20","code":"function main(p) { return p; }"},"parameters":[{"key":"a","value":1}]}'
api PUT "actions/keep-a" "$code"
api PUT "packages/keep-p" '{"parameters":[{"key":"p","value":true}]}'
api PUT "actions/keep-p/inner" "$code"
api PUT "triggers/keep-t" '{"parameters":[{"key":"t","value":2}]}'
api PUT "rules/keep-r" '{"trigger":"/_/keep-t","action":"/_/keep-a"}'
sys PUT "actions/private-a" "$code"
sys PUT "packages/private-p" '{}'
sys PUT "actions/private-p/x" "$code"
sys PUT "triggers/private-t" '{}'
sys PUT "rules/private-r" '{"trigger":"/whisk.system/private-t","action":"/whisk.system/private-a"}'

# snapshot FILE: every entity the two namespaces hold (lists and each seeded entity in full) and
# the activation counts.
snapshot() {
    local out="$1" ns key path
    : >"$out"
    for ns in _ whisk.system; do
        key="$GUEST_KEY"; [ "$ns" = whisk.system ] && key="$SYSTEM_KEY"
        for path in actions packages triggers rules "activations?count=true"; do
            echo "== $ns $path" >>"$out"
            [[ $path == *\?* ]] || path="$path?limit=200"
            curl -sf -u "$key" "$ENGINE_URL/api/v1/namespaces/$ns/$path" >>"$out" || echo "(failed)" >>"$out"
            echo >>"$out"
        done
    done
    for path in actions/keep-a packages/keep-p actions/keep-p/inner triggers/keep-t rules/keep-r; do
        echo "== $path" >>"$out"
        curl -sf -u "$GUEST_KEY" "$ENGINE_URL/api/v1/namespaces/_/$path" >>"$out" || echo "(failed)" >>"$out"
        echo >>"$out"
    done
    for path in actions/private-a packages/private-p actions/private-p/x triggers/private-t rules/private-r; do
        echo "== $path" >>"$out"
        curl -sf -u "$SYSTEM_KEY" "$ENGINE_URL/api/v1/namespaces/whisk.system/$path" >>"$out" || echo "(failed)" >>"$out"
        echo >>"$out"
    done
}
snapshot "$ENGINE_DATA/before"

peak_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
echo "abuse: engine peak RSS before: $(( $(peak_kb "$ENGINE_PID") / 1024 )) MB"

crashes=0
peak=0
done_requests=0
bad=0
while [ "$done_requests" -lt "$REQUESTS" ]; do
    status=0
    "$ABUSE_BIN" "$PORT" $((REQUESTS - done_requests)) "$GUEST_KEY" "$IDLE" "$SLOW" "$THREADS" \
        >"$ENGINE_DATA/abuse.out" || status=$?
    grep -v '^result ' "$ENGINE_DATA/abuse.out" || true
    result="$(grep '^result ' "$ENGINE_DATA/abuse.out" | tail -1)"
    sent="$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$result")"
    bad=$((bad + $(sed -n 's/.* bad=\([0-9]*\).*/\1/p' <<<"$result")))
    done_requests=$((done_requests + ${sent:-0}))
    kb="$(peak_kb "$ENGINE_PID")"; [ "${kb:-0}" -gt "$peak" ] && peak="$kb"
    if ! kill -0 "$ENGINE_PID" 2>/dev/null; then
        crashes=$((crashes + 1))
        echo "abuse: the engine died; its last output:" >&2
        tail -20 "$ENGINE_DATA/engine.out" >&2
        "$ENGINE" "${ENGINE_ARGS[@]}" >>"$ENGINE_DATA/engine.out" 2>&1 &
        ENGINE_PID=$!
        for _ in $(seq 1 100); do curl -sf "$ENGINE_URL/ping" >/dev/null && break; sleep 0.1; done
    elif [ "$status" -ne 0 ]; then
        echo "abuse: the generator failed ($status) with the engine still running" >&2
        exit 1
    fi
    [ "${sent:-0}" -gt 0 ] || { echo "abuse: no progress" >&2; break; }
done

kb="$(peak_kb "$ENGINE_PID")"; [ "${kb:-0}" -gt "$peak" ] && peak="$kb"
snapshot "$ENGINE_DATA/after"
unchanged=yes
if ! diff -q "$ENGINE_DATA/before" "$ENGINE_DATA/after" >/dev/null; then
    unchanged=no
    diff "$ENGINE_DATA/before" "$ENGINE_DATA/after" | head -20 >&2
fi
echo "abuse: wrong replies $bad"
echo "abuse: $done_requests requests, $crashes crashes, peak rss $((peak / 1024)) MB, data unchanged $unchanged"
[ "$bad" -eq 0 ] && [ "$crashes" -eq 0 ] && [ "$unchanged" = yes ]
