#!/bin/sh
# libfuzzer_smoke.sh — bounded libFuzzer run of one target (the ctest "fuzz-smoke" tests).
#
#   libfuzzer_smoke.sh TARGET_BINARY SEED_DIR WORK_DIR SECONDS [DICT]
#
# Copies SEED_DIR to WORK_DIR/corpus (the checked-in seeds are never written to), then fuzzes for SECONDS with
# one process, a 2 GiB RSS limit and a 10 s per-input timeout. Crash inputs go to WORK_DIR/ (crash-*, leak-*,
# timeout-*, oom-*). Exit status: libFuzzer's (0 when nothing was found).
set -eu
bin=$1 seeds=$2 work=$3 secs=$4 dict=${5:-}
rm -rf "$work"
mkdir -p "$work/corpus"
if [ -d "$seeds" ]; then
  cp "$seeds"/* "$work/corpus/" 2>/dev/null || true
fi
set -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=16384 -print_final_stats=1 \
  -artifact_prefix="$work/"
if [ -n "$dict" ] && [ -f "$dict" ]; then
  set -- "$@" -dict="$dict"
fi
echo "libfuzzer_smoke: $bin $* $work/corpus"
status=0
"$bin" "$@" "$work/corpus" >"$work/log" 2>&1 || status=$?
tail -n 40 "$work/log"
if [ "$status" -ne 0 ]; then
  echo "libfuzzer_smoke: FAILED (exit $status); artifacts:" >&2
  ls -l "$work" >&2
fi
exit "$status"
