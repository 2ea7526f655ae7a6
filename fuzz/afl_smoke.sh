#!/bin/sh
# afl_smoke.sh — build one fuzz target with AFL++ (afl-clang-fast -fsanitize=fuzzer: AFL's libFuzzer driver,
# persistent shared-memory mode, ASan+UBSan) and fuzz it for a bounded time. The ctest "fuzz-afl" tests.
#
#   afl_smoke.sh TARGET WORK_DIR [SECONDS] [LIB_SOURCES_FILE] [LIB_INCLUDES_FILE]
#
#   TARGET             fuzz_reader, fuzz_stream, fuzz_roundtrip, fuzz_generate (fuzz/TARGET.c)
#   WORK_DIR           scratch directory (recreated): the binary, the seed copy, afl-fuzz's output
#   SECONDS            afl-fuzz -V (default 10)
#   LIB_SOURCES_FILE   the library sources, one per line (the build writes build/fuzz/lib_sources.txt);
#                      default: every validator/*.c and generator/*.c without a main()
#   LIB_INCLUDES_FILE  include directories, one per line (build/fuzz/lib_includes.txt)
#
# Environment: HD_AFL_CC (afl-clang-fast), HD_AFL_FUZZ (afl-fuzz) — not AFL_CC, which afl-cc itself reads
# as "the real compiler". Fails (exit 1) when afl-fuzz saved a crash or hang (afl-fuzz itself exits 0 even
# then: the counts in fuzzer_stats are what matter), or when it did not run.
set -eu

target=$1 work=$2 secs=${3:-10} srcs=${4:-} incs=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
cc=${HD_AFL_CC:-afl-clang-fast}
fuzz=${HD_AFL_FUZZ:-afl-fuzz}

rm -rf "$work"
mkdir -p "$work/in" "$work/obj"

# ---- sources ----
if [ -n "$srcs" ] && [ -f "$srcs" ]; then
  grep -v '^$' "$srcs" >"$work/sources.txt"
else
  for f in "$top"/codec/*.c "$top"/validator/*.c "$top"/generator/*.c; do
    grep -q '^int main' "$f" || echo "$f"
  done >"$work/sources.txt"
fi
set -- -I"$top/include" -I"$top/codec" -I"$top/validator" -I"$top/generator" -I"$here"
if [ -n "$incs" ] && [ -f "$incs" ]; then
  while IFS= read -r d; do [ -n "$d" ] && set -- "$@" -I"$d"; done <"$incs"
fi

# ---- build: ASan + UBSan via AFL's wrappers, the libFuzzer driver via -fsanitize=fuzzer ----
export AFL_USE_ASAN=1 AFL_USE_UBSAN=1 AFL_QUIET=1
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer"
i=0
while IFS= read -r f; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  "$cc" $flags "$@" -c "$f" -o "$work/obj/$i.o"
done <"$work/sources.txt"
# shellcheck disable=SC2086
"$cc" $flags "$@" -fsanitize=fuzzer "$here/$target.c" "$work"/obj/*.o -pthread -o "$work/$target"

# ---- seeds: the target's corpus (fuzz_generate: its own, else fuzz_reader's) ----
seeds="$here/corpus/$target"
[ -d "$seeds" ] || seeds="$here/corpus/fuzz_reader"
cp "$seeds"/* "$work/in/"
# afl-fuzz refuses empty seed files
find "$work/in" -type f -size 0 -delete

# ---- fuzz ----
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
export AFL_FAST_CAL=1
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
"$fuzz" -V "$secs" -m none -t 5000 -x "$here/heapdump.dict" -i "$work/in" -o "$work/out" -- "$work/$target" \
  >"$work/afl.log" 2>&1 || { tail -n 30 "$work/afl.log"; echo "afl_smoke: afl-fuzz failed" >&2; exit 1; }

stats="$work/out/default/fuzzer_stats"
if [ ! -f "$stats" ]; then
  tail -n 30 "$work/afl.log"
  echo "afl_smoke: no fuzzer_stats: afl-fuzz did not run" >&2
  exit 1
fi
get() { sed -n "s/^$1 *: *//p" "$stats"; }
crashes=$(get saved_crashes)
hangs=$(get saved_hangs)
echo "afl_smoke: $target: execs_done=$(get execs_done) execs_per_sec=$(get execs_per_sec)" \
  "corpus_count=$(get corpus_count) edges_found=$(get edges_found) bitmap_cvg=$(get bitmap_cvg)" \
  "saved_crashes=$crashes saved_hangs=$hangs"
if [ "${crashes:-0}" -gt 0 ] || [ "${hangs:-0}" -gt 0 ]; then
  echo "afl_smoke: FAILED: crash/hang inputs in $work/out/default/crashes and .../hangs" >&2
  ls -l "$work/out/default/crashes" "$work/out/default/hangs" >&2 || true
  exit 1
fi
exit 0
