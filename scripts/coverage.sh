#!/usr/bin/env bash
# Line and branch coverage of the library by the test suite (gcc --coverage + gcovr). Not part of test.sh:
# a measurement. usage: scripts/coverage.sh [BUILD_DIR]   (default build/coverage)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/coverage}
cmake -S . -B "$build" -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS=--coverage \
      -DCMAKE_EXE_LINKER_FLAGS=--coverage >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
find "$build" -name '*.gcda' -delete
(cd "$build" && ctest -j"$(nproc)" -LE 'producer|fuzz-smoke' >/dev/null) || true
for dir in validator generator; do
  echo "== $dir/"
  gcovr -r . --object-directory "$build" --filter "$dir/" --exclude ".*/cli/.*" -s 2>/dev/null | tail -n 3
done
