#!/usr/bin/env bash
# Every real dump listed in corpus/real/expected.txt gets its verdict, with no error, and its expectations.
# usage: test_real.sh HDVALIDATE CORPUS_REAL_DIR
set -u
hdv=$1 dir=$2 pass=0 fail=0
while read -r file verdict expects; do
  case $file in ''|'#'*) continue ;; esac
  args=()
  for e in $expects; do args+=(--expect "$e"); done
  out=$("$hdv" --max-errors=0 "${args[@]}" "$dir/$file" 2>&1); rc=$?
  want=0; [ "$verdict" = invalid ] && want=1
  errs=$(grep -c 'error\[' <<<"$out")
  if [ "$rc" -eq "$want" ] && { [ "$verdict" = invalid ] || [ "$errs" -eq 0 ]; }; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL $file (exit $rc, want $want):"; head -n 20 <<<"$out"
  fi
done < "$dir/expected.txt"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
