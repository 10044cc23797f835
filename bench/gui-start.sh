#!/usr/bin/env bash
# How fast Feedscope opens, offscreen, median of RUNS (default 10) runs on one machine:
#   window    process start → the main window's first paint
#   explorer  process start → the namespace listed in the explorer (the local engine started
#             by the app included; the namespace holds ~100 entities from an earlier run)
# then the explorer over a namespace of 10,000 entities (feedscope-bench-explorer): populate
# (first refresh to the painted tree) and the worst filter keystroke. Targets: window <= 400 ms,
# explorer <= 1.5 s, populate <= 1 s, filter <= 16 ms. Compare runs on the same machine.
source "$(dirname "$0")/common.sh"
require curl
FEEDSCOPE="$BENCH_ROOT/build/bin/feedscope"
EXPLORER_BENCH="$BENCH_ROOT/build/bin/feedscope-bench-explorer"
RUNS="${RUNS:-10}"
ENTITIES="${BENCH_ENTITIES:-10000}"
for b in "$FEEDSCOPE" "$EXPLORER_BENCH"; do
    [ -x "$b" ] || { echo "bench: $b not built (run ./test.sh first)" >&2; exit 1; }
done
export QT_QPA_PLATFORM=offscreen

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

# A namespace like a user's: an engine on the app's data directory, ~100 entities, stopped again.
"$ENGINE" --port "$port" --data "$work/engine" --no-prewarm >"$work/engine.out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/engine.out" && break; sleep 0.05; done
ENGINE_URL="http://127.0.0.1:$port"
for i in $(seq 1 40); do
    api PUT "actions/a$i" '{"exec":{"kind":"nodejs:20","code":"function main(p){return p}"}}'
    api PUT "triggers/t$i" '{}'
done
for i in $(seq 1 20); do api PUT "rules/r$i" "{\"trigger\":\"t$i\",\"action\":\"a$i\"}"; done
kill "$pid"; wait "$pid" 2>/dev/null || true

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
windows=()
explorers=()
for run in $(seq 1 "$RUNS"); do
    start="$(date +%s%3N)"
    FEEDSCOPE_STARTUP_PROBE=1 timeout 60 "$FEEDSCOPE" --state "$work/state" --profiles "$work/profiles.json" \
        --engine-data "$work/engine" --engine-port "$port" --no-demo >"$work/run.out" 2>/dev/null || {
        echo "bench: feedscope run $run failed" >&2; cat "$work/run.out" >&2; exit 1; }
    shown="$(awk '/^window-shown/ {print $2}' "$work/run.out")"
    populated="$(awk '/^explorer-populated/ {print $2}' "$work/run.out")"
    [ -n "$shown" ] && [ -n "$populated" ] || { echo "bench: run $run did not report" >&2; cat "$work/run.out" >&2; exit 1; }
    windows+=("$((shown - start))")
    explorers+=("$((populated - start))")
done
window="$(printf '%s\n' "${windows[@]}" | median)"
explorer="$(printf '%s\n' "${explorers[@]}" | median)"
echo "startup, $RUNS runs (ms): window ${windows[*]}  explorer ${explorers[*]}"
echo "median: window $window ms (target <= 400), explorer populated $explorer ms (target <= 1500, engine start included)"

big="$("$EXPLORER_BENCH" "$ENTITIES" 2>/dev/null)" || { echo "bench: the explorer bench failed" >&2; exit 1; }
echo "$ENTITIES entities: $(tr '\n' ';' <<<"$big")"
populate="$(awk '/^populate/ {print $2}' <<<"$big")"
filter="$(awk '/^filter/ {print $6}' <<<"$big")"
echo "gui-start: window $window ms, explorer $explorer ms; 10k entities: populate $populate ms, filter $filter ms"
