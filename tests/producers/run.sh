#!/usr/bin/env bash
# run.sh — build one producer program for a GOARCH, let it write a heap dump,
# validate it.
#
# Usage: run.sh HDVALIDATE GOARCH NAME [WORKDIR]
#        run.sh --setup GOARCH NAME...
#
#   HDVALIDATE  the hdvalidate executable
#   GOARCH      Go architecture to build for: amd64, 386, arm, arm64, loong64,
#               mips, mipsle, mips64, mips64le, ppc64, ppc64le, riscv64,
#               s390x (others are tried natively, without byte-order or
#               pointer-size expectations)
#   NAME        a program folder next to this script (minimal, goroutines, ...)
#   WORKDIR     if given, the dump is also copied to WORKDIR/NAME-GOARCH.heapdump
#
# How the binary is run. run.sh first finds out whether this machine can run
# a GOARCH program at all: it builds a tiny probe program for GOARCH and runs
# it, natively and then under `qemu-<cpu>-static` (Debian's qemu-user-static;
# cpu is aarch64 for arm64, mipsel for mipsle, mips64el for mips64le,
# loongarch64 for loong64, x86_64 for amd64, else GOARCH), and takes the
# first runner whose output names GOARCH, its pointer size and byte order.
# 386 is tried natively only: Go's 386 port crashes under qemu-i386 7.2.
# When no runner works the status is 77 (ctest SKIP_RETURN_CODE) and the
# reason is printed: a kernel without 32-bit execution, or no qemu.
#
# The program is copied to a fresh temporary folder under /tmp and built
# there under `env -i` with only PATH, HOME (that folder), LANG and Go's own
# variables, and with -trimpath. It runs in another fresh /tmp folder under
# `env -i` with PATH=/usr/bin:/bin, HOME=/home/gopher (a fixed neutral
# string; the folder need not exist) and LANG=C.UTF-8, and gets a relative
# file name: a heap dump holds the process environment and the program's
# file names, so it must not see ours, and two dumps of one program differ
# only where the runtime makes them differ.
#
# Every comment line `// expect: KEY OP N` in NAME/main.go becomes one
# `--expect 'KEY OP N'` argument of hdvalidate; run.sh adds `errors == 0`,
# `warnings == 0` and, for a known GOARCH, `ptrsize == 4|8`, and checks the
# byte order hdvalidate reports. The exit status is hdvalidate's (1 also
# when the byte order is wrong); 77 when Go is not available or no runner
# can run GOARCH binaries here; 2 for a usage error; 1 when the build or the
# program fails.
#
# --setup (ctest fixture setup, needs HD_PRODUCER_SHARED): probe GOARCH and
# build the NAMEs once into the shared folder; the tests then reuse the probe
# result and the binaries. Exit 0 also when GOARCH cannot run here (the
# probe result says so and each test skips with the reason); 1 when a build
# fails.
#
# Environment (of this script, never passed to the program):
#   HD_GO             go executable to use (default: `go` from PATH)
#   HD_PRODUCER_SHARED   a folder (absolute) shared by the runs of one ctest
#                     run: GOARCH/probe (the probe result), GOARCH/NAME (the
#                     binary, used when newer than NAME/main.go) and gocache
#                     (the Go build cache, unless HD_PRODUCER_GOCACHE is set)
#   HD_PRODUCER_GOCACHE  a Go build cache to share (absolute path); default
#                     HD_PRODUCER_SHARED/gocache, else a fresh one in the
#                     temporary folder (about 5 s more per build)
#   HD_PRODUCER_ARGS  extra arguments for the program, e.g. a size for bigheap
#   HD_PRODUCER_KNOWN a --known-deviations file for hdvalidate (rules whose
#                     findings are expected: reported as info)
#   HD_PRODUCER_KEEP  if 1, keep the temporary folders and print their names
set -u

me=${0##*/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
    echo "usage: $me HDVALIDATE GOARCH NAME [WORKDIR]" >&2
    echo "       $me --setup GOARCH NAME..." >&2
    exit 2
}

