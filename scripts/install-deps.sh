#!/usr/bin/env bash
# Installs what building and testing hdvalidate needs, from Debian 12's packages only.
# Runs apt-get directly as root, through sudo otherwise.
set -euo pipefail
packages=(
  gcc clang-14 llvm-14 libclang-rt-14-dev lld-14 cmake make pkg-config libcmocka-dev  # build, sanitizers, libFuzzer
  zlib1g-dev libzstd-dev liblzma-dev gzip zstd xz-utils                                # compressed dumps
  python3-jsonschema                                                                   # SARIF schema test
  afl++                                                                                # AFL++ smoke runs
  golang-go                                                                            # real-producer tests
  qemu-user-static                                                                     # producer matrix: other GOARCHes
  gcovr lcov                                                                           # coverage reports
)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${packages[@]}"
