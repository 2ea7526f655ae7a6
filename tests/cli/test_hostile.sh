#!/usr/bin/env bash
# What a CI job trusts from hdvalidate — its exit status and its report — under hostile arguments, names and
# inputs (issue 11), and the CI-facing options (compressed input, --fail-on, JUnit, --explain).
# usage: test_hostile.sh HDVALIDATE HDGEN MKHOSTILE PROJECT_SOURCE_DIR
set -u
hdv=$1 hdgen=$2 mk=$3 src=$4 pass=0 fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
good=$src/corpus/conformance/y_go17_ptr8_minimal.hd
bad=$src/corpus/conformance/n_S105_params_bool_2.hd
real=$src/corpus/real/go1.19.8-linux-amd64-goroutines.heapdump

ok()   { pass=$((pass + 1)); }
nok()  { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect_exit CODE DESCRIPTION -- command...   (stdout in $tmp/out, stderr in $tmp/err)
expect_exit() {
  local want=$1 what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ "$rc" -eq "$want" ]; then ok; else nok "$what: exit $rc, want $want"; cat "$tmp/out" "$tmp/err" | head -5; fi
}
has()    { if grep -q -- "$3" "$tmp/$2"; then ok; else nok "$1: $2 lacks '$3'"; head -5 "$tmp/$2"; fi; }
hasnt()  { if grep -q -- "$3" "$tmp/$2"; then nok "$1: $2 has '$3'"; head -5 "$tmp/$2"; else ok; fi; }
lines()  { local n; n=$(wc -l <"$tmp/$2"); if [ "$n" -eq "$3" ]; then ok; else nok "$1: $2 has $n lines, want $3"; fi; }
no_ctl() { if LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$tmp/$2"); then nok "$1: $2 holds control bytes"; else ok; fi; }

# ---- known deviations can never accept bytes that were not read -------------------------------------------
printf 'S101\n' >"$tmp/k101"; printf 'tag-unknown\n' >"$tmp/k107"
expect_exit 2 "S101 as a known deviation" -- "$hdv" --known-deviations "$tmp/k101" /etc/passwd
has "S101 refused" err "S101 cannot be a known deviation"
head -c 100000 /dev/urandom >"$tmp/rand"; { head -c 31 "$good"; cat "$tmp/rand"; } >"$tmp/params-junk"
expect_exit 2 "S107 as a known deviation" -- "$hdv" --known-deviations "$tmp/k107" "$tmp/params-junk"
expect_exit 1 "params + junk without it" -- "$hdv" "$tmp/params-junk"
# a comment longer than any buffer, ending in a rule ID, is still a comment
{ printf '# '; head -c 300 /dev/zero | tr '\0' x; printf ' S105\n'; } >"$tmp/klong"
expect_exit 1 "long comment is no rule" -- "$hdv" --known-deviations "$tmp/klong" "$bad"
printf 'G118\nnot-a-rule\n' >"$tmp/kbad"
expect_exit 2 "unknown rule names its line" -- "$hdv" --known-deviations "$tmp/kbad" "$good";  has "line 2" err ":2: unknown rule"
printf 'G118\nS1\0005\n' >"$tmp/knul"
expect_exit 2 "NUL byte in the file" -- "$hdv" --known-deviations "$tmp/knul" "$good";       has "NUL" err ":2: the line holds a NUL"
expect_exit 2 "directory as known-deviations" -- "$hdv" --known-deviations "$tmp" "$good";    has "dir" err "is a directory"

# ---- --go accepts only releases that wrote dumps -------------------------------------------------------------
for v in banana "" 1.0 2.0 1.2 go1 1.19x; do
  expect_exit 2 "--go='$v'" -- "$hdv" --go="$v" --list-rules
done
for v in 1.19 go1.19.8 1.3 go1.21rc2 go1.22beta1 devel; do
  expect_exit 0 "--go=$v" -- "$hdv" --go="$v" --list-rules
done
expect_exit 0 "--go=1.19 on a go1.19.8 dump" -- "$hdv" --go=1.19 "$good"
expect_exit 2 "--go given twice" -- "$hdv" --go=1.19 --go 1.20 "$good";  has "twice" err "given more than once"

# ---- long values in either form --------------------------------------------------------------------------------
seg=$(head -c 100 /dev/zero | tr '\0' d); long=$tmp/$seg/$seg/$seg; mkdir -p "$long"; printf 'G118\n' >"$long/known"
expect_exit 0 "--opt value, 300-char path" -- "$hdv" --known-deviations "$long/known" "$good"
expect_exit 0 "--opt=value, 300-char path" -- "$hdv" --known-deviations="$long/known" "$good"

# ---- every named input gets an entry in every format, I/O errors included ------------------------------------
expect_exit 2 "json, missing file" -- "$hdv" --format=json "$good" "$tmp/missing.hd"
lines "json missing" out 2; has "json missing" out '"file":".*missing.hd".*"verdict":"ERROR".*"io_error":"No such file'
expect_exit 2 "sarif, missing file" -- "$hdv" --format=sarif "$tmp/missing.hd"
has "sarif missing" out '"ruleId":"io-error"'
expect_exit 2 "junit, missing file" -- "$hdv" --format=junit "$tmp/missing.hd";  has "junit missing" out '<error type="io-error"'

# ---- a report that cannot be written is exit 2 -------------------------------------------------------------------
if [ -w /dev/full ]; then
  for f in text json sarif junit; do
    "$hdv" --format=$f "$good" >/dev/full 2>"$tmp/err"; rc=$?
    if [ $rc -eq 2 ]; then ok; else nok "--format=$f > /dev/full: exit $rc, want 2"; fi
  done
fi

# ---- findings are capped per rule; the counts stay exact ---------------------------------------------------------
"$mk" frameless "$tmp/frameless.hd" 1000
expect_exit 0 "1000 G118 warnings" -- "$hdv" "$tmp/frameless.hd"
if [ "$(grep -c 'warning\[G118\]: goroutine' "$tmp/out")" -eq 10 ]; then ok; else nok "cap: want 10 G118 lines"; fi
has "cap more" out "warning\[G118\]: 990 more goroutine-no-frames findings not shown"
has "cap verdict" out "1000 warnings"
expect_exit 0 "all findings" -- "$hdv" --max-per-rule=0 "$tmp/frameless.hd"
if [ "$(grep -c 'warning\[G118\]: goroutine' "$tmp/out")" -eq 1000 ]; then ok; else nok "--max-per-rule=0: want 1000 lines"; fi
expect_exit 0 "json cap" -- "$hdv" --format=json "$tmp/frameless.hd"
has "json cap more" out '"rule":"G118","name":"goroutine-no-frames","more":990}'
has "json by_rule" out '"by_rule":{"G118":1000}'

# ---- names: UTF-8 passes, other bytes and control characters are escaped ----------------------------------------
cp "$good" "$tmp/dümp.hd"
expect_exit 0 "utf-8 name json" -- "$hdv" --format=json "$tmp/dümp.hd";  has "utf-8 json" out 'dümp.hd"'
expect_exit 0 "utf-8 name sarif" -- "$hdv" --format=sarif "$tmp/dümp.hd"
has "sarif uri" out '"artifacts":\[{"location":{"uri":"[^"]*/d%C3%BCmp.hd"}}\]'
cp "$good" "$tmp/$(printf 'x\377.hd')"
expect_exit 0 "latin-1 byte json" -- "$hdv" --format=json "$tmp/$(printf 'x\377.hd')";  has "invalid byte" out 'x\\\\xff.hd"'
cp "$bad" "$tmp/$(printf 'evil\nfake.hd: valid: go1.7 heap dump')"
expect_exit 1 "newline in a name" -- "$hdv" "$tmp/$(printf 'evil\nfake.hd: valid: go1.7 heap dump')"
hasnt "no forged verdict" out '^fake.hd: valid'
has "escaped newline" out 'evil\\x0afake.hd'
expect_exit 2 "binary argument" -- "$hdv" "$(printf -- '--\001\033[31mred')"
no_ctl "stderr escaped" err

# ---- trailing data: said at once, never read to the end -----------------------------------------------------------
timeout 20 bash -c "cat '$good' /dev/zero | '$hdv' -" >"$tmp/out" 2>"$tmp/err"; rc=$?
if [ $rc -eq 1 ]; then ok; else nok "valid dump + /dev/zero: exit $rc, want 1 (124 = it never ended)"; fi
has "trailing" out "error\[S113\]: bytes follow the EOF record, the first is 0x00"

# ---- messages ------------------------------------------------------------------------------------------------------
"$mk" cut-object "$tmp/cut.hd"
expect_exit 1 "an object record" -- "$hdv" "$tmp/cut.hd";   has "article" out "inside an object record"
"$mk" tag-18 "$tmp/t18.hd"
expect_exit 1 "unknown tag" -- "$hdv" "$tmp/t18.hd";        has "unknown tag" out "unknown record tag 18 (record #[0-9]*)$"
hasnt "no ? tag" out ", ?)"
expect_exit 0 "-q json still reports" -- "$hdv" -q --format=json "$good";  lines "-q json" out 1

# ---- CI strictness, JUnit, --explain --------------------------------------------------------------------------------
expect_exit 0 "warnings pass by default" -- "$hdv" "$tmp/frameless.hd"
expect_exit 1 "--fail-on=warning" -- "$hdv" --fail-on=warning "$tmp/frameless.hd";  has "fail-on" out ": INVALID:"
expect_exit 2 "--fail-on=maybe" -- "$hdv" --fail-on=maybe "$good"
expect_exit 1 "junit" -- "$hdv" --format=junit "$good" "$bad"
has "junit header" out '<testsuites name="hdvalidate" tests="2" failures="1" errors="0">'
has "junit failure" out '<failure type="S105" message="0x11: error\[S105\]: params big-endian bool is 2'
if command -v python3 >/dev/null && python3 -c 'import xml.etree.ElementTree as e, sys; e.parse(sys.argv[1])' "$tmp/out"; then ok
elif ! command -v python3 >/dev/null; then echo "SKIP junit well-formedness: no python3"; else nok "junit: not well-formed XML"; fi
expect_exit 0 "--explain S105" -- "$hdv" --explain S105;    has "explain" out "bool-invalid"
expect_exit 0 "--explain by name" -- "$hdv" --explain=goroutine-no-frames;  has "explain name" out "G118"
expect_exit 2 "--explain nothing" -- "$hdv" --explain Z999

# ---- compressed input: the same diagnostics from gzip, zstd and xz, files and pipes ---------------------------------
"$hdv" "$bad" | sed 's/^[^:]*://' >"$tmp/plain"
big=$tmp/big.hd; "$hdgen" --seed 5 --header go1.7 --size 2M -o "$big"      # random contents: compresses poorly
for z in gzip zstd xz; do
  if ! command -v $z >/dev/null; then echo "SKIP $z: not installed"; continue; fi
  $z -c "$bad" >"$tmp/bad.$z"
  expect_exit 1 "$z file" -- "$hdv" "$tmp/bad.$z";  has "$z verdict" out "($z-compressed, [0-9]* bytes)"
  sed 's/^[^:]*://; s/ ('"$z"'-compressed, [0-9]* bytes)//' "$tmp/out" >"$tmp/viaz"
  if cmp -s "$tmp/plain" "$tmp/viaz"; then ok; else nok "$z: diagnostics differ from the plain dump"; diff "$tmp/plain" "$tmp/viaz"; fi
  $z -c "$real" | "$hdv" -q - >"$tmp/out"; rc=$?
  if [ $rc -eq 0 ]; then ok; else nok "$z on a pipe: exit $rc"; fi
  # a file larger than the first read (the source once read 256 KiB before handing 128 KiB to the decoder)
  $z -c "$big" >"$tmp/big.$z"
  n=$(wc -c <"$tmp/big.$z")
  if [ "$n" -gt 262144 ]; then ok; else nok "$z: the big case compresses to $n bytes, not more than 256 KiB"; fi
  expect_exit 0 "$z file of $n compressed bytes" -- "$hdv" -q "$tmp/big.$z"
  head -c 2000 "$tmp/bad.$z" >/dev/null; $z -c "$real" | head -c 5000 >"$tmp/cut.$z"
  expect_exit 2 "$z truncated" -- "$hdv" "$tmp/cut.$z";  has "$z cut" out "ERROR: cannot read: $z"
  hasnt "$z cut no verdict" out "error\["
done

# ---- hdgen: arguments it cannot honour are refused at once -----------------------------------------------------------
expect_exit 2 "hdgen --size 2^64-1" -- timeout 10 "$hdgen" --size 18446744073709551615 -o /dev/null
expect_exit 2 "hdgen --size 1000000G" -- timeout 10 "$hdgen" --size 1000000G -o /dev/null
expect_exit 2 "hdgen --bytes dir" -- timeout 10 "$hdgen" --bytes "$tmp" -o /dev/null

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
