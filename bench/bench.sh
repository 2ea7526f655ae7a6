#!/usr/bin/env bash
# bench.sh — hdvalidate's speed and memory, measured side by side with `wc -l` on the same files in the same
# run. A measurement, not a test: nothing here passes or fails.
#
#   bench/bench.sh [--full] [--repeat N] [--only REGEX]
#
# Builds a Release tree (build/bench), makes its inputs once (kept in build/bench/inputs; delete them to
# remake), and prints one Markdown table row per input:
#   - a real dump from the bigheap producer (tests/producers/bigheap, about 100 MB, built with Debian's Go under
#     env -i and -trimpath; skipped when go is missing),
#   - hdgen dumps of 10 MB, 100 MB and 1 GB (--full: 4 GB too), and hdgen's own write speed,
#   - the adversarial shapes of bench/shapes.c at 10^6 (--full: the sizes of issue 9, up to 4*10^7),
#   - the real dump compressed with gzip and with zstd (when the tools are there).
# For each: a baseline (`wc -l`; for a compressed input the decompressor alone, `gzip -dc` / `zstd -dc`) and
# hdvalidate (median of N runs, default 3): wall seconds, CPU seconds (user + system), the wall seconds with one
# thread (--threads=1), MB/s and records/s (MB of the dump, decompressed), the ratio to the baseline, the same
# through a pipe, peak RSS (kernel's maximum resident set), the memory budget 16 MB + 16 B/object it is held to,
# and the cross-reference bytes spilled to a temporary file.
# The machine matters: the table ends with what this one is.
set -euo pipefail
cd "$(dirname "$0")/.."
full=0 repeat=3 only=.
while [ $# -gt 0 ]; do
  case $1 in
    --full) full=1 ;;
    --repeat) repeat=$2; shift ;;
    --only) only=$2; shift ;;
    *) echo "usage: bench/bench.sh [--full] [--repeat N] [--only REGEX]" >&2; exit 2 ;;
  esac
  shift
done

build=build/bench in=build/bench/inputs
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DHD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
hdv=$build/validator/hdvalidate hdgen=$build/generator/hdgen shapes=$build/bench/hdshapes
mkdir -p "$in"

# ---- inputs --------------------------------------------------------------------------------------------------
inputs=()
add() { if [[ $1 =~ $only ]]; then inputs+=("$1"); fi; }

if command -v go >/dev/null; then
  if [ ! -s "$in/real-bigheap-100M.heapdump" ]; then
    w=$(mktemp -d /tmp/hdbench.XXXXXX)
    cp tests/producers/bigheap/main.go "$w/" && printf 'module producer\n\ngo 1.19\n' >"$w/go.mod"
    (cd "$w" && env -i PATH=/usr/bin:/bin HOME="$w" GOCACHE="$w/cache" GOPATH="$w/gopath" GOFLAGS=-mod=mod \
       GOPROXY=off CGO_ENABLED=0 go build -trimpath -o prog . &&
     env -i PATH=/usr/bin:/bin HOME=/home/gopher ./prog big.heapdump 85) >/dev/null
    mv "$w/big.heapdump" "$in/real-bigheap-100M.heapdump"
    rm -rf "$w"
  fi
  add "$in/real-bigheap-100M.heapdump"
  for z in gzip zstd; do
    ext=${z/gzip/gz}; ext=${ext/zstd/zst}
    if command -v $z >/dev/null; then
      [ -s "$in/real-bigheap-100M.heapdump.$ext" ] || $z -c "$in/real-bigheap-100M.heapdump" >"$in/real-bigheap-100M.heapdump.$ext"
      add "$in/real-bigheap-100M.heapdump.$ext"
    fi
  done
else
  echo "note: go not found, no real dump" >&2
fi

