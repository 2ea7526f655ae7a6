#!/usr/bin/env bash
# The whole test suite: a gcc build and a clang ASan+UBSan build (with the fuzz targets and bounded fuzz
# smoke runs: libFuzzer 20 s and AFL++ 10 s per target), both -Werror, both through ctest. Ends with ctest's
# summary of the gcc build.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

cmake -S . -B build/asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DHD_SANITIZE=ON -DHD_FUZZ=ON -DHD_FUZZ_AFL=ON
cmake --build build/asan -j"$jobs"
cmake -S . -B build/release -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build/release -j"$jobs"

# Sanitizer run first. The producer tests (the CLI on Go-written dumps) and the install tests (an installed library
# and a program linked against it without the sanitizer runtime) run once, in the gcc build below.
(cd build/asan && ctest --output-on-failure -j"$jobs" -LE "producer|install")
cd build/release && ctest --output-on-failure -j"$jobs" -LE fuzz-smoke
