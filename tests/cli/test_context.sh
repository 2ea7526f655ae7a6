#!/usr/bin/env bash
# hdvalidate --context: under each diagnostic, its record (marked '>') with N records on either side and the
# record a cross-reference rule refers to (marked '='); the same from a file, a pipe and standard input
# redirected from a file; no context for a compressed dump; more diagnostics than the collector holds
# (HD_TEXT_CTX_MAX) are all reported, in order. usage: test_context.sh HDVALIDATE HDASM SOURCE_DIR
set -u
hdv=$1 hdasm=$2 src=$3
pass=0 fail=0
ok() { pass=$((pass + 1)); }
nok() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
case=$src/corpus/conformance/n_T107_itab_twice.hd

"$hdv" --context "$case" >"$tmp/file" 2>&1; rc=$?
marked=$(grep -c '^    > 0x00000046 #3 itab addr=0x4d0000' "$tmp/file")
related=$(grep -c '^    = 0x0000003d #2 itab .*;; another itab with this address' "$tmp/file")
around=$(grep -cE '^      0x[0-9a-f]{8} #[0-9]+ ' "$tmp/file")
if [ $rc -eq 1 ] && [ "$marked" -eq 1 ] && [ "$related" -eq 1 ] && [ "$around" -eq 4 ]; then ok
else nok "--context on a file: exit $rc, marked $marked, related $related, around $around"; cat "$tmp/file"; fi

"$hdv" --context=0 "$case" >"$tmp/zero" 2>&1
n=$(grep -cE '^      0x' "$tmp/zero")
if [ "$n" -eq 0 ] && grep -q '^    > ' "$tmp/zero"; then ok; else nok "--context=0 shows $n records around"; fi

cat "$case" | "$hdv" --context - >"$tmp/pipe" 2>&1
"$hdv" --context - <"$case" >"$tmp/stdin" 2>&1
if diff <(sed 's/^[^:]*:/F:/' "$tmp/file") <(sed 's/^[^:]*:/F:/' "$tmp/pipe") >/dev/null &&
   cmp -s "$tmp/pipe" "$tmp/stdin"; then ok; else nok "file, pipe and standard input differ"; fi

# Without --context the diagnostic lines are the same, only the context lines are new.
"$hdv" "$case" >"$tmp/plain" 2>&1
if diff <(grep -v '^    ' "$tmp/file") "$tmp/plain" >/dev/null; then ok; else nok "--context changed the diagnostics"; fi

if "$hdv" --context "$src/corpus/conformance/y_go17_goroutine.hd" | grep -q '^    '; then nok "context for a valid dump"; else ok; fi

if command -v gzip >/dev/null; then
  gzip -c "$case" >"$tmp/c.hd.gz"
  "$hdv" --context "$tmp/c.hd.gz" >"$tmp/gz" 2>&1; rc=$?
  if [ $rc -eq 1 ] && grep -q 'error\[T107\]' "$tmp/gz" && ! grep -q '^    ' "$tmp/gz"; then ok
  else nok "compressed dump: exit $rc"; cat "$tmp/gz"; fi
fi

"$hdv" --context --format=json "$case" >/dev/null 2>&1; rc=$?
if [ $rc -eq 2 ]; then ok; else nok "--context with json: exit $rc, want 2"; fi
for bad in --context=x --context=101 --context=-1; do
  "$hdv" "$bad" "$case" >/dev/null 2>&1; rc=$?
  if [ $rc -eq 2 ]; then ok; else nok "$bad: exit $rc, want 2"; fi
done

# 10500 itabs at one address: 10499 T107 findings, more than the 10000 the collector holds.
{
  sed -n '/^header/,/^itab/p' "$src/corpus/conformance/n_T107_itab_twice.hdt" | grep -v '^itab'
  for i in $(seq 10500); do echo "itab addr=0x4d0000 type=0x4a0000"; done
  sed -n '/^itab/,$p' "$src/corpus/conformance/n_T107_itab_twice.hdt" | grep -v '^itab'
} >"$tmp/many.hdt"
if "$hdasm" "$tmp/many.hdt" -o "$tmp/many.hd" 2>"$tmp/asm.err"; then
  "$hdv" --context=0 --all-findings --max-errors=0 "$tmp/many.hd" >"$tmp/many" 2>&1; rc=$?
  d=$(grep -c 'error\[T107\]' "$tmp/many"); m=$(grep -c '^    > ' "$tmp/many")
  first=$(grep -m1 'error\[T107\]' "$tmp/many" | grep -o 'record #[0-9]*')
  last=$(grep 'error\[T107\]' "$tmp/many" | tail -1 | grep -o 'record #[0-9]*')
  if [ $rc -eq 1 ] && [ "$d" -eq 10499 ] && [ "$m" -eq 10000 ] && [ "$first" = "record #3" ] &&
     [ "$last" = "record #10501" ]; then ok
  else nok "10499 findings: exit $rc, $d shown, $m with context, first $first, last $last"; fi
else nok "hdasm many.hdt"; cat "$tmp/asm.err"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
