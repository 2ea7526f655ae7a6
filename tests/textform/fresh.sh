#!/usr/bin/env bash
# Every hand-written case has one source, its text (*.hdt); the binary beside it (*.hd, for tools and docs)
# must be exactly its assembly, and no binary may be without its text.
#   usage: fresh.sh HDASM DIR
set -uo pipefail
hdasm=$1 dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for t in "$dir"/*.hdt; do
    b=${t%.hdt}.hd
    if ! "$hdasm" "$t" -o "$tmp/out.hd" 2> "$tmp/err"; then
        echo "FAIL $(basename "$t"): $(head -1 "$tmp/err")"; fail=$((fail + 1))
    elif ! cmp -s "$tmp/out.hd" "$b"; then
        echo "FAIL $(basename "$b"): missing or not the assembly of its .hdt (regenerate: see $dir/README.md)"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
done
for b in "$dir"/*.hd; do
    [ -e "${b%.hd}.hdt" ] || { echo "FAIL $(basename "$b"): no .hdt source"; fail=$((fail + 1)); }
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
