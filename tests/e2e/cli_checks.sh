#!/usr/bin/env bash
# Command-line behaviour end to end: exit statuses, one-line errors, bare mirrors, --worktree,
# --rev/--at, --catalog. Uses the repositories run.sh built under WORK/repos.
#   cli_checks.sh CLAIMCHECK SOURCE_DIR WORK_DIR     exit status = number of failures
set -uo pipefail
bin=$1 src=$2 work=$3
repos=$work/repos
fails=0
t=$work/cli
rm -rf "$t"; mkdir -p "$t"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

expect() {  # description, expected exit, command...
  local what=$1 want=$2; shift 2
  "$@" > "$t/out" 2> "$t/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want"; sed 's/^/  stderr: /' "$t/err" | head -5
    fails=$((fails + 1)); return 1
  fi
  if [ "$want" -ge 2 ] && [ "$(wc -l < "$t/err")" -ne 1 ]; then
    echo "FAIL: $what: expected a one-line message on stderr, got:"; cat "$t/err"
    fails=$((fails + 1)); return 1
  fi
  return 0
}
contains() {  # description, file, fixed string
  if ! grep -qF -- "$3" "$2"; then echo "FAIL: $1: '$3' not in output"; head -20 "$2"; fails=$((fails + 1)); fi
}

expect "no subcommand" 2 "$bin"
expect "unknown format" 2 "$bin" check "$repos/honest" --format xml
expect "unknown option" 2 "$bin" check "$repos/honest" --frobnicate
expect "not a repository" 3 "$bin" check "$t/does-not-exist"
contains "not a repository message" "$t/err" "does-not-exist"
expect "missing report" 3 "$bin" check "$repos/honest" --report no/such/report.md
contains "missing report says what to do" "$t/err" "--report"
expect "report absent at an older commit" 3 "$bin" check "$repos/honest" --rev HEAD~1
expect "deadline before the first commit" 3 "$bin" check "$repos/honest" --at 2020-01-01T00:00:00Z
expect "malformed deadline" 3 "$bin" check "$repos/honest" --at yesterday

# A bare mirror, and the same mirror without its config file, read like the clone.
git clone -q --mirror "$repos/honest" "$t/honest.git"
expect "bare mirror" 0 "$bin" check "$t/honest.git" --format json
cp "$t/out" "$t/mirror.json"
contains "mirror json commit" "$t/mirror.json" "\"commit\": \"$(git -C "$repos/honest" rev-parse HEAD)\""
if ! diff -q "$t/mirror.json" "$src/fixtures/honest/expected.json" > /dev/null; then
  echo "FAIL: the bare mirror's JSON differs from the clone's"; fails=$((fails + 1))
fi
rm "$t/honest.git/config"
expect "mirror without config" 0 "$bin" check "$t/honest.git" --format json
if ! diff -q "$t/out" "$src/fixtures/honest/expected.json" > /dev/null; then
  echo "FAIL: the config-less mirror's JSON differs from the clone's"; fails=$((fails + 1))
fi

# --worktree sees an uncommitted lint workflow; the committed state does not.
git clone -q "$repos/overclaim" "$t/wt"
mkdir -p "$t/wt/.github/workflows"
printf 'on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check .\n' > "$t/wt/.github/workflows/lint.yml"
expect "committed state" 1 "$bin" check "$t/wt" --format json
python_free_grep() { grep -A12 "\"$1\"" "$t/out" | grep -m1 '"verdict"'; }
python_free_grep "Add a linting step to your continuous integration (M17)" > "$t/v1"
contains "lint over-claimed when committed" "$t/v1" "overclaimed"
expect "worktree" 1 "$bin" check "$t/wt" --worktree --format json
python_free_grep "Add a linting step to your continuous integration (M17)" > "$t/v2"
contains "lint ok in the worktree" "$t/v2" "\"ok\""
contains "worktree commit id" "$t/out" '"commit": "worktree"'

# The messy fixture at HEAD (after the deadline) has its lint workflow.
expect "messy at HEAD" 0 "$bin" check "$repos/messy" --format json
python_free_grep "Add a linting step to your continuous integration (M17)" > "$t/v3"
contains "lint ok at HEAD" "$t/v3" "\"ok\""

# Listing probes and facts.
expect "probes" 0 "$bin" probes
contains "probes list" "$t/out" "github-workflows"
contains "probes list" "$t/out" "pytest"
expect "facts" 0 "$bin" facts "$repos/honest"
contains "facts has matrix combos" "$t/out" '"kind": "workflow.combo"'
contains "facts has the test summary" "$t/out" '"kind": "pytest.summary"'