setup=0
if [ "${1:-}" = --setup ]; then
    setup=1
    [ $# -ge 2 ] || usage
    arch=$2
    shift 2
    names=("$@")
    tag="producer setup/$arch"
else
    { [ $# -ge 3 ] && [ $# -le 4 ]; } || usage
    hdvalidate=$1 arch=$2 name=$3 workdir=${4:-}
    names=("$name")
    tag="producer $name/$arch"
fi

case $arch in
    '' | *[!a-z0-9]*) echo "$me: bad GOARCH: $arch" >&2; exit 2 ;;
esac
for n in "${names[@]}"; do
    case $n in
        '' | */* | .*) echo "$me: bad program name: $n" >&2; exit 2 ;;
    esac
    if [ ! -f "$here/$n/main.go" ]; then
        echo "$me: no such program: $here/$n/main.go" >&2
        exit 2
    fi
done

shared=
case ${HD_PRODUCER_SHARED:-} in
    '') [ $setup = 0 ] || { echo "$me: --setup needs HD_PRODUCER_SHARED" >&2; exit 2; } ;;
    /*) shared=$HD_PRODUCER_SHARED ;;
    *) echo "$me: HD_PRODUCER_SHARED must be an absolute path" >&2; exit 2 ;;
esac
gocache=
case ${HD_PRODUCER_GOCACHE:-} in
    '') [ -z "$shared" ] || gocache=$shared/gocache ;;
    /*) gocache=$HD_PRODUCER_GOCACHE ;;
    *) echo "$me: HD_PRODUCER_GOCACHE must be an absolute path" >&2; exit 2 ;;
esac
known=
if [ -n "${HD_PRODUCER_KNOWN:-}" ]; then
    known=$HD_PRODUCER_KNOWN
    [ -f "$known" ] || { echo "$me: HD_PRODUCER_KNOWN: no such file: $known" >&2; exit 2; }
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

# What each GOARCH must show: pointer size, byte order, qemu-user cpu name.
ptrsize='' order='' cpu=''
case $arch in
    386) ptrsize=4 order=little cpu= ;;    # qemu-i386 7.2 cannot run Go's 386 port
    amd64) ptrsize=8 order=little cpu=x86_64 ;;
    arm) ptrsize=4 order=little cpu=arm ;;
    arm64) ptrsize=8 order=little cpu=aarch64 ;;
    loong64) ptrsize=8 order=little cpu=loongarch64 ;;
    mips) ptrsize=4 order=big cpu=mips ;;
    mipsle) ptrsize=4 order=little cpu=mipsel ;;
    mips64) ptrsize=8 order=big cpu=mips64 ;;
    mips64le) ptrsize=8 order=little cpu=mips64el ;;
    ppc64) ptrsize=8 order=big cpu=ppc64 ;;
    ppc64le) ptrsize=8 order=little cpu=ppc64le ;;
    riscv64) ptrsize=8 order=little cpu=riscv64 ;;
    s390x) ptrsize=8 order=big cpu=s390x ;;
    *) cpu=$arch ;;
esac

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

# Temporary folders, always under /tmp whatever TMPDIR says: names of the
# folder a program runs in can end up in its dump.
tmps=()
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    if [ "${HD_PRODUCER_KEEP:-0}" = 1 ]; then
        [ ${#tmps[@]} -eq 0 ] || echo "$tag: kept ${tmps[*]}"
    elif [ ${#tmps[@]} -gt 0 ]; then
        rm -rf "${tmps[@]}"
    fi
}
trap cleanup EXIT
newtmp() { # sets $tmpdir
    tmpdir=$(mktemp -d /tmp/hdproducer.XXXXXX) || exit 1
    tmps+=("$tmpdir")
}

# build SRC OUT: build the Go file SRC (package main, standard library only)
# for $arch into OUT, in a fresh temporary folder, under a clean environment.
build() {
    local src=$1 out=$2 dir cache
    newtmp
    dir=$tmpdir
    cache=${gocache:-$dir/cache}
    cp "$src" "$dir/main.go" || return 1
    printf 'module producer\n\ngo 1.19\n' >"$dir/go.mod" || return 1
    # Go's variables, for the build only. Modules on, with no network and no
    # configuration from outside the temporary folder.
    (cd "$dir" && exec env -i PATH=/usr/bin:/bin HOME="$dir" LANG=C.UTF-8 \
        GOARCH="$arch" GOOS=linux CGO_ENABLED=0 \
        GOCACHE="$cache" GOPATH="$dir/gopath" GOENV=off \
        GO111MODULE=on GOFLAGS=-mod=mod GOPROXY=off GOWORK=off \
        GOTOOLCHAIN=local GOTELEMETRY=off \
        "$go" build -trimpath -o prog .) || return 1
    if [ "$out" != "$dir/prog" ]; then
        mkdir -p "$(dirname "$out")" && cp "$dir/prog" "$out.tmp$$" && mv -f "$out.tmp$$" "$out"
    fi
}

# The probe: prints GOARCH, pointer size and byte order as the program sees them.
probe_src() {
    cat <<'EOF'
package main

import (
	"os"
	"runtime"
	"strconv"
	"unsafe"
)

func main() {
	done := make(chan int)
	go func() { runtime.GC(); done <- int(unsafe.Sizeof(uintptr(0))) }()
	ptr := <-done
	x := uint16(1)
	order := "little"
	if *(*byte)(unsafe.Pointer(&x)) == 0 {
		order = "big"
	}
	os.Stdout.WriteString("hdprobe " + runtime.GOARCH + " " + strconv.Itoa(ptr) + " " + order + "\n")
}
EOF
}

# probe: sets $probe_result to "ok native", "ok /path/qemu-CPU-static" or
# "skip REASON".
probe() {
    local dir want got rc why=() runner ran candidates=() host native_rc=
    newtmp
    dir=$tmpdir
    probe_src >"$dir/probe.go"
    if ! build "$dir/probe.go" "$dir/probe"; then
        probe_result="fail the probe program does not build for $arch"
        return
    fi
    want="hdprobe $arch ${ptrsize:-[48]} ${order:-[a-z]*}"
    host=$(env -i PATH=/usr/bin:/bin HOME="$dir" GOENV=off "$go" env GOHOSTARCH 2>/dev/null) || host=
    candidates=(native)
    local qemu=
    if [ -n "$cpu" ] && [ "$arch" != "$host" ]; then
        qemu=$(PATH=/usr/bin:/usr/local/bin:$PATH command -v "qemu-$cpu-static" 2>/dev/null) || qemu=
        [ -z "$qemu" ] || candidates+=("$qemu")
    fi
    for runner in "${candidates[@]}"; do
        # Natively, bash's own exec starts it: on ENOEXEC bash says "Exec
        # format error" (status 126), where execvp (env, timeout) would hand
        # the binary to /bin/sh.
        if [ "$runner" = native ]; then ran=(./probe); else ran=(timeout 120 "$runner" ./probe); fi
        got=$(cd "$dir" && exec "${ran[@]}" 2>"$dir/probe.err")
        rc=$?
        [ "$runner" != native ] || native_rc=$rc
        # shellcheck disable=SC2053 # $want is a pattern
        if [ $rc -eq 0 ] && [[ $got == $want ]]; then
            probe_result="ok $runner"
            return
        fi
        local err
        err=$(grep -v '^[[:space:]]*$' "$dir/probe.err" | head -n 1 | cut -c1-200)
        err=$(sed -E 's/^.*: line [0-9]+: //' <<<"${err//"$dir"\//./}")
        if [ $rc -eq 0 ]; then
            why+=("${runner##*/}: printed '${got:0:80}', not '$want'")
        else
            why+=("${runner##*/}: exit $rc${err:+: $err}")
        fi
    done
    local reason="cannot run $arch binaries on this machine (${why[*]})"
    reason=${reason//$'\n'/ }
    if [ "$arch" = 386 ]; then
        [ "$native_rc" != 126 ] || reason="$reason: a kernel without 32-bit x86 execution"
        reason="$reason; qemu-i386 is no substitute (Go's 386 port crashes under qemu-i386 7.2: 'bad g in signal handler', 'morestack on g0', SIGSEGV)"
    elif [ -z "$qemu" ] && [ -n "$cpu" ] && [ "$arch" != "$host" ]; then
        reason="$reason; qemu-$cpu-static not found (Debian package qemu-user-static)"
    fi
    probe_result="skip $reason"
}

# ---- setup: probe once, build every program once ----------------------------
if [ $setup = 1 ]; then
    mkdir -p "$shared/$arch" || exit 1
    t0=$(now_us)
    probe
    printf '%s\n' "$probe_result" >"$shared/$arch/probe.tmp$$" && mv -f "$shared/$arch/probe.tmp$$" "$shared/$arch/probe"
    case $probe_result in
        ok*) ;;
        skip*) echo "$tag: ${probe_result#skip }: the $arch tests will skip"; exit 0 ;;
        *) echo "$tag: FAIL (${probe_result#fail })"; exit 1 ;;
    esac
    t1=$(now_us)
    echo "$tag: runner ${probe_result#ok }, probe $(secs $((t1 - t0))) s"
    rc=0
    for n in "${names[@]}"; do
        t1=$(now_us)
        if build "$here/$n/main.go" "$shared/$arch/$n"; then
            echo "$tag: built $n in $(secs $(($(now_us) - t1))) s"
        else
            echo "$tag: FAIL (build of $n failed)"
            rm -f "$shared/$arch/$n"
            rc=1
        fi
    done
    exit $rc
