#!/usr/bin/env bash
# check.sh — hdgen's command-line tests and the generated corpus (see README.md in this folder).
#
#   check.sh cli    HDGEN HDVALIDATE   options, exit codes, determinism, --inject through hdvalidate
#   check.sh corpus HDGEN HDVALIDATE   every file of MANIFEST regenerates byte for byte and gets the verdict
#                                      its name promises (y_: no diagnostic; n_RULE_: that rule only, an
#                                      error; i_RULE_: that rule only, a warning — JSONTestSuite naming, as
#                                      tests/conformance/runner.c)
#   check.sh regen  HDGEN              rewrite the files of MANIFEST and the command list in README.md
#
# Prints "N passed, M failed"; exits 1 if anything failed.
set -u
mode=${1:-} hdgen=${2:-} hdvalidate=${3:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
expect_rc() {   # expect_rc RC DESCRIPTION COMMAND...
    local want=$1 what=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else bad "$what: exit $rc, want $want"; cat "$tmp/err"; fi
}

# The rule IDs hdvalidate printed for a file, one per line, sorted and unique.
rules_of() { "$hdvalidate" "$1" 2>/dev/null | sed -n 's/.*: \(error\|warning\|info\)\[\([A-Z][0-9]*\)\]: .*/\2/p' | sort -u; }

manifest() { grep -v '^\s*#' "$here/MANIFEST" | grep -v '^\s*$'; }

case $mode in
cli)
    expect_rc 0 "--help" "$hdgen" --help
    expect_rc 2 "unknown option" "$hdgen" --frobnicate
    expect_rc 2 "bad pointer size" "$hdgen" --ptrsize 6
    expect_rc 2 "bad header" "$hdgen" --header go1.8
    expect_rc 2 "bad size" "$hdgen" --size 12X
    expect_rc 2 "unknown rule" "$hdgen" --inject Z999
    expect_rc 2 "unknown feature" "$hdgen" --features no-such
    expect_rc 1 "defect that does not apply" "$hdgen" --inject S114 --ptrsize 8 -o "$tmp/x"
    expect_rc 1 "4-byte dump too big" "$hdgen" --ptrsize 4 --size 3G -o "$tmp/x"
    expect_rc 0 "--list-defects" "$hdgen" --list-defects
    # exactly one defect per rule of the table
    n=$(grep -c '^[A-Z][0-9][0-9][0-9] ' "$tmp/out")
    nrules=$("$hdvalidate" --list-rules | grep -c '^[A-Z][0-9][0-9][0-9] ')
    ndistinct=$(grep '^[A-Z][0-9][0-9][0-9] ' "$tmp/out" | cut -d' ' -f1 | sort -u | wc -l)
    if [ "$n" -eq "$nrules" ] && [ "$ndistinct" -eq "$nrules" ]; then ok; else
        bad "--list-defects: $n defects for $ndistinct rules; the rule table has $nrules"; fi
    expect_rc 0 "--list-features" "$hdgen" --list-features
    # same arguments, same bytes; stdout and -o agree; another seed differs
    "$hdgen" --seed 11 -o "$tmp/a" && "$hdgen" --seed 11 >"$tmp/b" && "$hdgen" --seed 12 -o "$tmp/c"
    if cmp -s "$tmp/a" "$tmp/b" && ! cmp -s "$tmp/a" "$tmp/c"; then ok; else bad "determinism"; fi
    # fixed layout, every header, through the real validator: no diagnostic at all
    for h in go1.3 go1.4 go1.5 go1.6 go1.7; do
        "$hdgen" --seed 3 --header $h --ptrsize 4 -o "$tmp/h" &&
            out=$("$hdvalidate" "$tmp/h") && case $out in *", 0 errors, 0 warnings") ok ;; *) bad "$h: $out" ;; esac
    done
    # --inject RULE: that rule and only that rule, by ID and by name
    for r in S105 T101 H107 G120 R104 M103 bool-invalid; do
        "$hdgen" --seed 5 --inject $r -o "$tmp/n" || { bad "--inject $r"; continue; }
        got=$(rules_of "$tmp/n" | tr '\n' ' ')
        want=$r; [ $r = bool-invalid ] && want=S105
        if [ "$got" = "$want " ]; then ok; else bad "--inject $r: hdvalidate says [$got]"; fi
    done
    # --bytes: any file is a valid set of decisions, the empty one too
    : >"$tmp/empty"; head -c 300 "$tmp/a" >"$tmp/some"
    for f in "$tmp/empty" "$tmp/some"; do
        "$hdgen" --bytes "$f" -o "$tmp/z" && out=$("$hdvalidate" "$tmp/z") &&
            case $out in *", 0 errors, 0 warnings") ok ;; *) bad "--bytes $f: $out" ;; esac
    done
    # --size: about that big
    "$hdgen" --seed 2 --size 1M -o "$tmp/s"
    sz=$(wc -c <"$tmp/s")
    if [ "$sz" -gt 500000 ] && [ "$sz" -lt 2000000 ]; then ok; else bad "--size 1M gave $sz bytes"; fi
    ;;
corpus)
    while read -r file args; do
        # shellcheck disable=SC2086
        "$hdgen" $args -o "$tmp/g" || { bad "$file: hdgen $args failed"; continue; }
        if cmp -s "$tmp/g" "$here/$file"; then ok; else bad "$file: hdgen $args no longer gives these bytes"; fi
        got=$(rules_of "$here/$file" | tr '\n' ' ')
        case $file in
        y_*) want="" ;;
        [ni]_*) want=$(echo "$file" | sed 's/^[ni]_\([A-Z][0-9]*\)_.*/\1/')" " ;;
        *) bad "$file: name starts with none of y_, n_, i_"; continue ;;
        esac
        if [ "$got" = "$want" ]; then ok; else bad "$file: hdvalidate says [$got], the name says [$want]"; fi
        "$hdvalidate" -q "$here/$file" >/dev/null 2>&1
        rc=$?
        case $file in
        n_*) [ $rc -eq 1 ] && ok || bad "$file: hdvalidate exit $rc, an n_ case must be rejected" ;;
        *) [ $rc -eq 0 ] && ok || bad "$file: hdvalidate exit $rc, a ${file%%_*}_ case must be accepted" ;;
        esac
        size=$(wc -c <"$here/$file")
        if [ "$size" -le 65536 ]; then ok; else bad "$file: $size bytes (keep corpus files under 64 KiB)"; fi
    done < <(manifest)
    ;;
regen)
    while read -r file args; do
        # shellcheck disable=SC2086
        "$hdgen" $args -o "$here/$file" && ok || bad "$file"
    done < <(manifest)
    {
        sed '/^<!-- commands -->$/q' "$here/README.md"
        echo '```sh'
        manifest | while read -r file args; do echo "hdgen $args -o $file"; done
        echo '```'
    } >"$tmp/readme" && mv "$tmp/readme" "$here/README.md"
    ;;
*)
    echo "usage: check.sh cli|corpus HDGEN HDVALIDATE | check.sh regen HDGEN" >&2
    exit 2
    ;;
esac
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
