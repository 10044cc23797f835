#!/usr/bin/env bash
# Action invocation performance of feedscope-engine's process invoker, all measured in one run on
# this machine (figures are printed next to the issue's targets, never asserted):
#   warm blocking invoke    p50 / p99 of N sequential blocking invokes of a warm nodejs echo
#                           action over one keep-alive HTTP connection   (target p50 <= 2 ms,
#                                                                          p99 <= 10 ms)
#   cold start              p50 of the first blocking invoke of K freshly created nodejs
#                           actions, next to the p50 wall time of `node -e 0` (target <= 1.5x)
#   fires/s, 1 active rule  wrk POSTing a trigger whose rule runs a warm nodejs echo action, with
#                           its ratio to GET /ping; afterwards every 202 must have left its action
#                           activation (the count may exceed the 202s by the in-flight tail)
# Usage: bench/invoke.sh [engine args]   (BENCH_INVOKES=2000 BENCH_COLD=20 BENCH_DURATION=5s
#                                         BENCH_CONNECTIONS=32 by default)
source "$(dirname "$0")/common.sh"
require wrk
require curl
require node

INVOKES="${BENCH_INVOKES:-2000}"
COLD="${BENCH_COLD:-20}"

# Retention must not delete records while the fire run is counted.
start_engine --max-activations 100000000 "$@"

echo_code='{"exec":{"kind":"nodejs:20","code":"function main(p){return p}"}}'
api PUT "actions/bench-echo" "$echo_code"
api PUT "actions/bench-fire-echo" "$echo_code"
for i in $(seq 1 "$COLD"); do
    api PUT "actions/bench-cold-$i" "$echo_code"
    api PUT "actions/bench-burst-$i" "$echo_code"
done
api PUT "triggers/bench-ruled" '{}'
api PUT "rules/bench-rule" '{"trigger":"bench-ruled","action":"bench-fire-echo"}'

# Latency client: sequential requests on one keep-alive connection, per-request wall time.
client="$ENGINE_DATA/latency.js"
cat >"$client" <<'JS'
'use strict';
const http = require('http');
const { execFileSync } = require('child_process');
const [url, key, mode, count] = process.argv.slice(2);
const base = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const auth = 'Basic ' + Buffer.from(key).toString('base64');

function post(path, body) {
    return new Promise((resolve, reject) => {
        const data = JSON.stringify(body);
        const started = process.hrtime.bigint();
        const req = http.request({ host: base.hostname, port: base.port, path, method: 'POST', agent,
            headers: { Authorization: auth, 'Content-Type': 'application/json',
                       'Content-Length': Buffer.byteLength(data) } }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c) => { text += c; });
            res.on('end', () => {
                const ms = Number(process.hrtime.bigint() - started) / 1e6;
                if (res.statusCode !== 200) {
                    reject(new Error(`${path}: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
                    return;
                }
                resolve(ms);
            });
        });
        req.on('error', reject);
        req.end(data);
    });
}

const pct = (values, p) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const invokePath = (name) => `/api/v1/namespaces/_/actions/${name}?blocking=true`;

(async () => {
    const n = Number(count);
    if (mode === 'warm') {
        for (let i = 0; i < 100; i++) await post(invokePath('bench-echo'), { i }); // warm-up
        const times = [];
        for (let i = 0; i < n; i++) times.push(await post(invokePath('bench-echo'), { i }));
        console.log(`${pct(times, 50).toFixed(3)} ${pct(times, 99).toFixed(3)}`);
    } else if (mode === 'cold') {
        await post(invokePath('bench-echo'), {}); // the connection itself is warm
        // First invokes of new actions spaced like a person creating and trying them (the
        // prewarmed runner is ready again each time), then back to back (it is not).
        const times = [];
        for (let i = 1; i <= n; i++) {
            await new Promise((r) => setTimeout(r, 500));
            times.push(await post(invokePath(`bench-cold-${i}`), { i }));
        }
        const burst = [];
        for (let i = 1; i <= n; i++) burst.push(await post(invokePath(`bench-burst-${i}`), { i }));
        const node = [];
        for (let i = 0; i < n; i++) {
            const started = process.hrtime.bigint();
            execFileSync(process.execPath, ['-e', '0']);
            node.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
        console.log(`${pct(times, 50).toFixed(3)} ${pct(node, 50).toFixed(3)} ${pct(burst, 50).toFixed(3)}`);
    }
    agent.destroy();
})().catch((e) => { console.error(`bench: ${e.message}`); process.exit(1); });
JS

activation_count() { # activation_count NAME
    curl -sf -u "$GUEST_KEY" "$ENGINE_URL/api/v1/namespaces/_/activations?name=$1&count=true" |
        sed -n 's/.*"activations":\([0-9]*\).*/\1/p'
}

echo "feedscope-engine invoke benchmark ($(nproc) cores, node $(node --version))"

read -r warm_p50 warm_p99 < <(node "$client" "$ENGINE_URL" "$GUEST_KEY" warm "$INVOKES")
printf '%-40s p50 %7s ms (target <= 2)   p99 %7s ms (target <= 10)\n' \
    "warm blocking invoke, keep-alive (N=$INVOKES)" "$warm_p50" "$warm_p99"

read -r cold_p50 node_p50 burst_p50 < <(node "$client" "$ENGINE_URL" "$GUEST_KEY" cold "$COLD")
printf '%-40s p50 %7s ms   node -e 0 p50 %7s ms   ratio %s (target <= 1.5)\n' \
    "cold start, new nodejs action (K=$COLD)" "$cold_p50" "$node_p50" "$(ratio "$cold_p50" "$node_p50")"
printf '%-40s p50 %7s ms   ratio to node -e 0 %s (no prewarmed runner left)\n' \
    "cold start, K new actions back to back" "$burst_p50" "$(ratio "$burst_p50" "$node_p50")"

script="$ENGINE_DATA/fire.lua"
post_script "$script" '{"event":"bench"}'
wrk_log="$ENGINE_DATA/wrk-fire.txt"
ping=$(wrk_rate "$ENGINE_URL/ping")
fires=$(WRK_LOG="$wrk_log" wrk_rate "$ENGINE_URL/api/v1/namespaces/_/triggers/bench-ruled" "$script")
accepted=$(awk '/requests in/ {print $1}' "$wrk_log")

# Let the queued action activations finish: wait until the count stops moving.
recorded=$(activation_count bench-fire-echo)
for _ in $(seq 1 600); do
    sleep 0.5
    now=$(activation_count bench-fire-echo)
    [ "$now" = "$recorded" ] && [ "$now" -ge "$accepted" ] && break
    recorded=$now
done
recorded=$(activation_count bench-fire-echo)
triggers=$(activation_count bench-ruled)

printf '%-40s %10s req/s\n' "GET /ping" "$ping"
printf '%-40s %10s req/s   ratio to /ping %s\n' "fire, 1 active rule -> nodejs echo (202)" \
    "$fires" "$(ratio "$fires" "$ping")"
tail=$((recorded - accepted))
if [ "$recorded" -ge "$accepted" ] && [ "$tail" -le "$CONNECTIONS" ]; then
    verdict="ok: every 202 persisted (in-flight tail $tail <= $CONNECTIONS connections)"
else
    verdict="MISMATCH: expected $accepted..$((accepted + CONNECTIONS))"
fi
echo "fires answered 202 by wrk: $accepted   action activations recorded: $recorded" \
     "  trigger activations: $triggers   $verdict"
