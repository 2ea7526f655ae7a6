#!/usr/bin/env bash
# run.sh — build one producer program, let it write a heap dump, validate it.
#
# Usage: run.sh HDVALIDATE GOARCH NAME [WORKDIR]
#
#   HDVALIDATE  the hdvalidate executable
#   GOARCH      Go architecture to build for (amd64, 386, ...); the binary
#               must be able to run on this machine
#   NAME        a program folder next to this script (minimal, goroutines, ...)
#   WORKDIR     if given, the dump is also copied to WORKDIR/NAME-GOARCH.heapdump
#
# The program is copied to a fresh temporary folder and built and run there
# under `env -i` with only PATH, HOME (the temporary folder), LANG and Go's
# own variables, and built with -trimpath: a heap dump holds the process
# environment and the program's file names, so it must not see ours.
#
# Every comment line `// expect: KEY OP N` in NAME/main.go becomes one
# `--expect 'KEY OP N'` argument of hdvalidate. The exit status is
# hdvalidate's; 77 when Go is not available or the binary cannot be run
# here (ctest SKIP_RETURN_CODE); 2 for a usage error; 1 when the build or
# the program fails.
#
# Environment (of this script, never passed to the program):
#   HD_GO             go executable to use (default: `go` from PATH)
#   HD_PRODUCER_ARGS  extra arguments for the program, e.g. a size for bigheap
#   HD_PRODUCER_KEEP  if 1, keep the temporary folder and print its name
#   HD_PRODUCER_GOCACHE  a Go build cache to share between runs (absolute
#                     path) instead of a fresh one in the temporary folder;
#                     saves about 5 s of compiling the standard library per
#                     build and does not change the dump
set -u

me=${0##*/}
if [ $# -lt 3 ] || [ $# -gt 4 ]; then
    echo "usage: $me HDVALIDATE GOARCH NAME [WORKDIR]" >&2
    exit 2
fi
hdvalidate=$1 arch=$2 name=$3 workdir=${4:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$here/$name/main.go
tag="producer $name/$arch"

case $name in
    '' | */* | .*) echo "$me: bad program name: $name" >&2; exit 2 ;;
esac
case $arch in
    '' | *[!a-z0-9]*) echo "$me: bad GOARCH: $arch" >&2; exit 2 ;;
esac
if [ ! -f "$src" ]; then
    echo "$me: no such program: $src" >&2
    exit 2
fi

go=${HD_GO:-}
if [ -z "$go" ]; then
    go=$(command -v go 2>/dev/null) || go=
fi
if [ -z "$go" ] || [ ! -x "$go" ]; then
    echo "$tag: SKIP (go not found)"
    exit 77
fi
case $go in
    /*) ;;
    *) go=$(cd "$(dirname "$go")" && pwd)/${go##*/} ;;
esac

# Collect the expectations: `// expect: KEY OP N`.
expects=()
nexp=0
while IFS= read -r line; do
    spec=${line#*expect:}
    read -r key op n extra <<<"$spec"
    if ! [[ ${key:-} =~ ^[a-z_]+$ && ${op:-} =~ ^(>=|>|==|<=|<)$ && ${n:-} =~ ^[0-9]+$ && -z ${extra:-} ]]; then
        echo "$me: $src: malformed expectation: $line" >&2
        exit 2
    fi
    expects+=(--expect "$key $op $n")
    nexp=$((nexp + 1))
done < <(grep -E '^[[:space:]]*//[[:space:]]*expect:' "$src")

now_us() {
    if [ -n "${EPOCHREALTIME:-}" ]; then
        local t=${EPOCHREALTIME/[.,]/}
        echo $((10#$t))
    else
        echo $(($(date +%s%N) / 1000))
    fi
}
secs() { # microseconds -> seconds with one decimal
    printf '%d.%d' $(($1 / 1000000)) $(($1 % 1000000 / 100000))
}

# Always under /tmp, whatever TMPDIR says: the folder name ends up in the dump.
tmp=$(mktemp -d /tmp/hdproducer.XXXXXX) || exit 1
if [ "${HD_PRODUCER_KEEP:-0}" = 1 ]; then
    trap 'echo "$tag: kept $tmp"' EXIT
else
    trap 'rm -rf "$tmp"' EXIT
fi

cp "$src" "$tmp/main.go" || exit 1
printf 'module producer\n\ngo 1.19\n' >"$tmp/go.mod"

gocache=$tmp/cache
case ${HD_PRODUCER_GOCACHE:-} in
    '') ;;
    /*) gocache=$HD_PRODUCER_GOCACHE ;;
    *) echo "$me: HD_PRODUCER_GOCACHE must be an absolute path" >&2; exit 2 ;;
esac

# Go's variables, for the build only. Modules on, with no network and no
# configuration from outside the temporary folder.
goenv=(
    GOARCH="$arch" GOOS=linux CGO_ENABLED=0
    GOCACHE="$gocache" GOPATH="$tmp/gopath" GOENV=off
    GO111MODULE=on GOFLAGS=-mod=mod GOPROXY=off GOWORK=off
    GOTOOLCHAIN=local GOTELEMETRY=off
)

t0=$(now_us)
if ! (cd "$tmp" && env -i PATH=/usr/bin:/bin HOME="$tmp" LANG=C.UTF-8 "${goenv[@]}" \
    "$go" build -trimpath -o prog .); then
    echo "$tag: FAIL (build failed)"
    exit 1
fi
t1=$(now_us)

dumpname=$name-$arch.heapdump
dump=$tmp/$dumpname
# Relative names only, so that argv holds no path of ours.
# shellcheck disable=SC2086 # HD_PRODUCER_ARGS is a list of words
(cd "$tmp" && exec env -i PATH=/usr/bin:/bin HOME="$tmp" LANG=C.UTF-8 \
    ./prog "$dumpname" ${HD_PRODUCER_ARGS:-})
rc=$?
t2=$(now_us)
if [ $rc -eq 126 ]; then
    echo "$tag: SKIP (cannot run $arch binaries on this machine)"
    exit 77
fi
if [ $rc -ne 0 ]; then
    echo "$tag: FAIL (program exited with status $rc)"
    exit 1
fi
if [ ! -s "$dump" ]; then
    echo "$tag: FAIL (program wrote no dump)"
    exit 1
fi
size=$(wc -c <"$dump")
size=${size//[[:space:]]/}

"$hdvalidate" "${expects[@]}" "$dump"
vrc=$?
t3=$(now_us)

status="hdvalidate exit $vrc"
exported=
if [ -n "$workdir" ]; then
    # Refuse to export a dump that names this checkout or the caller's home.
    leak=
    for s in "$here" "${HOME:-}" "${PWD:-}"; do
        if [ ${#s} -ge 5 ] && [ "$s" != "$tmp" ] && grep -aqF -- "$s" "$dump"; then
            leak=$s
            break
        fi
    done
    if [ -n "$leak" ]; then
        echo "$tag: not copied to $workdir: the dump contains '$leak'" >&2
        status="$status, dump not copied"
        vrc=1
    elif mkdir -p "$workdir" && cp "$dump" "$workdir/$dumpname"; then
        exported=", copied to $workdir/$dumpname"
    else
        status="$status, dump not copied"
        vrc=1
    fi
fi

if [ $vrc -eq 0 ]; then verdict=PASS; else verdict=FAIL; fi
echo "$tag: $verdict ($status, $nexp expectations)" \
    "dump $size bytes, build $(secs $((t1 - t0))) s, run $(secs $((t2 - t1))) s," \
    "validate $(secs $((t3 - t2))) s$exported"
exit $vrc
