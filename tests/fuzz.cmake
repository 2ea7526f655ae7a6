# Fuzz targets (fuzz/): the replay tests always, the libFuzzer / AFL++ builds and smoke runs on request.
#
#   -DHD_FUZZ=ON         with clang: build each target with libFuzzer + ASan + UBSan (fuzz/<target>) and add
#                        the bounded "fuzz-smoke" ctest runs (HD_FUZZ_SMOKE_SECONDS each)
#   -DHD_FUZZ_AFL=ON     also an AFL++ smoke test per target when afl-clang-fast and afl-fuzz are found
#
# Without them, each target is still built with the plain compiler into <target>_replay (fuzz/standalone_main.c)
# and ctest (label "fuzz") replays every seed corpus file and every regression file through it.
option(HD_FUZZ "Build the libFuzzer targets (needs clang) and the fuzz-smoke tests" OFF)
option(HD_FUZZ_AFL "Add AFL++ smoke tests (needs afl-clang-fast and afl-fuzz)" OFF)
set(HD_FUZZ_SMOKE_SECONDS 20 CACHE STRING "Seconds each libFuzzer smoke test fuzzes")
set(HD_FUZZ_AFL_SECONDS 10 CACHE STRING "Seconds each AFL++ smoke test fuzzes (afl-fuzz -V)")

add_subdirectory(${PROJECT_SOURCE_DIR}/fuzz ${CMAKE_BINARY_DIR}/fuzz)
