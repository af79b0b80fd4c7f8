#!/usr/bin/env bash
# --time-budget end to end, on the `overclaim` fixture (which over-claims: exit 1 without a
# budget). A budget of 0 s runs no probe and no history walk: the result is partial, names the cap,
# and accuses nobody on evidence it never read. A budget far above the audit's time changes
# nothing. No test here measures time.
#   time_budget.sh CLAIMCHECK SOURCE_DIR WORK_DIR     exit status = number of failures
set -uo pipefail
bin=$1 src=$2 work=$3/time-budget
rm -rf "$work"; mkdir -p "$work"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
repo=$work/overclaim
bash "$src/tests/e2e/build_fixture.sh" "$src/fixtures/overclaim" "$repo" > "$work/build.log" 2>&1 ||
  { echo "FAIL: building the overclaim fixture"; cat "$work/build.log"; exit 1; }

timeout 120 "$bin" check "$repo" --format json > "$work/none.json"; none=$?
timeout 120 "$bin" check "$repo" --format json --time-budget 3600 > "$work/long.json"; long=$?
timeout 120 "$bin" check "$repo" --format json --time-budget 0 > "$work/zero.json"; zero=$?

[ "$none" = 1 ] || fail "without a budget the overclaim fixture should exit 1, got $none"
[ "$long" = "$none" ] || fail "a budget of an hour changed the exit status ($long, not $none)"
cmp -s "$work/none.json" "$work/long.json" || fail "a budget of an hour changed the JSON output"

[ "$zero" = 0 ] || fail "budget 0: exit $zero, expected 0 (nothing may be accused)"
python3 - "$work/zero.json" <<'PY' || fails=$((fails + 1))
import json, sys
r = json.load(open(sys.argv[1]))
errors = []
problems = [p["detail"] for p in r["input_problems"]]
budget = [p for p in problems if "--time-budget" in p]
tc = r["claims"].get("test_count") or {}
if tc.get("verdict") in ("weak", "overclaimed"): errors.append("the test count accused with pytest not run: %r" % tc.get("reason"))
if not r["summary"]["partial_result"]: errors.append("summary.partial_result is not true")
if len(budget) != 1: errors.append("expected one input problem naming --time-budget, got %r" % problems)
elif not all(w in budget[0] for w in ("github-workflows", "pytest", "history walk", "answer claim checks", "0 s")):
    errors.append("the budget problem does not say what was skipped: %r" % budget[0])
accused = [i["text"][:50] for i in r["checklist"] if i["verdict"] in ("weak", "overclaimed") and not i.get("contradiction")]
if accused: errors.append("accused with evidence unread: %r" % accused)
if not any(i["status"] == "unverifiable" for i in r["checklist"]): errors.append("no item became unverifiable")
for e in errors: print("FAIL: budget 0: " + e)
sys.exit(1 if errors else 0)
PY

timeout 60 "$bin" check "$repo" --time-budget -1 > /dev/null 2>&1; neg=$?
[ "$neg" = 2 ] || fail "a negative budget should be a usage error (2), got $neg"
echo "time budget: $fails failure(s)"
exit "$fails"
