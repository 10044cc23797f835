#!/usr/bin/env bash
# Trigger fire throughput of feedscope-engine, measured in one run on this machine with wrk over
# loopback keep-alive connections, each figure with its ratio to GET /ping (the HTTP floor).
#   GET /ping                      the cost of HTTP alone
#   fire, 0 active rules           auth + trigger lookup + 204, nothing recorded
#   fire, 1 active rule            trigger + action activation records written (group commit)
# Usage: bench/fire.sh   (BENCH_DURATION=5s BENCH_CONNECTIONS=32 by default)
source "$(dirname "$0")/common.sh"
require wrk
require curl

# The rule actions run slower than fires are accepted, so they queue; the figure is how fast fires
# are accepted, so the queue may hold the whole run (past the default --max-queued of 10,000 a
# longer run would be answered 429, which tst_throttling checks).
start_engine --max-queued 200000 "$@"
api PUT "actions/bench-action" '{"exec":{"kind":"nodejs:20","code":"function main(p){return p}"}}'
api PUT "triggers/bench-idle" '{}'
api PUT "triggers/bench-ruled" '{}'
api PUT "rules/bench-rule" '{"trigger":"bench-ruled","action":"bench-action"}'
script="$ENGINE_DATA/fire.lua"
post_script "$script" '{"event":"bench"}'

echo "feedscope-engine fire benchmark ($DURATION per figure, $CONNECTIONS connections, $(nproc) cores)"
ping=$(wrk_rate "$ENGINE_URL/ping")
idle=$(wrk_rate "$ENGINE_URL/api/v1/namespaces/_/triggers/bench-idle" "$script")
ruled=$(wrk_rate "$ENGINE_URL/api/v1/namespaces/_/triggers/bench-ruled" "$script")
count=$(curl -sf -u "$GUEST_KEY" "$ENGINE_URL/api/v1/namespaces/_/activations?count=true")

printf '%-34s %10s req/s\n' "GET /ping" "$ping"
printf '%-34s %10s req/s   ratio to /ping %s\n' "fire, 0 active rules (204)" "$idle" "$(ratio "$idle" "$ping")"
printf '%-34s %10s req/s   ratio to /ping %s\n' "fire, 1 active rule (202)" "$ruled" "$(ratio "$ruled" "$ping")"
echo "activations recorded (retention-bounded): $count"
echo "note: the 1-rule figure runs a warm nodejs echo action per fire"