gen_speed=""
sizes=(10M 100M 1G); [ $full = 1 ] && sizes+=(4G)
for s in "${sizes[@]}"; do
  f=$in/hdgen-seed7-$s.hd
  if [ ! -s "$f" ]; then
    t0=$(date +%s.%N); "$hdgen" --seed 7 --size "$s" -o "$f"; t1=$(date +%s.%N)
    gen_speed+="$s: $(awk -v b="$(stat -c %s "$f")" -v t="$(echo "$t1 - $t0" | bc)" 'BEGIN{printf "%.0f MB/s", b/1e6/t}')  "
  fi
  add "$f"
done

# shape N (default run) N (--full)
shape_list=(
  "reverse 1000000 16000000" "goroutines 1000000 1000000" "frames 1000000 1000000" "defers 1000000 1000000"
  "types 1000000 1000000" "into-one 1000000 10000000" "forward 1000000 10000000" "attack 1000000 16000000"
  "threads 1000000 40000000" "samples 1000000 40000000")
for line in "${shape_list[@]}"; do
  read -r name n nfull <<<"$line"
  [ $full = 1 ] && n=$nfull
  f=$in/shape-$name-$n.hd
  [ -s "$f" ] || "$shapes" "$name" "$n" "$f"
  add "$f"
done

# ---- measuring -------------------------------------------------------------------------------------------------
median() { sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
# time_of CMD...: "wall cpu maxrss_kb", median of $repeat runs each
tfile=$(mktemp); trap 'rm -f "$tfile"' EXIT
time_of() {
  local w=() c=() r=() i e u s m
  for ((i = 0; i < repeat; i++)); do
    /usr/bin/time -o "$tfile" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || true
    read -r e u s m <"$tfile"
    w+=("$e"); c+=("$(echo "$u + $s" | bc)"); r+=("$m")
  done
  echo "$(printf '%s\n' "${w[@]}" | median) $(printf '%s\n' "${c[@]}" | median) $(printf '%s\n' "${r[@]}" | median)"
}

printf '| input | MB | records | objects | baseline s | hdvalidate s | CPU s | 1 thread s | MB/s | records/s | x baseline | pipe s | peak RSS MB | budget MB | spilled MB |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n'
for f in "${inputs[@]}"; do
  js=$("$hdv" --format=json --no-progress "$f" || true)
  bytes=$(sed -n 's/.*"size":\([0-9]*\).*/\1/p' <<<"$js")
  case $f in
    *.gz) base=(gzip -dc "$f") ;;
    *.zst) base=(zstd -qdc "$f") ;;
    *) base=(wc -l "$f") ;;
  esac
  records=$(sed -n 's/.*"records":\([0-9]*\).*/\1/p' <<<"$js")
  objects=$(sed -n 's/.*"counts":{[^}]*"object":\([0-9]*\).*/\1/p' <<<"$js")
  spilled=$(sed -n 's/.*"xref_spilled":\([0-9]*\).*/\1/p' <<<"$js")
  read -r wcw _ _ <<<"$(time_of "${base[@]}")"
  read -r hw hc hm <<<"$(time_of "$hdv" -q --no-progress "$f")"
  read -r h1 _ _ <<<"$(time_of "$hdv" -q --no-progress --threads=1 "$f")"
  read -r pw _ _ <<<"$(time_of sh -c "cat '$f' | '$hdv' -q --no-progress -")"
  awk -v n="$(basename "$f")" -v b="$bytes" -v rec="$records" -v obj="$objects" -v wcw="$wcw" -v hw="$hw" -v hc="$hc" \
      -v h1="$h1" -v pw="$pw" -v hm="$hm" -v sp="$spilled" 'BEGIN {
    printf "| %s | %.1f | %d | %d | %.3f | %.3f | %.3f | %.3f | %.0f | %.0f | %.1f | %.3f | %.1f | %.1f | %.1f |\n",
      n, b/1e6, rec, obj, wcw, hw, hc, h1, (hw > 0 ? b/1e6/hw : 0), (hw > 0 ? rec/hw : 0), (wcw > 0 ? hw/wcw : 0), pw,
      hm/1024, (16*1048576 + 16*obj)/1048576, sp/1048576 }'
done
echo
[ -n "$gen_speed" ] && echo "hdgen write speed (made this run): $gen_speed"
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg); $repeat runs each, median; files in the page cache"
