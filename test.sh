#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest, in parallel).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
feedscope_setup
echo "==> Testing"
cd "$BUILD_DIR"
ctest --output-on-failure -j"$(nproc)" --timeout 600 "$@"