fi

# ---- one test ----------------------------------------------------------------
src=$here/$name/main.go

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
expects+=(--expect "errors == 0" --expect "warnings == 0")
nexp=$((nexp + 2))
if [ -n "$ptrsize" ]; then
    expects+=(--expect "ptrsize == $ptrsize")
    nexp=$((nexp + 1))
fi
[ -z "$known" ] || expects+=(--known-deviations "$known")

t0=$(now_us)
probe_result=
probed=
if [ -n "$shared" ] && [ -f "$shared/$arch/probe" ]; then
    probe_result=$(cat "$shared/$arch/probe")
else
    probe
    probed="probe $(secs $(($(now_us) - t0))) s, "
fi
case $probe_result in
    ok*) runner=${probe_result#ok } ;;
    skip*) echo "$tag: SKIP (${probe_result#skip })"; exit 77 ;;
    *) echo "$tag: FAIL (${probe_result#fail })"; exit 1 ;;
esac

newtmp
tmp=$tmpdir
if [ -n "$shared" ] && [ -x "$shared/$arch/$name" ] && [ "$shared/$arch/$name" -nt "$src" ]; then
    cp "$shared/$arch/$name" "$tmp/prog" || exit 1
    built="${probed}prebuilt"
else
    tb=$(now_us)
    if ! build "$src" "$tmp/prog.new"; then
        echo "$tag: FAIL (build failed)"
        exit 1
    fi
    mv "$tmp/prog.new" "$tmp/prog" || exit 1
    built="${probed}build $(secs $(($(now_us) - tb))) s"
