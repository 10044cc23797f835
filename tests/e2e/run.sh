#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the end-to-end tests of the feed-pattern templates (node:test, *.test.js): each file starts
# a feedscope-engine and the sample event service, deploys one template from resources/templates/
# and drives a trigger through its whole feed lifecycle.
# Usage: FEEDSCOPE_ENGINE=/path/to/feedscope-engine tests/e2e/run.sh [extra node --test args]
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../support/run-node-suites.sh" "$here" "$@"
