#!/usr/bin/env bash
# The sanitizer stage: the suites that parse outside input (the HTTP library, the engine) built with
# AddressSanitizer and UBSan in build-asan and run there, the engine child processes included.
# Only the targets those suites need are built. Usage: scripts/sanitize.sh [label-regex]
# (default '^(http|engine)$'; '^(http|engine|model)$' adds the model suites).
set -euo pipefail
cd "$(dirname "$0")/.."
labels="${1:-^(http|engine)\$}"
echo "==> Sanitizer build (build-asan: $labels)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFEEDSCOPE_SANITIZE=ON \
    ${FEEDSCOPE_CMAKE_ARGS:-} >/dev/null
mapfile -t suites < <(cd build-asan && ctest -N -L "$labels" | sed -n 's/^ *Test *#[0-9]*: //p')
cmake --build build-asan $(printf -- '--target %s ' "${suites[@]}") -- -j"$(nproc)"
echo "==> Sanitizer suites"
cd build-asan
ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure -j"$(nproc)" --timeout 900 -L "$labels"
