#!/usr/bin/env bash
# Builds and runs the AsyncWait Swift peer (product `asyncwait-peer` of the Benchmarks package).
#
#   bench/peers/swift-runner.sh --build-only          # build once (release); exit 0 when ready
#   bench/peers/swift-runner.sh --workload W1 --n 10000 --variant tasks
#
# The run form builds first (an incremental no-op when up to date) unless
# ASYNCWAIT_PEER_NO_BUILD=1, which run_peers.py sets after its single --build-only call.
# Build output goes to stderr so stdout stays the peer's single JSON line.
# Exit 3: the Benchmarks package or the asyncwait-peer product is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PKG="$ROOT/Benchmarks"
BIN="$PKG/.build/release/asyncwait-peer"

if [[ ! -f "$PKG/Package.swift" ]]; then
    echo "swift-runner: $PKG/Package.swift not found (the asyncwait-peer product is not there yet)" >&2
    exit 3
fi
if ! grep -q 'asyncwait-peer' "$PKG/Package.swift"; then
    echo "swift-runner: $PKG/Package.swift declares no asyncwait-peer product" >&2
    exit 3
fi

build() {
    swift build -c release --package-path "$PKG" --product asyncwait-peer 1>&2
}

if [[ "${1:-}" == "--build-only" ]]; then
    build
    [[ -x "$BIN" ]] || { echo "swift-runner: build finished but $BIN is missing" >&2; exit 3; }
    exit 0
fi

if [[ "${ASYNCWAIT_PEER_NO_BUILD:-}" != "1" || ! -x "$BIN" ]]; then
    build
fi
exec "$BIN" "$@"
