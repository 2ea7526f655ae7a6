#!/usr/bin/env bash
# Quick start: install the dependencies, build, and validate a shipped real dump.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build/release -j"$(nproc)"
build/release/validator/hdvalidate --summary corpus/real/go1.4.3-linux-amd64-minimal.heapdump
