#!/usr/bin/env bash
# Every ```hdt block of docs/textform.md assembles, and its bytes come back through hddump --contents | hdasm
# unchanged: the grammar's examples cannot drift from the tools.
#   usage: docs.sh HDDUMP HDASM DOC
set -uo pipefail
hddump=$1 hdasm=$2 doc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '/^```hdt$/ { n++; f = dir "/block" n ".hdt"; next } /^```$/ { f = "" } f != "" { print > f }' "$doc"
pass=0 fail=0
for b in "$tmp"/block*.hdt; do
    if ! "$hdasm" "$b" -o "$b.bin" 2> "$tmp/err"; then
        echo "FAIL $(basename "$b"): $(head -1 "$tmp/err")"; fail=$((fail + 1)); continue
    fi
    "$hddump" --contents "$b.bin" | "$hdasm" - -o "$b.back"
    if cmp -s "$b.bin" "$b.back"; then pass=$((pass + 1)); else echo "FAIL $(basename "$b"): round trip"; fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -ge 5 ]
