#!/usr/bin/env bash
# SARIF checked by an independent validator: Microsoft's SARIF Multitool (`sarif validate`, JSON
# schema and SARIF rules), installed from the npm registry by tests/tools/install.sh. Every fixture's
# SARIF must give no error and no warning; a deliberately broken copy must give errors (so this test
# can fail). Uses the repositories run.sh built under WORK/repos.
#   sarif_checks.sh CLAIMCHECK SOURCE_DIR WORK_DIR     exit status = number of failures
set -uo pipefail
bin=$1 src=$2 work=$3
out=$work/sarif
rm -rf "$out"; mkdir -p "$out"
fails=0
fail() { echo "FAIL: sarif: $*"; fails=$((fails + 1)); }
tools=$(bash "$src/tests/tools/install.sh" "$work/npm-tools") || { echo "FAIL: sarif: cannot install the validators"; exit 1; }
multitool=$work/npm-tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
# .NET without ICU (not needed to validate) and without telemetry or first-run network use.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# Without a network where the machine allows it (root: a network namespace with no interface), so
# the validator is shown to need nothing from outside.
offline=() mode="with network"
if unshare -n true 2> /dev/null; then offline=(unshare -n); mode="offline"; fi

validate() {  # sarif file -> prints "LEVEL RULE message" per problem the validator found
  local log=$1.validation
  "${offline[@]}" "$multitool" validate "$1" -o "$log" --log ForceOverwrite > "$1.validate.out" 2>&1 || return 2
  node -e '
    const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const r of log.runs[0].results || [])
      // Allowed: no informationUri (claimcheck has no public home page to point to yet).
      if ((r.level === "error" || r.level === "warning" || r.level === undefined) &&
          r.message.id !== "Warning_ProvideToolnformationUri")
        console.log((r.level || "warning") + " " + r.ruleId + " " + r.message.id + " " + JSON.stringify(r.message.arguments || r.message.text));
  ' "$log"
}

n=0
for repo in "$work"/repos/*/; do
  name=$(basename "$repo")
  f=$out/$name.sarif
  args=()
  [ -f "$src/fixtures/$name/args" ] && read -r -a args < "$src/fixtures/$name/args"
  (cd "$src/fixtures/$name" && "$bin" check "$repo" "${args[@]}" --format sarif --fail-on never -o "$f") 2> "$out/$name.err"
  rc=$?
  [ $rc = 0 ] || { fail "$name: exit $rc with --fail-on never"; continue; }
  problems=$(validate "$f") || { fail "$name: the validator did not run: $(tail -3 "$f.validate.out")"; continue; }
  [ -z "$problems" ] || fail "$name: $(echo "$problems" | head -5)"
  n=$((n + 1))
done

# The over-claimed lint item of `overclaim` is an error on its line of the report.
grep -q '"ruleId": "ci-lint"' "$out/overclaim.sarif" || fail "overclaim: no ci-lint result"
line=$(grep -n 'Add a linting step' "$work/repos/overclaim/reports/README.md" | cut -d: -f1)
node -e '
  const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const r = log.runs[0].results.find(x => x.ruleId === "ci-lint");
  const loc = r.locations[0].physicalLocation;
  if (r.level !== "error" || loc.artifactLocation.uri !== "reports/README.md" || loc.region.startLine !== +process.argv[2]) process.exit(1);
' "$out/overclaim.sarif" "$line" || fail "overclaim: ci-lint is not an error at reports/README.md:$line"

# A broken copy (line 0, no ruleId) must be rejected: the validator really validates.
sed 's/"startLine": [0-9]*/"startLine": 0/; s/"ruleId": "[^"]*",//' "$out/overclaim.sarif" > "$out/broken.sarif"
problems=$(validate "$out/broken.sarif")
echo "$problems" | grep -q '^error' || fail "the validator accepted a broken SARIF file"

echo "sarif: $n fixtures valid (SARIF Multitool, $mode)"
exit $fails
