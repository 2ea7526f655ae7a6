#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script for the hdvalidate fuzz targets (fuzz/README.md).
#
# Runs inside gcr.io/oss-fuzz-base/base-builder with the source tree as the working directory. The build
# infrastructure provides: CC, CFLAGS (sanitizer + -fsanitize=fuzzer-no-link coverage flags), CXX, CXXFLAGS,
# LIB_FUZZING_ENGINE (the engine to link: libFuzzer, AFL++ or honggfuzz), FUZZING_ENGINE, SANITIZER, OUT, WORK.
#
# Produces in $OUT, for each target T:
#   T                     the fuzzer
#   T_seed_corpus.zip     fuzz/corpus/T (fuzz_records uses fuzz_reader's)
#   T.dict                fuzz/heapdump.dict
#   T.options             libFuzzer options (max_len)
# The library is compiled here from codec/*.c, validator/*.c and generator/*.c (files with a main() excluded) with the
# infrastructure's flags: no CMake, no cmocka, nothing else to install.

set -eu

SRC_DIR=${SRC_DIR:-$(pwd)}
cd "$SRC_DIR"
BUILD=${WORK:-/tmp}/hd-fuzz-build
rm -rf "$BUILD"
mkdir -p "$BUILD/obj"

HD_CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Icodec -Ivalidator -Igenerator -Ifuzz"

# ---- the library: every codec/validator/generator source without a main() ----
for f in codec/*.c validator/*.c generator/*.c; do
  [ -f "$f" ] || continue
  if grep -q '^int main' "$f"; then
    continue
  fi
  o="$BUILD/obj/$(echo "$f" | tr '/' '_' | sed 's/\.c$/.o/')"
  # shellcheck disable=SC2086
  $CC $CFLAGS $HD_CFLAGS -c "$f" -o "$o"
done
ar rcs "$BUILD/libhd.a" "$BUILD"/obj/*.o

# ---- targets ----
targets="fuzz_reader fuzz_stream fuzz_roundtrip"
# the structure-aware target needs the generator API (include/hd/gen.h and its implementation)
if [ -f include/hd/gen.h ] && [ -f include/hd/entropy.h ] && [ -f fuzz/fuzz_generate.c ]; then
  targets="$targets fuzz_generate"
fi

link() {  # link NAME OBJECTS...
  name=$1
  shift
  # The engine library may be C++ (libFuzzer, AFL++, honggfuzz drivers): link with $CXX.
  # shellcheck disable=SC2086
  $CXX $CXXFLAGS "$@" "$BUILD/libhd.a" $LIB_FUZZING_ENGINE -lpthread -o "$OUT/$name"
}

for t in $targets; do
  # shellcheck disable=SC2086
  $CC $CFLAGS $HD_CFLAGS -c "fuzz/$t.c" -o "$BUILD/$t.o"
  link "$t" "$BUILD/$t.o"
done

# fuzz_records: fuzz_reader with the record-aware custom mutator. Custom mutators (LLVMFuzzerCustomMutator,
# LLVMFuzzerMutate) are a libFuzzer interface: build it for libFuzzer only.
if [ "${FUZZING_ENGINE:-libfuzzer}" = "libfuzzer" ]; then
  # shellcheck disable=SC2086
  $CC $CFLAGS $HD_CFLAGS -c fuzz/mutator.c -o "$BUILD/mutator.o"
  link fuzz_records "$BUILD/fuzz_reader.o" "$BUILD/mutator.o"
  targets="$targets fuzz_records"
fi

# ---- seed corpora, dictionaries, options ----
for t in $targets; do
  seeds=fuzz/corpus/$t
  [ -d "$seeds" ] || seeds=fuzz/corpus/fuzz_reader
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "$seeds" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*)
  cp fuzz/heapdump.dict "$OUT/$t.dict"
  printf '[libfuzzer]\nmax_len = 65536\n' >"$OUT/$t.options"
done

echo "hdvalidate fuzz targets built in $OUT: $targets"
