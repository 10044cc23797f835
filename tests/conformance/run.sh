#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the openwhisk-client-js conformance tests (node:test) against a feedscope-engine binary.
# Usage: FEEDSCOPE_ENGINE=/path/to/feedscope-engine tests/conformance/run.sh [extra node --test args]
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../support/run-node-suites.sh" "$here" "$@"
