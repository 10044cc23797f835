#!/usr/bin/env bash
# Crash safety of feedscope-engine: each round puts load on a fresh engine's data directory —
# fires on a trigger with a rule (6 connections back to back) and entity writes (actions and
# triggers rewritten in turn) — SIGKILLs the engine at a random moment and restarts it on the same
# directory. Beside it, a CouchDB `_changes` feed (pouchdb-server in memory), an SSE feed (the
# sample event service) and a one-second alarm run the whole time, their sources written to at a
# steady pace whether the engine is up or not. Afterwards (feedscope-bench-crash, bench/crash/):
#   every acknowledged write is present and intact (at its version or a later one that was sent),
#   every acknowledged fire has its record, every activation id named in a trigger record has a
#   record (repaired: recorded as failed at a restart), PRAGMA integrity_check is ok (quick_check
#   after every kill), the alarm fires on schedule after the last restart, and every document and
#   event fired its trigger exactly once.
# Last line: crash: acknowledged N, present N, repaired N, lost N
# Usage: bench/crash.sh [rounds]   (default 20; CRASH_SEED=n repeats a run's kill moments)
source "$(dirname "$0")/common.sh"
require node
rounds="${1:-20}"
CRASH_BIN="$BENCH_ROOT/build/bin/feedscope-bench-crash"
POUCHDB="$BENCH_ROOT/tests/e2e/node_modules/.bin/pouchdb-server"
EVENTS="$BENCH_ROOT/resources/samples/event-service.js"
[ -x "$CRASH_BIN" ] || { echo "bench: $CRASH_BIN not built (run ./test.sh first)" >&2; exit 1; }
[ -x "$POUCHDB" ] || { echo "bench: $POUCHDB missing (./test.sh installs it)" >&2; exit 1; }

# The engines, runners and services all live in the bench's own process group and its
# temporary directories under $work; both go on any exit.
work="$(mktemp -d)"
TMPDIR="$work" setsid "$CRASH_BIN" "$rounds" --seed "${CRASH_SEED:-0}" \
    --pouchdb-server "$POUCHDB" --event-service "$EVENTS" &
pid=$!
trap 'kill -- -$pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
wait $pid
