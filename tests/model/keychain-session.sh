#!/usr/bin/env bash
# Runs a test binary ($1) with a real Secret Service: a private D-Bus session bus (run this under
# dbus-run-session) and gnome-keyring-daemon in it, its login keyring unlocked with a throw-away
# password, everything in temporary directories that are removed afterwards.
set -euo pipefail
home="$(mktemp -d)"
runtime="$(mktemp -d)"
trap 'kill "${GNOME_KEYRING_PID:-}" 2>/dev/null || true; rm -rf "$home" "$runtime"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" XDG_RUNTIME_DIR="$runtime"
chmod 700 "$runtime"
eval "$(printf 'feedscope-test' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export GNOME_KEYRING_PID
"$@"
