#!/usr/bin/env bash
# The hdvalidate command line: exit codes, output formats, stdin, several files, rule table and docs.
# usage: test_cli.sh HDVALIDATE PROJECT_SOURCE_DIR
set -u
hdv=$1 src=$2 pass=0 fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
good=$src/corpus/conformance/y_go17_ptr8_minimal.hd
bad=$src/corpus/conformance/n_S105_params_bool_2.hd
real=$src/corpus/real/go1.4.3-linux-amd64-minimal.heapdump

ok()   { pass=$((pass + 1)); }
nok()  { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect_exit CODE DESCRIPTION -- command...
expect_exit() {
  local want=$1 what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ "$rc" -eq "$want" ]; then ok; else nok "$what: exit $rc, want $want"; cat "$tmp/out" "$tmp/err" | head -5; fi
}
contains() { if grep -q -- "$2" "$tmp/out"; then ok; else nok "$1: output lacks '$2'"; head -5 "$tmp/out"; fi; }

expect_exit 0 "--version" -- "$hdv" --version;            contains "--version" "^hdvalidate [0-9]"
expect_exit 0 "--help" -- "$hdv" --help;                  contains "--help" "Exit status"
expect_exit 2 "no file" -- "$hdv"
expect_exit 2 "unknown option" -- "$hdv" --bogus "$good"
expect_exit 2 "bad format" -- "$hdv" --format=xml "$good"
expect_exit 2 "missing file" -- "$hdv" "$tmp/none.bin"
expect_exit 2 "malformed --expect" -- "$hdv" --expect 'goroutine ~ 3' "$good"
expect_exit 2 "directory" -- "$hdv" "$tmp"

expect_exit 0 "valid file" -- "$hdv" "$good";             contains "valid verdict" ": valid: go1.7 heap dump"
expect_exit 1 "invalid file" -- "$hdv" "$bad"
contains "diagnostic line" "n_S105_params_bool_2.hd:0x11: error\[S105\]: params big-endian bool is 2, not 0 or 1 (record #0, params)"
contains "invalid verdict" ": INVALID: go1.4 heap dump"
expect_exit 1 "valid and invalid" -- "$hdv" "$good" "$bad"
expect_exit 2 "invalid and unreadable" -- "$hdv" "$bad" "$tmp/none.bin"

expect_exit 0 "quiet valid" -- "$hdv" -q "$good"
if [ ! -s "$tmp/out" ]; then ok; else nok "-q printed for a valid file"; fi
expect_exit 1 "quiet invalid" -- "$hdv" -q "$bad";         contains "quiet invalid" "error\[S105\]"

expect_exit 0 "json valid" -- "$hdv" --format=json "$good"
contains "json" '^{"file":".*","diagnostics":\[\],"verdict":"valid","valid":true,"header":"go1.7","layout":"go1.7","ptrsize":8,"byte_order":"little"'
contains "json counts" '"counts":{"eof":1,"object":1'
if [ "$(wc -l <"$tmp/out")" -eq 1 ]; then ok; else nok "json: not one line per file"; fi
expect_exit 1 "json invalid" -- "$hdv" --format json "$good" "$bad"
if [ "$(wc -l <"$tmp/out")" -eq 2 ]; then ok; else nok "json: want two lines for two files"; fi
contains "json diag" '"diagnostics":\[{"offset":17,"severity":"error","rule":"S105","name":"bool-invalid","message":"params big-endian bool is 2, not 0 or 1","record":0,"tag":"params"}\]'

# SARIF: one log for all files, each diagnostic a result at its byte offset
expect_exit 1 "sarif" -- "$hdv" --format=sarif "$good" "$bad"
contains "sarif header" '^{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":\[{"tool":{"driver":{"name":"hdvalidate"'
contains "sarif rules" '{"id":"S105","name":"bool-invalid","shortDescription":{"text":"a bool field is neither 0 nor 1"},"defaultConfiguration":{"level":"error"}'
contains "sarif result" '{"ruleId":"S105","ruleIndex":4,"level":"error","message":{"text":"params big-endian bool is 2, not 0 or 1 (record #0, params)"},"locations":\[{"physicalLocation":{"artifactLocation":{"uri":".*n_S105_params_bool_2.hd"},"region":{"startLine":1,"byteOffset":17}}}\]}'
if [ "$(grep -c '"ruleId"' "$tmp/out")" -eq 1 ] && [ "$(tail -n 1 "$tmp/out" | tail -c 5)" = ']}]}' ]; then ok; else nok "sarif: one result, closed log"; fi
expect_exit 0 "sarif valid" -- "$hdv" --format=sarif "$good";  contains "sarif empty results" '"results":\[\],"artifacts":\[{"location":{"uri":"[^"]*y_go17_ptr8_minimal.hd"}}\]}\]}$'

expect_exit 0 "summary" -- "$hdv" --summary "$real";       contains "summary" "stackframe"
expect_exit 0 "expect holds" -- "$hdv" --expect 'object > 10' --expect=records==125 "$real"
expect_exit 1 "expect fails" -- "$hdv" --expect 'goroutine >= 80' "$real"
contains "expect message" "expectation failed: goroutine >= 80 (got 4)"

# expected deviations: listed rules become info, the verdict valid; an unknown rule is a usage error
printf '# known\nbool-invalid  # by name\n' >"$tmp/known"
expect_exit 0 "known deviation" -- "$hdv" --known-deviations "$tmp/known" "$bad"
contains "known deviation" "info\[S105\]"
printf 'S999\n' >"$tmp/unknown"
expect_exit 2 "unknown rule in known-deviations" -- "$hdv" --known-deviations="$tmp/unknown" "$bad"

# stdin gives the same diagnostics as the file
"$hdv" "$bad" | sed 's/^[^:]*://' >"$tmp/a"
"$hdv" - <"$bad" | sed 's/^[^:]*://' >"$tmp/b"
if cmp -s "$tmp/a" "$tmp/b"; then ok; else nok "stdin output differs from file output"; diff "$tmp/a" "$tmp/b" | head; fi
cat "$real" | "$hdv" -q - ; if [ $? -eq 0 ]; then ok; else nok "pipe of a real dump"; fi

# a 20-byte file claiming a 2^60-byte string: diagnosed at once
expect_exit 1 "huge length" -- "$hdv" "$src/corpus/conformance/n_S106_string_2p60_in_tiny_file.hd"
contains "huge length" "error\[S106\]: object contents claims 1152921504606846976 bytes"

# the rule table and its docs
expect_exit 0 "list rules" -- "$hdv" --list-rules;          contains "list rules" "^S101 "
"$hdv" --list-rules=markdown >"$tmp/rules.md"
if cmp -s "$tmp/rules.md" "$src/docs/rules.md"; then ok; else
  nok "docs/rules.md is out of date: regenerate with hdvalidate --list-rules=markdown > docs/rules.md"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
