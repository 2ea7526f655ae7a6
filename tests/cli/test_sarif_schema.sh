#!/usr/bin/env bash
# SARIF logs that hdvalidate writes validate against the SARIF 2.1.0 JSON schema.
# usage: test_sarif_schema.sh HDVALIDATE MKHOSTILE PROJECT_SOURCE_DIR
# Needs python3 with jsonschema (Debian: python3-jsonschema); exits 77 (skipped) with the reason without it.
set -u
hdv=$1 mk=$2 src=$3 pass=0 fail=0
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3 || true)
if [ -z "$py" ] || ! "$py" -c 'import jsonschema' 2>/dev/null; then
  echo "SKIP: python3 with the jsonschema module (Debian package python3-jsonschema) is not installed"
  exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$mk" frameless "$tmp/frameless.hd" 50
cp "$src/corpus/conformance/y_go17_ptr8_minimal.hd" "$tmp/dümp with space.hd"
check() {   # check NAME FILE...
  local name=$1; shift
  "$hdv" --format=sarif "$@" >"$tmp/log.sarif" 2>/dev/null
  if "$py" - "$src/tests/cli/sarif-schema-2.1.0.json" "$tmp/log.sarif" <<'PY'
import json, sys, jsonschema
schema, log = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
jsonschema.validators.validator_for(schema)(schema).validate(log)
r = log["runs"][0]
assert all(res["locations"][0]["physicalLocation"]["region"]["startLine"] == 1 for res in r["results"])
PY
  then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name: the SARIF log does not validate"; fi
}
check "valid" "$src/corpus/conformance/y_go17_ptr8_minimal.hd"
check "invalid" "$src/corpus/conformance/n_S105_params_bool_2.hd" "$src/corpus/generated/n_G101_go1.3_seed222.hd"
check "unreadable" "$tmp/missing.hd" /etc/passwd
check "capped" "$tmp/frameless.hd"
check "odd name" "$tmp/dümp with space.hd"
check "real" "$src"/corpus/real/*.heapdump
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
