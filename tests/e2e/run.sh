#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the end-to-end tests of the feed-pattern templates (node:test, *.test.js): each file starts
# a feedscope-engine and the sample event service, deploys one template from resources/templates/
# and drives a trigger through its whole feed lifecycle.
# Usage: FEEDSCOPE_ENGINE=/path/to/feedscope-engine tests/e2e/run.sh [extra node --test args]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ -z "${FEEDSCOPE_ENGINE:-}" ]]; then
    echo "run.sh: FEEDSCOPE_ENGINE must be set to the feedscope-engine binary" >&2
    exit 2
fi
if [[ ! -x "$FEEDSCOPE_ENGINE" ]]; then
    echo "run.sh: FEEDSCOPE_ENGINE=$FEEDSCOPE_ENGINE is not an executable file" >&2
    exit 2
fi
if ! command -v node >/dev/null 2>&1; then
    echo "run.sh: node is not installed" >&2
    exit 2
fi
if [[ ! -f "$here/node_modules/openwhisk/package.json" ]]; then
    echo "run.sh: $here/node_modules is missing (the openwhisk npm package is needed)." >&2
    echo "run.sh: run ./test.sh at the repository root (it installs the npm packages)," >&2
    echo "run.sh: or run 'npm ci' in $here yourself." >&2
    exit 2
fi

cd "$here"
shopt -s nullglob
files=(./*.test.js)
if (( ${#files[@]} == 0 )); then
    echo "run.sh: no *.test.js files in $here" >&2
    exit 2
fi
# Each file starts its own engine, data directory and event service: files may run in parallel.
exec node --test --test-reporter=spec "$@" "${files[@]}"
