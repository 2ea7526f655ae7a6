#!/usr/bin/env bash
# The man pages and --help list the same options (so that neither drifts from the other).
# usage: test_man.sh MAN_DIR TOOL...   (each TOOL is an executable whose man page is MAN_DIR/<name>.1)
set -u
man=$1; shift
pass=0 fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for tool in "$@"; do
  name=$(basename "$tool")
  page=$man/$name.1
  if [ ! -f "$page" ]; then fail=$((fail + 1)); echo "FAIL: no man page $page"; continue; fi
  # --help: the option lines ("  -q, --quiet   ..."), their leading option names
  # (the part before the description column, e.g. "-C N, --context=N": -C and --context)
  "$tool" --help 2>&1 | grep -E '^  -' | sed -E 's/^  //; s/  .*//' | grep -oE '(^|, )-{1,2}[a-zA-Z][-a-zA-Z]*' |
    sed 's/^, //' | sort -u >"$tmp/help"
  # the man page: the first line of each .TP item ("\fB\-q\fR, \fB\-\-quiet\fR"), its option names
  awk '/^\.TP/ {getline; print}' "$page" | sed 's/\\-/-/g' | grep -oE '\\fB-[-a-zA-Z]+' | sed 's/\\fB//' |
    sort -u >"$tmp/man"
  if [ "$(wc -l <"$tmp/help")" -lt 3 ]; then fail=$((fail + 1)); echo "FAIL: $name: no options read from --help"
  elif cmp -s "$tmp/help" "$tmp/man"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: $name: --help and $page list different options:"; diff "$tmp/help" "$tmp/man"; fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
