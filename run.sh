#!/usr/bin/env bash
# Installs what is missing, builds, and starts feedscope-engine in the foreground on
# http://127.0.0.1:3233 (Ctrl-C stops it). Extra arguments go to the engine.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
feedscope_setup
exec "$BUILD_DIR/bin/feedscope-engine" "$@"
