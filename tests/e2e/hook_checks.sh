#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml) on fixture work trees: its entry, run as pre-commit
# runs it (claimcheck on PATH, in the work tree), fails for an over-claiming report and passes for
# an honest one; an uncommitted change counts. Then real pre-commit (`pre-commit try-repo`) runs
# the hook from this repository. Uses the repositories run.sh built under WORK/repos.
#   hook_checks.sh CLAIMCHECK SOURCE_DIR WORK_DIR     exit status = number of failures
set -uo pipefail
bin=$1 src=$2 work=$3
out=$work/hook
rm -rf "$out"; mkdir -p "$out/bin"
fails=0
fail() { echo "FAIL: hook: $*"; fails=$((fails + 1)); }
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
ln -s "$bin" "$out/bin/claimcheck"
export PATH="$out/bin:$PATH"

entry=$(sed -n 's/^  entry: //p' "$src/.pre-commit-hooks.yaml")
[ -n "$entry" ] || { echo "FAIL: hook: no entry in .pre-commit-hooks.yaml"; exit 1; }
run_hook() { (cd "$1" && bash -c "$entry") > "$out/last.out" 2>&1; }

for name in overclaim honest; do git clone -q "$work/repos/$name" "$out/$name"; done
run_hook "$out/overclaim"; rc=$?
[ $rc = 1 ] || fail "overclaim: the hook exited $rc, expected 1"
grep -q "Over-claimed" "$out/last.out" || fail "overclaim: the hook's output does not say what is over-claimed"
run_hook "$out/honest"; rc=$?
[ $rc = 0 ] || { fail "honest: the hook exited $rc, expected 0"; head -5 "$out/last.out"; }
# The work tree counts: removing every workflow (not committed) makes the CI items over-claimed.
git -C "$out/honest" rm -q -r .github/workflows
run_hook "$out/honest"; rc=$?
[ $rc = 1 ] || fail "honest without its workflows (uncommitted): the hook exited $rc, expected 1"
git -C "$out/honest" reset -q --hard

# Real pre-commit, with the hook taken from this repository at its HEAD.
if ! command -v pre-commit > /dev/null; then
  fail "pre-commit is not installed (tests/install-deps.sh installs it)"
elif git -C "$src" rev-parse HEAD > /dev/null 2>&1; then
  export PRE_COMMIT_HOME=$out/pre-commit-home
  (cd "$out/overclaim" && pre-commit try-repo "$src" claimcheck --all-files) > "$out/try-overclaim.out" 2>&1
  rc=$?
  [ $rc = 1 ] || { fail "pre-commit try-repo on overclaim exited $rc, expected 1"; tail -5 "$out/try-overclaim.out"; }
  grep -q "claimcheck (exam report against the repository).*Failed" "$out/try-overclaim.out" ||
    fail "pre-commit did not report the claimcheck hook as failed"
  (cd "$out/honest" && pre-commit try-repo "$src" claimcheck --all-files) > "$out/try-honest.out" 2>&1
  rc=$?
  [ $rc = 0 ] || { fail "pre-commit try-repo on honest exited $rc, expected 0"; tail -5 "$out/try-honest.out"; }
else
  fail "the source folder is not a git repository: pre-commit try-repo needs one"
fi

# The GitHub Action's audit step (action.yml, step id "audit"), run as a runner would run it in the
# checkout, with claimcheck on PATH: a job summary in Markdown, a valid SARIF file, and the exit
# status handed to the last step.
tools=$work/npm-tools/node_modules
bash "$src/tests/tools/install.sh" "$work/npm-tools" > /dev/null || fail "cannot install the npm tools"
NODE_PATH=$tools node -e '
  const yaml = require("js-yaml");
  const a = yaml.load(require("fs").readFileSync(process.argv[1], "utf8"));
  const step = a.runs.steps.find(s => s.id === "audit");
  process.stdout.write(step.run);
' "$src/action.yml" > "$out/audit-step.sh" || fail "no step with id audit in action.yml"
for name in overclaim honest; do
  : > "$out/$name.summary"; : > "$out/$name.output"
  (cd "$out/$name" && GITHUB_STEP_SUMMARY="$out/$name.summary" GITHUB_OUTPUT="$out/$name.output" \
     CC_REPORT=reports/README.md CC_FAIL_ON=overclaimed CC_SARIF=claimcheck.sarif bash -e "$out/audit-step.sh") \
    > "$out/$name.action.log" 2>&1 || fail "$name: the action's audit step failed: $(tail -3 "$out/$name.action.log")"
  grep -q "^## claimcheck: reports/README.md at" "$out/$name.summary" || fail "$name: no Markdown job summary"
  grep -q '"version": "2.1.0"' "$out/$name/claimcheck.sarif" || fail "$name: no SARIF file"
done
grep -qx "status=1" "$out/overclaim.output" || fail "overclaim: the action's audit step did not hand on status 1"
grep -qx "status=0" "$out/honest.output" || fail "honest: the action's audit step did not hand on status 0"

echo "hook: checked on overclaim and honest; action.yml's audit step too"
exit $fails
