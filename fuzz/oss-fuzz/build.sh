#!/bin/bash -eu
# OSS-Fuzz build script for hdvalidate (projects/hdvalidate/build.sh in google/oss-fuzz).
# The build logic lives in the project's repository, shared with ClusterFuzzLite, so the two cannot drift:
# it compiles the library and each fuzz target with $CC $CFLAGS, links $LIB_FUZZING_ENGINE, and copies the
# seed corpora, dictionaries and options files to $OUT.
cd "$SRC/hdvalidate"
SRC_DIR="$SRC/hdvalidate" bash .clusterfuzzlite/build.sh
