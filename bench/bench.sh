#!/usr/bin/env bash
# Validation throughput (MB/s) and peak RSS of hdvalidate on the real dumps, and on a large generated dump
# when hdgen is built. usage: bench/bench.sh [BUILD_DIR] [SIZE]   (defaults: build/release, 1G)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release} size=${2:-1G}
[ -x "$build/bench/hdbench" ] || { echo "build first: cmake --build $build"; exit 2; }
files=(corpus/real/*.heapdump)
if [ -x "$build/generator/hdgen" ]; then
  big=$(mktemp --suffix=.hd); trap 'rm -f "$big"' EXIT
  "$build/generator/hdgen" --seed 7 --size "$size" -o "$big"
  files+=("$big")
fi
"$build/bench/hdbench" --repeat 3 "${files[@]}"
# The CLI end to end, with the kernel's view of peak memory:
for f in "${files[@]}"; do
  /usr/bin/time -f "hdvalidate $(basename "$f"): %e s, peak RSS %M KiB" "$build/validator/hdvalidate" -q "$f" || true
done
