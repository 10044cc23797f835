#!/usr/bin/env bash
# Soak (issue H): mixed load against one engine for SECONDS (default 600) — fires of a trigger
# with a rule, blocking invokes, list calls, activity-stream WebSocket clients connecting and
# leaving, alarm feeds firing every second into a rule, alarm feed triggers created and deleted
# through the feed action (bench/soak.js) — sampling the engine's RSS, open descriptors and
# child processes every second. Growth is measured after the warm-up (SOAK_WARMUP, default a
# fifth of the run up to 60 s): the first minute after it against the run's last minute.
# Goal: RSS growth under 5 %, no descriptor or process growth, last p99 within 1.5x of the first.
# Last line: soak: rss growth X %, fds +N, children +N, p99 first X ms last Y ms
# Usage: bench/soak.sh [seconds]   (SOAK_WORKERS=4 SOAK_PACE_MS=50 SOAK_ALARMS=5)
source "$(dirname "$0")/common.sh"
require node
require curl
SECONDS_TO_RUN="${1:-600}"
[ "$SECONDS_TO_RUN" -ge 150 ] || { echo "bench: a soak needs at least 150 s (warm-up, two minutes)" >&2; exit 1; }

start_engine
echo "soak: $SECONDS_TO_RUN s against feedscope-engine (pid $ENGINE_PID, $(nproc) cores)"
FEEDSCOPE_URL="$ENGINE_URL" ENGINE_PID="$ENGINE_PID" GUEST_KEY="$GUEST_KEY" \
    SOAK_SECONDS="$SECONDS_TO_RUN" node "$(dirname "$0")/soak.js"
