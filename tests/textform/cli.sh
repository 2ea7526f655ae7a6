#!/usr/bin/env bash
# hddump's and hdasm's command lines: help, usage errors, exit status, error positions, output files.
#   usage: cli.sh HDDUMP HDASM SRCDIR
set -uo pipefail
hddump=$1 hdasm=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
real=$src/corpus/real/go1.19.8-linux-amd64-goroutines.heapdump

expect() {   # expect STATUS NAME -- command...; the command's output is in $tmp/out, its errors in $tmp/err
    local want=$1 name=$2
    shift 3
    "$@" > "$tmp/out" 2> "$tmp/err"
    local got=$?
    if [ $got -ne "$want" ]; then
        echo "FAIL $name: exit $got, want $want ($(head -1 "$tmp/err"))"
        fail=$((fail + 1))
        return 1
    fi
    pass=$((pass + 1))
}

has() {   # has NAME FILE PATTERN: grep -E must find PATTERN
    if grep -Eq -- "$3" "$2"; then pass=$((pass + 1)); else echo "FAIL $1: no /$3/ in $2"; fail=$((fail + 1)); fi
}

expect 0 "hddump --help" -- "$hddump" --help && has "help usage" "$tmp/out" '^Usage: hddump'
expect 0 "hdasm --help" -- "$hdasm" --help && has "help usage" "$tmp/out" '^Usage: hdasm'
expect 0 "hddump --version" -- "$hddump" --version && has "version" "$tmp/out" '^hddump \(hdvalidate\) [0-9]'
expect 2 "hddump unknown option" -- "$hddump" --bogus "$real"
expect 2 "hddump no file" -- "$hddump"
expect 2 "hddump missing file" -- "$hddump" "$tmp/nope"
expect 2 "hddump bad tag" -- "$hddump" --tag=objects "$real"
expect 2 "hddump bad number" -- "$hddump" --record=x "$real"
expect 0 "hddump valid" -- "$hddump" "$real" && has "first line" "$tmp/out" '^;; hddump '
expect 1 "hddump invalid" -- "$hddump" "$src/corpus/conformance/n_S105_params_bool_2.hd" &&
    has "S105 comment" "$tmp/out" '^;; 0x11: error\[S105\]' && has "bool 2" "$tmp/out" 'big_endian=2 '
expect 1 "hddump truncated" -- "$hddump" "$src/corpus/conformance/n_S111_osthread_cut.hd" &&
    has "stop comment" "$tmp/out" '^;; stop: 0x[0-9a-f]+: error\[S111\]' && has "raw tail" "$tmp/out" ' raw x"'
expect 0 "hddump -C" -- "$hddump" --at 0x2cb45 -C 2 "$real" && has "--at" "$tmp/out" '#1481 goroutine'
[ "$(grep -c ' #' "$tmp/out")" -eq 6 ] && pass=$((pass + 1)) || { echo "FAIL -C 2: $(grep -c ' #' "$tmp/out") records"; fail=$((fail + 1)); }
expect 0 "hddump -C3" -- "$hddump" --record=100 -C3 --no-columns "$real" && has "no columns" "$tmp/out" '^object addr='
expect 0 "hddump --goroutine" -- "$hddump" --goroutine=1 --tag=goroutine,defer "$real" &&
    has "goroutine 1" "$tmp/out" 'goroutine addr=0x[0-9a-f]+ sp=0x[0-9a-f]+ id=1 '
expect 0 "hddump --stats" -- "$hddump" --stats "$real" && has "stats" "$tmp/out" '^  goroutine +99 '
expect 0 "hddump --stats --json" -- "$hddump" --stats --json "$real" && has "json stats" "$tmp/out" '"goroutine":\{"count":99,'
expect 0 "hddump --object pipe" -- sh -c "cat '$real' | '$hddump' --object=0xc0000061a0 -" &&
    has "object" "$tmp/out" ';; the object holding 0xc0000061a0'

# a pipe is streamed (no temporary copy): the same lines as from the mapped file, after the first comment
for f in "$src"/corpus/real/*.heapdump; do
    "$hddump" "$f" | tail -n +2 > "$tmp/file.txt"
    cat "$f" | "$hddump" - | tail -n +2 > "$tmp/pipe.txt"
    cmp -s "$tmp/file.txt" "$tmp/pipe.txt" && pass=$((pass + 1)) || { echo "FAIL $(basename "$f"): pipe and file differ"; fail=$((fail + 1)); }
done
cat "$real" | "$hddump" --at=0x2cb45 - > "$tmp/out"
has "pipe: --at as it passes" "$tmp/out" '^0x0002cb40 #1482 stackframe '
cat "$src/corpus/conformance/n_S111_osthread_cut.hd" | "$hddump" - > "$tmp/out"
has "pipe: stop without the bytes" "$tmp/out" '^;; the bytes from 0x[0-9a-f]+ are not shown: the input is a stream'

# hdasm: positions of errors, the output removed on an error, standard input and output
printf 'header go1.7\nosthread addr=1 addr=2\n' > "$tmp/bad.hdt"
echo keep > "$tmp/out.bin"
expect 1 "hdasm error" -- "$hdasm" "$tmp/bad.hdt" -o "$tmp/out.bin" &&
    has "error position" "$tmp/err" "bad.hdt:2:17: error: field given twice"
[ ! -e "$tmp/out.bin" ] && pass=$((pass + 1)) || { echo "FAIL hdasm left its output after an error"; fail=$((fail + 1)); }
expect 2 "hdasm no input" -- "$hdasm" "$tmp/nope.hdt" -o "$tmp/x.bin"
expect 2 "hdasm bad limit" -- "$hdasm" --limit=x "$tmp/bad.hdt" -o "$tmp/x.bin"
expect 0 "hdasm stdin to stdout" -- sh -c "'$hddump' --contents '$real' | '$hdasm' - -o - > '$tmp/copy.bin'"
cmp -s "$real" "$tmp/copy.bin" && pass=$((pass + 1)) || { echo "FAIL hdasm - -o -: not the same bytes"; fail=$((fail + 1)); }
printf 'layout go1.7\nraw zero(100000)\n' > "$tmp/big.hdt"
expect 1 "hdasm --limit" -- "$hdasm" --limit=1000 "$tmp/big.hdt" -o "$tmp/x.bin" && has "limit" "$tmp/err" "limit"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
