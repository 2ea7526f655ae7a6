#!/usr/bin/env bash
# The shell steps of the GitHub Action (action.yml); tests/ci runs them the same way.
#
#   action.sh build      build hdvalidate from this checkout into $HDV_BUILD_DIR (default $RUNNER_TEMP/hdvalidate)
#                        after installing its Debian build dependencies (HDV_SKIP_DEPS=1: they are there already)
#   action.sh validate   run it on $HDV_PATHS (files or globs, separated by spaces or newlines): the text report to
#                        the log, a SARIF log to $HDV_SARIF; exit status 1 when a dump fails (--fail-on=$HDV_FAIL_ON),
#                        2 when one cannot be read
#
# Environment: HDV_PATHS, HDV_FAIL_ON (error|warning), HDV_ARGS (more hdvalidate options), HDV_SARIF, HDV_BUILD_DIR,
# GITHUB_ACTION_PATH (the checkout of this project; default: this script's), GITHUB_OUTPUT (where outputs go).
set -euo pipefail
src=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${HDV_BUILD_DIR:-${RUNNER_TEMP:-/tmp}/hdvalidate}
hdv=$build/validator/hdvalidate

case ${1:-} in
build)
  if [ "${HDV_SKIP_DEPS:-0}" != 1 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      gcc cmake make pkg-config zlib1g-dev libzstd-dev liblzma-dev >/dev/null
  fi
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DHD_TESTS=OFF >/dev/null
  cmake --build "$build" --target hdvalidate -j"$(nproc)" >/dev/null
  "$hdv" --version
  ;;
validate)
  [ -x "$hdv" ] || { echo "action.sh: build first ($hdv is missing)" >&2; exit 2; }
  sarif=${HDV_SARIF:-hdvalidate.sarif}
  read -r -a extra <<<"${HDV_ARGS:-}"
  files=()
  set -f                                   # globs are expanded below, once, not by read
  for p in ${HDV_PATHS:?HDV_PATHS names the dumps}; do
    set +f
    matches=( $p )
    set -f
    files+=("${matches[@]}")
  done
  set +f
  [ ${#files[@]} -gt 0 ] || { echo "action.sh: no dump matches HDV_PATHS" >&2; exit 2; }
  rc=0
  "$hdv" --no-progress --fail-on="${HDV_FAIL_ON:-error}" "${extra[@]}" "${files[@]}" || rc=$?
  "$hdv" --no-progress --format=sarif --fail-on="${HDV_FAIL_ON:-error}" "${extra[@]}" "${files[@]}" >"$sarif" || true
  [ -n "${GITHUB_OUTPUT:-}" ] && echo "sarif=$sarif" >>"$GITHUB_OUTPUT"
  exit $rc
  ;;
*)
  echo "usage: action.sh build|validate" >&2
  exit 2
  ;;
esac
