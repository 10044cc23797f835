#!/usr/bin/env bash
# The live monitor (issue G), two measures in one run:
#  1. Ingest: the whole monitor as the window composes it (table with filter and a view following
#     the newest row, timeline, flow view, "why" panel, payload shapes), offscreen, fed synthetic
#     activation records; event-loop lag measured with a 5 ms heartbeat. Targets: 10,000 rows/s for
#     60 s lag p99 <= 16 ms and max <= 50 ms; a 50,000 rows/s burst for 5 s max <= 100 ms;
#     <= 200 bytes per retained row.
#  2. End to end against a real engine: HTTP POST to a trigger with a rule → its row published in
#     the monitor table, p50 / p99 over EVENTS fires (targets p50 <= 30 ms, p99 <= 120 ms), next to
#     the same with the stream polling every 2 s as `wsk activation poll` does.
#  3. The fire benchmark's full rate (wrk, BENCH_CONNECTIONS connections for BENCH_DURATION, one
#     rule) watched live by the monitor: every activation the engine recorded must be a row, and
#     the event-loop lag meanwhile is printed (the engine, wrk and the monitor share the cores).
# Last two lines:
#   monitor: 10k rows/s lag p99 X ms max Y ms; burst max Z ms; N bytes/row
#   monitor e2e: p50 X ms p99 Y ms (polling 2 s: p50 A ms p99 B ms)
# Usage: bench/monitor.sh [steady-seconds=60] [rate=10000] [burst-seconds=5] [burst-rate=50000] [events=1000]
# (BENCH_MONITOR_VARIANT=tableonly measures the table alone in step 1, for comparison.)
set -euo pipefail
source "$(dirname "$0")/common.sh"
BIN="$BENCH_ROOT/build/bin/feedscope-bench-monitor"
[ -x "$BIN" ] || { echo "bench: $BIN not built (run ./test.sh first)" >&2; exit 1; }
require curl

ingest="$(QT_QPA_PLATFORM=offscreen "$BIN" "${1:-60}" "${2:-10000}" "${3:-5}" "${4:-50000}" \
    ${BENCH_MONITOR_VARIANT:-} 2>/dev/null)"

start_engine --max-queued 200000
api PUT "actions/bench-noop" '{"exec":{"kind":"nodejs:20","code":"function main(p) { return {n: p.n}; }"}}'
api PUT "triggers/bench-events" '{}'
api PUT "rules/bench-events-rule" '{"trigger":"/_/bench-events","action":"/_/bench-noop"}'
e2e="$(QT_QPA_PLATFORM=offscreen "$BIN" e2e "$ENGINE_URL" "$GUEST_KEY" bench-events "${5:-1000}" 2>&1 \
    | grep -v -e propagateSizeHints -e XDG_RUNTIME_DIR)"

# 3. The fire benchmark's full rate, watched.
require wrk
count() { curl -sf -u "$GUEST_KEY" "$ENGINE_URL/api/v1/namespaces/_/activations?count=true" | sed 's/[^0-9]//g'; }
script="$ENGINE_DATA/fire.lua"
post_script "$script" '{"n":1}'
watchout="$ENGINE_DATA/watch.out"
QT_QPA_PLATFORM=offscreen "$BIN" watch "$ENGINE_URL" "$GUEST_KEY" "${DURATION%s}" >"$watchout" 2>/dev/null &
watcher=$!
for _ in $(seq 1 600); do grep -q '^ready' "$watchout" && break; sleep 0.05; done
before="$(count)"
WRK_LOG="$ENGINE_DATA/wrk.out" wrk_rate "$ENGINE_URL/api/v1/namespaces/_/triggers/bench-events" "$script" >/dev/null
fires="$(awk '/requests in/ {print $1}' "$ENGINE_DATA/wrk.out")"
wait "$watcher"
recorded=$(( $(count) - before ))
watched="$(grep '^watched' "$watchout")"
held="$(sed 's/.* \([0-9]*\) total.*/\1/' <<<"$watched")"
firehose="firehose: $fires fires in $DURATION, $recorded activations recorded, $held rows in the monitor, lost $(( recorded - held )); ${watched#*; }"

printf '%s\n' "$ingest" | sed '$d'
printf '%s\n' "$e2e" | sed '$d'
echo "$firehose"
printf '%s\n' "$ingest" | tail -1
printf '%s\n' "$e2e" | tail -1
