#!/usr/bin/env bash
# The GitHub Action's shell steps, run as action.yml runs them: scripts/ci/action.sh build (into a temporary
# folder, without apt: the build dependencies are there), then validate with the action's environment.
# usage: test_action.sh PROJECT_SOURCE_DIR
set -u
src=$1 pass=0 fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok()  { pass=$((pass + 1)); }
nok() { fail=$((fail + 1)); echo "FAIL: $*"; }
export GITHUB_ACTION_PATH=$src RUNNER_TEMP=$tmp HDV_SKIP_DEPS=1 GITHUB_OUTPUT=$tmp/outputs
cd "$tmp"

if bash "$src/scripts/ci/action.sh" build >"$tmp/build.log" 2>&1 && grep -q '^hdvalidate ' "$tmp/build.log"; then ok
else nok "build step"; tail "$tmp/build.log"; fi

valid=$(ls "$src"/corpus/real/go1.19*.heapdump "$src"/corpus/conformance/y_go17_ptr8_minimal.hd | wc -l)
HDV_PATHS="$src/corpus/real/go1.19*.heapdump $src/corpus/conformance/y_go17_ptr8_minimal.hd" \
  bash "$src/scripts/ci/action.sh" validate >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c ': valid: ' "$tmp/out")" -eq "$valid" ]; then ok
else nok "valid dumps: exit $rc, want $valid lines ': valid: '"; cat "$tmp/out"; fi
if grep -q '"version":"2.1.0"' hdvalidate.sarif && grep -q '^sarif=hdvalidate.sarif$' "$tmp/outputs"; then ok
else nok "SARIF log and the sarif output"; fi

HDV_PATHS="$src/corpus/conformance/n_S105_params_bool_2.hd" HDV_SARIF=bad.sarif \
  bash "$src/scripts/ci/action.sh" validate >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q '"ruleId":"S105"' bad.sarif; then ok; else nok "invalid dump: exit $rc, want 1 and a SARIF result"; fi

HDV_PATHS="$src/corpus/generated/i_G113_go1.6_seed54.hd" bash "$src/scripts/ci/action.sh" validate >/dev/null 2>&1; a=$?
HDV_PATHS="$src/corpus/generated/i_G113_go1.6_seed54.hd" HDV_FAIL_ON=warning \
  bash "$src/scripts/ci/action.sh" validate >/dev/null 2>&1; b=$?
if [ $a -eq 0 ] && [ $b -eq 1 ]; then ok; else nok "fail-on: warnings pass ($a) unless fail-on=warning ($b)"; fi

HDV_PATHS="$tmp/nothing-*.heapdump" bash "$src/scripts/ci/action.sh" validate >/dev/null 2>&1; rc=$?
if [ $rc -eq 2 ]; then ok; else nok "no matching dump: exit $rc, want 2"; fi

# action.yml runs exactly these steps
for step in 'action.sh" build' 'action.sh" validate' 'upload-sarif'; do
  if grep -q "$step" "$src/action.yml"; then ok; else nok "action.yml lacks the step $step"; fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
