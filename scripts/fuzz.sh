#!/usr/bin/env bash
# scripts/fuzz.sh [seconds-per-target] [target...]
# Builds the libFuzzer targets of fuzz/ in build-fuzz/ (clang, AddressSanitizer + UBSan) and runs
# each in turn for the given time (default 60 s) on a temporary copy of its seed corpus
# (fuzz/corpus/<target>/), so the repository's seeds stay as they are. Prints one line per
# target and a summary line; exits non-zero when any target crashed, keeping the crashing inputs
# in build-fuzz/crashes/<target>/. FEEDSCOPE_FUZZ_RUNS=N also stops a target after N executions
# (e.g. 1000000 with a generous time: fast targets stop early, slow ones at the time limit).
set -euo pipefail

FEEDSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$FEEDSCOPE_ROOT/scripts/setup.sh"

SECONDS_PER_TARGET="${1:-60}"
shift || true
FUZZ_BUILD="$FEEDSCOPE_ROOT/build-fuzz"
BUILD_LOCK=/tmp/feedscope-build.lock

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for source in "$FEEDSCOPE_ROOT"/fuzz/fuzz_*.cpp; do
        name="$(basename "$source" .cpp)"
        targets+=("${name#fuzz_}")
    done
fi

install_system_packages
install_fuzz_packages

if [ ! -f "$FUZZ_BUILD/build.ninja" ]; then
    echo "==> Configuring $FUZZ_BUILD (clang, libFuzzer, ASan + UBSan)"
    cmake -S "$FEEDSCOPE_ROOT" -B "$FUZZ_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER=clang++ -DFEEDSCOPE_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
fi
echo "==> Building ${#targets[@]} fuzz targets"
build_targets=()
for t in "${targets[@]}"; do build_targets+=(--target "fuzz_$t"); done
# The machine's cores are shared with other builds: compile under the common lock.
flock "$BUILD_LOCK" cmake --build "$FUZZ_BUILD" "${build_targets[@]}" -- -j"$(nproc)"

work="$(mktemp -d "${TMPDIR:-/tmp}/feedscope-fuzz.XXXXXX")"
fuzzer_pid=""
cleanup() {
    if [ -n "$fuzzer_pid" ] && kill -0 "$fuzzer_pid" 2>/dev/null; then
        kill "$fuzzer_pid" 2>/dev/null || true
        wait "$fuzzer_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

total_execs=0
total_crashes=0
for t in "${targets[@]}"; do
    corpus="$work/corpus/$t"
    artifacts="$work/artifacts/$t"
    mkdir -p "$corpus" "$artifacts" "$work/tmp/$t"
    if [ -d "$FEEDSCOPE_ROOT/fuzz/corpus/$t" ]; then
        cp -R "$FEEDSCOPE_ROOT/fuzz/corpus/$t/." "$corpus/"
    fi
    log="$work/$t.log"
    # One process, one job: the other core belongs to the machine's other work. A single input
    # running longer than 10 s counts as a crash (a hang); the harnesses' temporary stores go
    # to the work directory. No allocation stacks while fuzzing: recording them took half the
    # time of the API targets; a crash is run again with them below.
    (cd "$work" && TMPDIR="$work/tmp/$t" ASAN_OPTIONS="malloc_context_size=0" \
        exec "$FUZZ_BUILD/bin/fuzz_$t" \
        -max_total_time="$SECONDS_PER_TARGET" -runs="${FEEDSCOPE_FUZZ_RUNS:--1}" \
        -workers=1 -jobs=1 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1) &
    fuzzer_pid=$!
    status=0
    wait "$fuzzer_pid" || status=$?
    fuzzer_pid=""
    # With -jobs the run's own output is in fuzz-0.log.
    [ -f "$work/fuzz-0.log" ] && cat "$work/fuzz-0.log" >>"$log" && rm -f "$work/fuzz-0.log"
    execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)"
    execs="${execs:-0}"
    crashes="$(find "$artifacts" -type f | wc -l)"
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
        crashes=1 # died without an artifact (e.g. the harness failed to start)
    fi
    if [ "$crashes" -gt 0 ]; then
        keep="$FUZZ_BUILD/crashes/$t"
        rm -rf "$keep" # only this run's crashes
        mkdir -p "$keep"
        cp -R "$artifacts/." "$keep/" 2>/dev/null || true
        cp "$log" "$keep/fuzz.log"
        for input in "$artifacts"/*; do
            [ -f "$input" ] || continue
            # The same input again with full allocation stacks, for the diagnosis.
            (cd "$work" && TMPDIR="$work/tmp/$t" timeout 60 "$FUZZ_BUILD/bin/fuzz_$t" "$input" \
                >"$keep/$(basename "$input").log" 2>&1) || true
        done
        echo "fuzz $t: crash details in $keep/" >&2
    fi
    echo "fuzz $t: $execs execs, $crashes crashes"
    total_execs=$((total_execs + execs))
    total_crashes=$((total_crashes + crashes))
done

echo "fuzz: ${#targets[@]} targets, $total_execs execs, $total_crashes crashes"
[ "$total_crashes" -eq 0 ]