# An edited catalog is read with --catalog; a broken one is a clear error naming file and line.
mkdir -p "$t/catalog"
cp "$src"/reports/catalog/*.yaml "$t/catalog/"
expect "catalog copy" 0 "$bin" check "$repos/honest" --catalog "$t/catalog" --format json
printf 'checks:\n  broken:\n    looked_for: x\n    outcomes:\n      - status: maybe\n        says: y\n    otherwise: {status: absent, says: z}\n' > "$t/catalog/zz-broken.yaml"
expect "broken catalog" 3 "$bin" check "$repos/honest" --catalog "$t/catalog"
contains "broken catalog names file and line" "$t/err" "zz-broken.yaml:5"

# Same input, byte-identical output.
"$bin" check "$repos/overclaim" --format json > "$t/a.json"
"$bin" check "$repos/overclaim" --format json > "$t/b.json"
cmp -s "$t/a.json" "$t/b.json" || { echo "FAIL: JSON output is not deterministic"; fails=$((fails + 1)); }

# The course's five real reports (../shared/reports), audited against a fixture repository: they
# must parse and give a verdict for every ticked box, never a crash.
shared="$src/../shared/reports"
if [ -d "$shared" ]; then
  for rep in "$shared"/*.md; do
    "$bin" check "$repos/honest" --report "$rep" --format json > "$t/real.json" 2> "$t/err"
    code=$?
    if [ $code -gt 1 ]; then
      echo "FAIL: real report $(basename "$rep"): exit $code"; cat "$t/err"; fails=$((fails + 1)); continue
    fi
    ticks=$(grep -cE '^\s*[*-] \[[xX]\]' "$rep")
    got=$(grep -c '"ticked": true' "$t/real.json")
    [ "$ticks" = "$got" ] || { echo "FAIL: $(basename "$rep"): $got ticked items, grep finds $ticks"; fails=$((fails + 1)); }
  done
else
  echo "skipped: the real reports in ../shared/reports are absent"
fi

# Every checklist item of every template version gets a status from a rule (never not-checked),
# here against the fullstack fixture.
templates="$src/../shared/templates"
if [ -d "$templates" ] && [ -d "$repos/fullstack" ]; then
  for tpl in "$templates"/*.md; do
    "$bin" check "$repos/fullstack" --report "$tpl" --format json > "$t/tpl.json" 2> "$t/err"
    code=$?
    if [ $code -gt 1 ]; then
      echo "FAIL: template $(basename "$tpl"): exit $code"; cat "$t/err"; fails=$((fails + 1)); continue
    fi
    if grep -q '"status": "not-checked"' "$t/tpl.json"; then
      echo "FAIL: template $(basename "$tpl") has items no rule decides:"
      grep -B8 '"status": "not-checked"' "$t/tpl.json" | grep '"text"' | head -5
      fails=$((fails + 1))
    fi
  done
else
  echo "skipped: the course templates in ../shared/templates are absent"
fi

# Output formats, -o, --fail-on, NO_COLOR, rules and explain (issue 9).
expect "html to a file" 1 "$bin" check "$repos/overclaim" --format html -o "$t/o.html"
[ -s "$t/out" ] && { echo "FAIL: -o still wrote to stdout"; fails=$((fails + 1)); }
contains "html file" "$t/o.html" "<!DOCTYPE html>"
contains "html oral questions" "$t/o.html" "Questions for the oral exam"
expect "sarif to a file" 1 "$bin" check "$repos/overclaim" --format sarif -o "$t/o.sarif"
contains "sarif version" "$t/o.sarif" '"version": "2.1.0"'
expect "json to a file equals stdout" 1 "$bin" check "$repos/overclaim" --format json -o "$t/o.json"
diff -q "$t/o.json" "$src/fixtures/overclaim/expected.json" > /dev/null ||
  { echo "FAIL: -o FILE json differs from the expected stdout"; fails=$((fails + 1)); }
expect "markdown" 1 "$bin" check "$repos/overclaim" --format markdown
contains "markdown summary" "$t/out" "## claimcheck: reports/README.md at"
contains "markdown flagged table" "$t/out" "| 17 | Add a linting step"
expect "-o into a missing folder" 3 "$bin" check "$repos/overclaim" --format html -o "$t/no/such/dir/x.html"
contains "-o error names the file" "$t/err" "no/such/dir/x.html"
expect "--repo-url not http(s)" 2 "$bin" check "$repos/honest" --format html --repo-url 'javascript:alert(1)'
expect "--fail-on unknown" 2 "$bin" check "$repos/honest" --fail-on sometimes
expect "--fail-on never" 0 "$bin" check "$repos/overclaim" --fail-on never
expect "honest: default (overclaimed)" 0 "$bin" check "$repos/honest"
expect "honest: --fail-on weak" 1 "$bin" check "$repos/honest" --fail-on weak
expect "honest: --fail-on unverifiable" 1 "$bin" check "$repos/honest" --fail-on unverifiable
# Colour on a terminal (script(1) gives one) unless NO_COLOR is set; --color always still colours.
if command -v script > /dev/null; then
  script -qec "$bin check $repos/overclaim" /dev/null > "$t/tty.out" 2>&1
  grep -q $'\x1b\[' "$t/tty.out" || { echo "FAIL: no colour on a terminal"; fails=$((fails + 1)); }
  NO_COLOR=1 script -qec "$bin check $repos/overclaim" /dev/null > "$t/tty.out" 2>&1
  grep -q $'\x1b\[' "$t/tty.out" && { echo "FAIL: colour on a terminal with NO_COLOR=1"; fails=$((fails + 1)); }
  NO_COLOR=1 "$bin" check "$repos/overclaim" --color always > "$t/tty.out" 2>&1
  grep -q $'\x1b\[' "$t/tty.out" || { echo "FAIL: --color always ignored under NO_COLOR"; fails=$((fails + 1)); }
else
  echo "FAIL: script(1) (util-linux) missing: NO_COLOR untested"; fails=$((fails + 1))
fi
expect "rules" 0 "$bin" rules
contains "rules lists ci-lint" "$t/out" $'ci-lint\tM17\t2025\t'
[ "$(wc -l < "$t/out")" -ge 50 ] || { echo "FAIL: rules lists fewer than 50 items"; fails=$((fails + 1)); }
expect "explain ci-lint" 0 "$bin" explain ci-lint
contains "explain names the probes" "$t/out" "probes: github-workflows"
contains "explain shows outcomes" "$t/out" "otherwise absent"
contains "explain shows the oral-exam question" "$t/out" "overclaimed: You ticked"
expect "explain unknown item" 2 "$bin" explain no-such-item
contains "explain unknown says where to look" "$t/err" "claimcheck rules"

[ $fails -eq 0 ] && echo "cli checks: all passed"
exit $fails
