#!/usr/bin/env bash
# The text form's round trip on every dump at hand: `hddump --contents F | hdasm - -o G` must give F back
# byte for byte — the real dumps (also read from a pipe), the generated and hand-written corpora, and fresh
# hdgen dumps of all five headers, both pointer sizes and both byte orders (also a huge-object one: ranges
# past the reader's kept prefix).
#   usage: roundtrip.sh HDDUMP HDASM HDGEN SRCDIR
set -uo pipefail
hddump=$1 hdasm=$2 hdgen=$3 src=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

check() {   # check NAME FILE [via-pipe]
    local name=$1 f=$2
    if [ "${3:-}" = pipe ]; then
        cat "$f" | "$hddump" --contents - > "$tmp/t.hdt"
    else
        "$hddump" --contents "$f" > "$tmp/t.hdt"
    fi
    if ! "$hdasm" "$tmp/t.hdt" -o "$tmp/back.bin" 2> "$tmp/err"; then
        echo "FAIL $name: the text does not assemble: $(head -1 "$tmp/err")"
        fail=$((fail + 1))
    elif ! cmp -s "$f" "$tmp/back.bin"; then
        echo "FAIL $name: $(cmp "$f" "$tmp/back.bin" 2>&1 | head -1)"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
}

for f in "$src"/corpus/real/*.heapdump; do
    check "$(basename "$f")" "$f"
    check "$(basename "$f") (pipe)" "$f" pipe
    if ! "$hddump" "$f" > /dev/null; then
        echo "FAIL $(basename "$f"): hddump does not exit 0 on a valid dump"
        fail=$((fail + 1))
    fi
done
for f in "$src"/corpus/generated/*.hd "$src"/corpus/conformance/*.hd; do
    check "$(basename "$f")" "$f"
done

seed=1
for h in go1.3 go1.4 go1.5 go1.6 go1.7; do
    for ps in 4 8; do
        for order in little big; do
            g="$tmp/gen-$h-$ps-$order.hd"
            "$hdgen" --seed $seed --header $h --ptrsize $ps --$order-endian --size 200K -o "$g"
            check "hdgen --seed $seed --header $h --ptrsize $ps --$order-endian" "$g"
            be=false; [ $order = big ] && be=true
            if ! "$hddump" --record=0 "$g" | grep -q "params big_endian=$be ptrsize=$ps "; then
                echo "FAIL hdgen $h $ps $order: the params do not say what was asked"
                fail=$((fail + 1))
            fi
            seed=$((seed + 1))
        done
    done
done
"$hdgen" --seed 9 --features huge-objects,pointer-heavy,deep-stacks,memprof --size 24M -o "$tmp/huge.hd"
check "hdgen huge objects" "$tmp/huge.hd"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
