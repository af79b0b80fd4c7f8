#!/usr/bin/env bash
# The published JSON schema (engine/schema/claimcheck.schema.json) against every fixture's
# expected.json and the live output of the repositories run.sh built, with an independent validator
# (ajv-cli from the npm registry, pinned in tests/tools/). A broken copy must be rejected.
#   schema_checks.sh CLAIMCHECK SOURCE_DIR WORK_DIR     exit status = number of failures
set -uo pipefail
bin=$1 src=$2 work=$3
out=$work/schema
rm -rf "$out"; mkdir -p "$out"
fails=0
fail() { echo "FAIL: schema: $*"; fails=$((fails + 1)); }
bash "$src/tests/tools/install.sh" "$work/npm-tools" > /dev/null || { echo "FAIL: schema: cannot install the validators"; exit 1; }
ajv=$work/npm-tools/node_modules/.bin/ajv
schema=$src/engine/schema/claimcheck.schema.json
# strict-required off: "directory" is required only when "exists" (if/then), which strict mode
# cannot see is defined in the enclosing properties.
check() { "$ajv" validate --strict=true --strict-required=false -s "$schema" -d "$1" > "$out/ajv.log" 2>&1; }

n=0
for f in "$src"/fixtures/*/expected.json; do
  if check "$f"; then n=$((n + 1)); else fail "$(realpath --relative-to="$src" "$f"): $(head -c 600 "$out/ajv.log")"; fi
done
"$bin" check "$work/repos/escaping" --format json -o "$out/escaping.json" --fail-on never
check "$out/escaping.json" || fail "escaping (live): $(head -c 600 "$out/ajv.log")"

sed '0,/"verdict": "[a-z-]*"/s//"verdict": "great"/' "$src/fixtures/overclaim/expected.json" > "$out/broken.json"
check "$out/broken.json" && fail "the schema accepted a verdict 'great'"

echo "schema: $n expected.json files valid (ajv-cli)"
exit $fails
