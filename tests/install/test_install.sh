#!/usr/bin/env bash
# cmake --install into a temporary prefix, then build a small C program against it twice — with pkg-config and
# with find_package(hdvalidate) — and run both on a valid and an invalid dump. Also: the shared library exports
# only the public hd_* API, has its SONAME, and the man pages are installed.
# usage: test_install.sh BUILD_DIR PROJECT_SOURCE_DIR
set -u
build=$1 src=$2 pass=0 fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
p=$tmp/prefix good=$src/corpus/conformance/y_go17_ptr8_minimal.hd bad=$src/corpus/conformance/n_S105_params_bool_2.hd
ok()  { pass=$((pass + 1)); }
nok() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if "$@"; then ok; else nok "$*"; fi; }
runs() {  # runs NAME PROGRAM: valid dump -> 0, invalid -> 1
  LD_LIBRARY_PATH=$p/lib "$2" "$good" >"$tmp/out" 2>&1; local a=$?
  LD_LIBRARY_PATH=$p/lib "$2" "$bad" >>"$tmp/out" 2>&1; local b=$?
  if [ $a -eq 0 ] && [ $b -eq 1 ] && grep -q "INVALID, .* 1 errors" "$tmp/out"; then ok; else nok "$1: exits $a/$b"; cat "$tmp/out"; fi
}

if ! cmake --install "$build" --prefix "$p" >"$tmp/install.log" 2>&1; then nok "cmake --install"; cat "$tmp/install.log"; fi
for f in bin/hdvalidate bin/hdgen bin/hddump bin/hdasm lib/libhdvalidate.a lib/pkgconfig/hdvalidate.pc \
         include/hd/hdvalidate.h lib/cmake/hdvalidate/hdvalidateConfig.cmake \
         share/man/man1/hdvalidate.1 share/man/man1/hdgen.1 share/man/man1/hddump.1 share/man/man1/hdasm.1; do
  check test -e "$p/$f"
done
check test -e "$p/lib/libhdvalidate.so.0"
if command -v objdump >/dev/null; then
  if objdump -p "$p/lib/libhdvalidate.so" | grep -q 'SONAME *libhdvalidate.so.0'; then ok; else nok "SONAME"; fi
fi
if command -v nm >/dev/null; then
  nm -D --defined-only "$p/lib/libhdvalidate.so" | awk '{print $3}' | grep -v '^hd_' >"$tmp/extra"
  if [ ! -s "$tmp/extra" ]; then ok; else nok "symbols exported beyond hd_*:"; head "$tmp/extra"; fi
fi
"$p/bin/hdvalidate" -q "$good"; check test $? -eq 0

# pkg-config
if command -v pkg-config >/dev/null; then
  flags=$(PKG_CONFIG_PATH=$p/lib/pkgconfig pkg-config --cflags --libs hdvalidate)
  if cc -std=c11 -Wall -Wextra -Werror "$src/tests/install/consumer.c" $flags -o "$tmp/consumer-pc" 2>"$tmp/cc.log"; then
    ok; runs "pkg-config build" "$tmp/consumer-pc"
  else nok "build with pkg-config ($flags)"; cat "$tmp/cc.log"; fi
  static=$(PKG_CONFIG_PATH=$p/lib/pkgconfig pkg-config --static --cflags --libs hdvalidate)
  if cc -std=c11 "$src/tests/install/consumer.c" -Wl,-Bstatic -lhdvalidate -Wl,-Bdynamic $static -o "$tmp/consumer-st" -L"$p/lib" 2>"$tmp/cc.log"; then
    ok; runs "static build" "$tmp/consumer-st"
  else nok "static build"; cat "$tmp/cc.log"; fi
else
  echo "SKIP pkg-config: not installed"
fi

# find_package
mkdir -p "$tmp/cons"
cp "$src/tests/install/consumer.c" "$tmp/cons/"; cp "$src/tests/install/CMakeLists.txt.in" "$tmp/cons/CMakeLists.txt"
if cmake -S "$tmp/cons" -B "$tmp/cons/b" -DCMAKE_PREFIX_PATH="$p" >"$tmp/cm.log" 2>&1 && cmake --build "$tmp/cons/b" >>"$tmp/cm.log" 2>&1; then
  ok; runs "find_package build" "$tmp/cons/b/consumer"
else nok "build with find_package"; tail -20 "$tmp/cm.log"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
