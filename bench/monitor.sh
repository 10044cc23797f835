#!/usr/bin/env bash
# The live monitor's ingest (issue G): the real ActivationTableModel, its filter proxy and a
# QTableView following the newest row, offscreen, fed with synthetic activation records; event-loop
# lag measured with a 5 ms heartbeat. Targets: 10,000 rows/s for 60 s lag p99 <= 16 ms and
# max <= 50 ms; a 50,000 rows/s burst for 5 s max <= 100 ms; <= 200 bytes per retained row.
# Last line:
#   monitor: 10k rows/s lag p99 X ms max Y ms; burst max Z ms; N bytes/row
# Usage: bench/monitor.sh [steady-seconds=60] [rate=10000] [burst-seconds=5] [burst-rate=50000]
# (The end-to-end line — HTTP POST to a row in the table, push against 2-second polling — needs
# the monitor views and is not measured yet.)
set -euo pipefail
BENCH_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$BENCH_ROOT/build/bin/feedscope-bench-monitor"
[ -x "$BIN" ] || { echo "bench: $BIN not built (run ./test.sh first)" >&2; exit 1; }
QT_QPA_PLATFORM=offscreen "$BIN" "${1:-60}" "${2:-10000}" "${3:-5}" "${4:-50000}" 2>/dev/null
