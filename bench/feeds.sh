#!/usr/bin/env bash
# Feed benchmarks of feedscope-engine, in one run on this machine:
#   alarms CREATE round trip through the real feed action (target p50 <= 50 ms)
#   jitter of 1,000 alarm triggers on a 1-second cron, p50/p99/max (target p99 <= 50 ms)
#   CouchDB change -> trigger activation latency with pouchdb-server, p50/p99
# Usage: bench/feeds.sh  (BENCH_ALARM_TRIGGERS=1000 BENCH_ALARM_SECONDS=10 BENCH_CHANGES=50)
source "$(dirname "$0")/common.sh"
require node
require curl

start_engine --max-activations 200000 "$@"
POUCH="$BENCH_ROOT/tests/e2e/node_modules/.bin/pouchdb-server"
COUCH_URL=""
if [ -x "$POUCH" ]; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    # pouchdb-server writes config.json and log.txt into its working directory.
    (cd "$ENGINE_DATA" && exec "$POUCH" --in-memory --host 127.0.0.1 --port "$port" >pouchdb.log 2>&1) &
    POUCH_PID=$!
    trap 'kill $POUCH_PID $ENGINE_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$ENGINE_DATA"' EXIT
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/" >/dev/null && break
        sleep 0.1
    done
    COUCH_URL="http://127.0.0.1:$port"
else
    echo "bench: $POUCH missing (./test.sh installs it); the changes figure is skipped" >&2
fi

echo "feedscope-engine feed benchmark ($(nproc) cores)"
FEEDSCOPE_URL="$ENGINE_URL" COUCH_URL="$COUCH_URL" GUEST_KEY="$GUEST_KEY" SYSTEM_KEY="$SYSTEM_KEY" node "$(dirname "$0")/feeds.js"
