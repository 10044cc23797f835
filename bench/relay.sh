#!/usr/bin/env bash
# The webhook relay (model/webhookrelay.h) against firing the trigger directly, in one run on this
# machine with wrk over loopback keep-alive connections. The relay runs alone in its own process
# (feedscope-bench-relay), capturing every delivery (batched into its SQLite file) and forwarding
# it with the key.
#   throughput   BENCH_CONNECTIONS senders to a trigger with one active rule to a warm nodejs
#                action (every fire runs it): fires/s directly, deliveries/s through the relay
#   latency      one sender, so nothing queues, to a trigger with no active rule (204): p50 / p99
#                directly and through the relay; the difference is what the relay adds (parse,
#                capture, forward, answer). With a rule, the action runs beside the next request
#                and its noise buries the relay's share; that pair is printed for reference.
# Targets: >= 2,000 deliveries/s, added p50 <= 1 ms. Last line:
#   relay: N deliveries/s, added latency p50 X ms p99 Y ms
# Usage: bench/relay.sh   (BENCH_DURATION=5s BENCH_CONNECTIONS=32 by default)
source "$(dirname "$0")/common.sh"
require wrk
require curl
RELAY_BIN="$BENCH_ROOT/build/bin/feedscope-bench-relay"
[ -x "$RELAY_BIN" ] || { echo "bench: $RELAY_BIN not built (run ./test.sh first)" >&2; exit 1; }

start_engine "$@"
OW_AUTH="$GUEST_KEY" "$RELAY_BIN" "$ENGINE_URL" "$ENGINE_DATA/relay" >"$ENGINE_DATA/relay.out" 2>&1 &
RELAY_PID=$!
trap 'kill $RELAY_PID $ENGINE_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$ENGINE_DATA"' EXIT
for _ in $(seq 1 100); do
    RELAY_URL="$(sed -n 's/^relay listening on //p' "$ENGINE_DATA/relay.out" | head -1)"
    [ -n "$RELAY_URL" ] && break
    sleep 0.05
done
[ -n "$RELAY_URL" ] || { echo "bench: relay did not start:" >&2; cat "$ENGINE_DATA/relay.out" >&2; exit 1; }

api PUT "actions/bench-action" '{"exec":{"kind":"nodejs:20","code":"function main(p){return p}"}}'
api PUT "triggers/bench-hook" '{}'
api PUT "rules/bench-hook-rule" '{"trigger":"bench-hook","action":"bench-action"}'
api PUT "triggers/bench-idle" '{}'
body='{"event":"order.created","id":42,"items":[{"sku":"A-1","qty":2}]}'
direct="$ENGINE_DATA/direct.lua"
post_script "$direct" "$body"
relayed="$ENGINE_DATA/relayed.lua"
cat >"$relayed" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Event"] = "order.created"
LUA
FIRE_URL="$ENGINE_URL/api/v1/namespaces/_/triggers/bench-hook"
HOOK_URL="$RELAY_URL/hooks/bench-hook"
IDLE_FIRE_URL="$ENGINE_URL/api/v1/namespaces/_/triggers/bench-idle"
IDLE_HOOK_URL="$RELAY_URL/hooks/bench-idle"

# wrk_latency URL SCRIPT: "p50 p99" in ms with one connection; fails on any non-2xx reply.
wrk_latency() {
    local out
    out="$(wrk -t1 -c1 -d"$DURATION" --latency -s "$2" "$1")"
    if grep -q "Non-2xx" <<<"$out"; then
        echo "bench: non-2xx replies during the run:" >&2; echo "$out" >&2; exit 1
    fi
    awk 'function ms(v) {
             if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
             if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
             if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
             return v }
         $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
         END { printf "%.3f %.3f\n", p50, p99 }' <<<"$out"
}

# settle: waits until the rule's action invocations queued by a run have all been recorded, so
# that the next figure does not share the machine with the last one's backlog.
settle() {
    local last="" now
    for _ in $(seq 1 100); do
        now="$(curl -sf -u "$GUEST_KEY" "$ENGINE_URL/api/v1/namespaces/_/activations?count=true")"
        [ "$now" = "$last" ] && return 0
        last="$now"
        sleep 0.5
    done
}

echo "feedscope webhook relay benchmark ($DURATION per figure, $CONNECTIONS connections, $(nproc) cores)"
# Warm the action and the relay's connections first.
wrk -t1 -c4 -d1s -s "$relayed" "$HOOK_URL" >/dev/null
settle
read -r direct_p50 direct_p99 <<<"$(wrk_latency "$IDLE_FIRE_URL" "$direct")"
read -r relay_p50 relay_p99 <<<"$(wrk_latency "$IDLE_HOOK_URL" "$relayed")"
settle
read -r ruled_direct_p50 ruled_direct_p99 <<<"$(wrk_latency "$FIRE_URL" "$direct")"
settle
read -r ruled_relay_p50 ruled_relay_p99 <<<"$(wrk_latency "$HOOK_URL" "$relayed")"
settle
fires=$(wrk_rate "$FIRE_URL" "$direct")
settle
deliveries=$(wrk_rate "$HOOK_URL" "$relayed")
added_p50=$(awk -v a="$relay_p50" -v b="$direct_p50" 'BEGIN { printf "%.2f", a - b }')
added_p99=$(awk -v a="$relay_p99" -v b="$direct_p99" 'BEGIN { printf "%.2f", a - b }')

kill -TERM "$RELAY_PID"
wait "$RELAY_PID" 2>/dev/null || true
printf '%-40s %10s fires/s\n' "1 active rule, direct" "$fires"
printf '%-40s %10s deliveries/s   ratio to direct %s\n' "1 active rule, through the relay" "$deliveries" "$(ratio "$deliveries" "$fires")"
printf '%-40s p50 %s ms  p99 %s ms\n' "latency, no active rule, direct" "$direct_p50" "$direct_p99"
printf '%-40s p50 %s ms  p99 %s ms\n' "latency, no active rule, relay" "$relay_p50" "$relay_p99"
printf '%-40s p50 %s ms  p99 %s ms\n' "latency, 1 active rule, direct" "$ruled_direct_p50" "$ruled_direct_p99"
printf '%-40s p50 %s ms  p99 %s ms\n' "latency, 1 active rule, relay" "$ruled_relay_p50" "$ruled_relay_p99"
sed -n 's/^relay stopped, //p' "$ENGINE_DATA/relay.out" | sed 's/^/relay: /'
printf 'relay: %.0f deliveries/s, added latency p50 %s ms p99 %s ms\n' "$deliveries" "$added_p50" "$added_p99"
