#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the tests of the sample event service (resources/samples/event-service.js) with Node's
# built-in test runner. No npm packages needed. Exits non-zero when a test fails.
# Usage: tests/samples/run.sh [extra node --test args]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
node="${NODE:-node}"

if ! command -v "$node" >/dev/null 2>&1; then
    echo "run.sh: node is not installed" >&2
    exit 2
fi

cd "$here"
exec "$node" --test --test-reporter=spec "$@" ./eventservice.test.js
