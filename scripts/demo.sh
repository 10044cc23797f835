#!/usr/bin/env bash
# Deploys a small live demo into a running feedscope-engine ($1 = its URL): the sample event
# service, an SSE feed (connection pattern) and a 5-second alarm, both with rules to a logging
# action, so activations start flowing at once. Idempotent: entities are overwritten.
set -euo pipefail
URL="$1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEY="23bc46b1-71f6-4ed5-8c54-816aa4f8c502:123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP"
API="$URL/api/v1/namespaces/_"

call() { # call METHOD PATH [BODY] — fails loudly with the engine's error
    local out
    if ! out=$(curl -sS --fail-with-body -u "$KEY" -X "$1" -H 'Content-Type: application/json' \
               "$2" ${3:+-d "$3"} 2>&1); then
        echo "demo: $1 $2 failed: $out" >&2; return 1
    fi
}

# The sample third-party service, emitting one event per 2 seconds.
: >"${TMPDIR:-/tmp}/feedscope-demo-service.out"
node "$ROOT/resources/samples/event-service.js" --port 0 --rate 0.5 --type order.created \
    >"${TMPDIR:-/tmp}/feedscope-demo-service.out" 2>&1 &
echo $! >"${TMPDIR:-/tmp}/feedscope-demo-service.pid"
SERVICE=""
for _ in $(seq 1 100); do
    SERVICE=$(sed -n 's/^event-service listening on //p' "${TMPDIR:-/tmp}/feedscope-demo-service.out" | head -1)
    [ -n "$SERVICE" ] && break
    sleep 0.05
done
[ -n "$SERVICE" ] || { echo "demo: the sample event service did not start" >&2; exit 1; }

call PUT "$API/actions/demo-log?overwrite=true" \
    '{"exec":{"kind":"nodejs:20","code":"function main(event) { console.log(JSON.stringify(event)); return { received: event }; }"}}'

# Connection pattern: the built-in SSE provider follows the service's stream.
call PUT "$API/triggers/demo-orders?overwrite=true" '{"annotations":[{"key":"feed","value":"/whisk.system/streams/sse"}]}'
call POST "$URL/api/v1/namespaces/whisk.system/actions/streams/sse?blocking=true" \
    "{\"lifecycleEvent\":\"CREATE\",\"triggerName\":\"/_/demo-orders\",\"authKey\":\"$KEY\",\"url\":\"$SERVICE/stream\"}"
call PUT "$API/rules/demo-orders-log?overwrite=true" '{"trigger":"demo-orders","action":"demo-log"}'

# Polling-style schedule: an alarm every 5 seconds.
call PUT "$API/triggers/demo-tick?overwrite=true" '{"annotations":[{"key":"feed","value":"/whisk.system/alarms/alarm"}]}'
call POST "$URL/api/v1/namespaces/whisk.system/actions/alarms/alarm?blocking=true" \
    "{\"lifecycleEvent\":\"CREATE\",\"triggerName\":\"/_/demo-tick\",\"authKey\":\"$KEY\",\"cron\":\"*/5 * * * * *\",\"trigger_payload\":{\"tick\":true}}"
call PUT "$API/rules/demo-tick-log?overwrite=true" '{"trigger":"demo-tick","action":"demo-log"}'

cat <<TXT
Demo deployed: the sample event service ($SERVICE) emits an order every 2 s into trigger
'demo-orders' (SSE feed), and trigger 'demo-tick' fires every 5 s (alarm feed); both run
action 'demo-log'. Watch it:
  curl -u $KEY "$API/activations?limit=5&docs=true"
TXT