fi
t1=$(now_us)

if [ "$runner" = native ]; then run=(./prog); else run=("$runner" ./prog); fi
dumpname=$name-$arch.heapdump
dump=$tmp/$dumpname
# Relative names only, so that argv holds no path of ours.
# shellcheck disable=SC2086 # HD_PRODUCER_ARGS is a list of words
(cd "$tmp" && exec env -i PATH=/usr/bin:/bin HOME=/home/gopher LANG=C.UTF-8 \
    "${run[@]}" "$dumpname" ${HD_PRODUCER_ARGS:-})
rc=$?
t2=$(now_us)
if [ $rc -ne 0 ]; then
    echo "$tag: FAIL (program exited with status $rc under ${runner##*/})"
    exit 1
fi
if [ ! -s "$dump" ]; then
    echo "$tag: FAIL (program wrote no dump)"
    exit 1
fi
size=$(wc -c <"$dump")
size=${size//[[:space:]]/}

out=$("$hdvalidate" "${expects[@]}" "$dump" 2>&1)
vrc=$?
t3=$(now_us)
printf '%s\n' "$out"

# The verdict line: "FILE: valid: go1.7 heap dump, 8-byte big-endian, producer ..., N records, ..."
verdict_line=$(grep -F "$dump: " <<<"$out" | tail -n 1)
layout=$(grep -oE '[0-9]+-byte [a-z]+-endian' <<<"$verdict_line" | head -n 1)
records=$(grep -oE '[0-9]+ records' <<<"$verdict_line" | head -n 1)
status="hdvalidate exit $vrc"
if [ -n "$order" ] && [ "${layout#* }" != "$order-endian" ]; then
    echo "$tag: the dump is ${layout:-of unknown byte order}, but $arch is $order-endian"
    status="$status, wrong byte order"
    vrc=1
fi

exported=
if [ -n "$workdir" ]; then
    # Refuse to export a dump that names this checkout, the caller's home or
    # working directory, or the folder it was made in.
    leak=
    for s in "$here" "${HOME:-}" "${PWD:-}" "$tmp" "${shared:-}"; do
        if [ ${#s} -ge 5 ] && grep -aqF -- "$s" "$dump"; then
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
echo "$tag: $verdict ($status, $nexp expectations) ${layout:-?}, ${records:-? records}," \
    "dump $size bytes, runner ${runner##*/}, $built, run $(secs $((t2 - t1))) s," \
    "validate $(secs $((t3 - t2))) s$exported"
exit $vrc
