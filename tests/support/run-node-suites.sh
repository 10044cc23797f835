#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the node:test suites (*.test.js) of one test directory against a feedscope-engine binary,
# after checking that the binary, node and the directory's npm packages are there.
# Usage: FEEDSCOPE_ENGINE=/path/to/feedscope-engine tests/support/run-node-suites.sh DIR [node --test args]
set -euo pipefail
dir="$(cd "$1" && pwd)"
shift

if [[ -z "${FEEDSCOPE_ENGINE:-}" ]]; then
    echo "run: FEEDSCOPE_ENGINE must be set to the feedscope-engine binary" >&2
    exit 2
fi
if [[ ! -x "$FEEDSCOPE_ENGINE" ]]; then
    echo "run: FEEDSCOPE_ENGINE=$FEEDSCOPE_ENGINE is not an executable file" >&2
    exit 2
fi
if ! command -v node >/dev/null 2>&1; then
    echo "run: node is not installed" >&2
    exit 2
fi
if [[ ! -f "$dir/node_modules/openwhisk/package.json" ]]; then
    echo "run: $dir/node_modules is missing (the openwhisk npm package is needed)." >&2
    echo "run: run ./test.sh at the repository root (it runs 'npm ci' there), or 'npm ci' in $dir." >&2
    exit 2
fi

cd "$dir"
shopt -s nullglob
files=(./*.test.js)
if (( ${#files[@]} == 0 )); then
    echo "run: no *.test.js files in $dir" >&2
    exit 2
fi
# Each file starts its own engine and data directory (and services), so files run in parallel.
exec node --test --test-reporter=spec "$@" "${files[@]}"
