#!/usr/bin/env bash
# Shared by run.sh and test.sh: install what is missing, then configure and build into build/.
# Re-running on a ready machine installs nothing and rebuilds incrementally.
set -euo pipefail

FEEDSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="$FEEDSCOPE_ROOT/build"

# Debian 12 packages: toolchain, Qt 6.4 (Core, Network, Sql + SQLite driver, HttpServer,
# WebSockets, Widgets, Test) with its platform plugins and a font for the GUI, QtKeychain,
# yaml-cpp, the sqlite3 tool, D-Bus and gnome-keyring (a real keychain for its test), the load generator of the benchmarks, and Xvfb/ImageMagick/xdotool
# to look at the GUI headless.
APT_PACKAGES=(
    build-essential cmake ninja-build pkg-config git curl ca-certificates python3
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev libqt6sql6-sqlite
    qt6-qpa-plugins fonts-dejavu-core
    qtkeychain-qt6-dev libyaml-cpp-dev libgl-dev sqlite3 dbus gnome-keyring
    wrk xvfb xauth imagemagick xdotool
)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_system_packages() {
    local missing=()
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    # Node.js 20: keep the machine's own if it has one, otherwise Debian's.
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> Installing Debian packages: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    fi
}

# Only scripts/fuzz.sh needs these (the normal build uses gcc): clang and its libFuzzer and
# sanitizer runtimes.
FUZZ_APT_PACKAGES=(clang libclang-rt-dev)

install_fuzz_packages() {
    local missing=()
    for p in "${FUZZ_APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> Installing Debian packages for fuzzing: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    fi
}

# npm packages pinned by lock files; reinstalled only when a lock file changed.
install_npm_packages() {
    local dir
    for dir in resources/runtimes/nodejs tests/conformance tests/e2e; do
        local lock="$FEEDSCOPE_ROOT/$dir/package-lock.json"
        local stamp="$FEEDSCOPE_ROOT/$dir/node_modules/.feedscope-lock"
        [ -f "$lock" ] || continue
        if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
            echo "==> npm ci in $dir"
            (cd "$FEEDSCOPE_ROOT/$dir" && npm ci --no-audit --no-fund --loglevel=error)
            cp "$lock" "$stamp"
        fi
    done
}

# build_project [target...]: everything by default.
build_project() {
    if [ ! -f "$BUILD_DIR/build.ninja" ]; then
        echo "==> Configuring"
        cmake -S "$FEEDSCOPE_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            ${FEEDSCOPE_CMAKE_ARGS:-} >/dev/null
    fi
    echo "==> Building"
    local targets=()
    for t in "$@"; do targets+=(--target "$t"); done
    cmake --build "$BUILD_DIR" "${targets[@]}" -- -j"$(nproc)"
}

# feedscope_setup [target...]: install what is missing, then build (everything by default).
feedscope_setup() {
    install_system_packages
    install_npm_packages
    build_project "$@"
}
