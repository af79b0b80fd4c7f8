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
contains "no report: says what was looked at" "$t/err" "there is no reports/README.md, and none of the markdown files read (README.md)"
contains "no report: says what to do" "$t/err" "--report"

# Report discovery: the moved report is found by search; --report overrides it; before the move the
# default reports/README.md is taken.
if [ -d "$repos/moved-report" ]; then
  expect "moved report, --report overrides the search" 0 "$bin" check "$repos/moved-report" --report reports/README.md --format json
  contains "--report: found by option" "$t/out" '"found_by": "option"'
  contains "--report: the stub is taken as given" "$t/out" '"path": "reports/README.md"'
  expect "moved report, before the move" 0 "$bin" check "$repos/moved-report" --rev HEAD~1 --format json
  contains "before the move: found by default" "$t/out" '"found_by": "default"'
  expect "moved report, text" 0 "$bin" check "$repos/moved-report" --color never
  contains "text: one found line" "$t/out" "  found: reports/README.md has no checklist and no questions; took README.md"
fi

# A hostile repository for the search: a binary README.md, a 3 MiB markdown file, 600 notes and the
# report in notes/report.md. The search stays within its caps and still finds the report.
h=$t/hostile-search
mkdir -p "$h/notes" "$h/docs" "$h/node_modules/pkg"
printf '\0\0* [x] Create a git repository (M5)\n' > "$h/README.md"
head -c 3145728 /dev/zero | tr '\0' 'a' > "$h/docs/huge.md"
for i in $(seq 100 699); do printf '# Note %s\n\nnothing here\n' "$i" > "$h/notes/n$i.md"; done
printf '## Week 1\n\n* [x] Create a git repository (M5)\n\n### Question 1\n> Answer:\n\n7\n' > "$h/notes/report.md"
cp "$h/notes/report.md" "$h/node_modules/pkg/report.md"
git -C "$h" init -q && git -C "$h" add -A && git -C "$h" -c user.name=t -c user.email=t@e commit -q -m x
expect "hostile search finds the report" 0 "$bin" check "$h" --format json
contains "hostile search: the report" "$t/out" '"path": "notes/report.md"'
contains "hostile search: found by search" "$t/out" '"found_by": "search"'
rm "$h/notes/report.md" && git -C "$h" -c user.name=t -c user.email=t@e commit -q -am y
expect "hostile search without a report" 3 "$bin" check "$h"
contains "hostile search: files read and passed over" "$t/err" "and 195 more) has a checklist item or a \"Question N\" heading; 402 more were passed over"
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

# Secrets (issue 12): the leaky fixture's findings appear masked in every output (text, JSON,
# facts, the worktree audit, stderr); no full value of fixtures/leaky/fake-secrets.txt appears
# anywhere; the placeholder forms stay silent; --fail-on secrets sets the exit status.
if [ -d "$repos/leaky" ]; then
  outs=()
  for fmt in json text; do
    "$bin" check "$repos/leaky" --format "$fmt" --color never > "$t/leaky.$fmt" 2> "$t/leaky.$fmt.err"
    outs+=("$t/leaky.$fmt" "$t/leaky.$fmt.err")
  done
  "$bin" facts "$repos/leaky" > "$t/leaky.facts" 2> "$t/leaky.facts.err"
  git clone -q "$repos/leaky" "$t/leaky-wt"
  "$bin" check "$t/leaky-wt" --worktree --format json > "$t/leaky.wt" 2> "$t/leaky.wt.err"
  outs+=("$t/leaky.facts" "$t/leaky.facts.err" "$t/leaky.wt" "$t/leaky.wt.err")
  "$bin" check "$repos/honest" --report "$repos/leaky/reports/README.md" --format json > "$t/leaky.file" 2>&1
  outs+=("$t/leaky.file")
  n=0
  while IFS= read -r secret; do
    [ -n "$secret" ] || continue
    n=$((n + 1))
    for f in "${outs[@]}"; do
      if grep -qF -- "$secret" "$f"; then
        echo "FAIL: a fake secret (${secret:0:2}...${secret: -2}) is printed in full in $(basename "$f")"; fails=$((fails + 1))
      fi
    done
  done < "$src/fixtures/leaky/fake-secrets.txt"
  [ "$n" -ge 10 ] || { echo "FAIL: fake-secrets.txt lists $n values"; fails=$((fails + 1)); }
  for masked in 'f8****cd' 'ff****1e' 'b6****18' 'AI****yx' 'hf****PM' 'Py****pd' 'b2****ab' 'b4****4f' \
                'AK****OY' '/x****si' '6P****iV' '7o****9z'; do
    contains "leaky: masked $masked in the JSON" "$t/leaky.json" "$masked"
    contains "leaky: masked $masked in the text" "$t/leaky.text" "$masked"
    contains "leaky: masked $masked in the facts" "$t/leaky.facts" "$masked"
  done
  contains "leaky: the workflow step's key is masked in its evidence" "$t/leaky.facts" 'wandb login b6****18'
  contains "leaky: the report's quote is masked" "$t/leaky.json" 'wandb login b6****18'
  contains "leaky: history-only findings" "$t/leaky.json" '"in_head": false'
  contains "leaky: the deleted data file" "$t/leaky.json" '"path": "data/raw/train.csv"'
  for quiet in docs/setup.md .env.example src/mlops_project/train.py; do
    if grep -A2 '"kind": "secret"' "$t/leaky.json" | grep -qF "\"path\": \"$quiet\""; then
      echo "FAIL: leaky: a placeholder in $quiet is reported as a secret"; fails=$((fails + 1))
    fi
  done
  # 12 distinct secrets: 8 in HEAD, 4 only in the history; the workflow's ${{ secrets.X }} lines
  # are silent (its one finding is the key in its run step, line 13).
  n=$(grep -c '"kind": "secret"' "$t/leaky.json")
  [ "$n" = 12 ] || { echo "FAIL: leaky: $n secrets reported, expected 12"; fails=$((fails + 1)); }
  if grep -A2 '"kind": "secret"' "$t/leaky.json" | grep -A1 -F '"path": ".github/workflows/train.yaml"' |
       grep '"line"' | grep -qv '"line": 13'; then
    echo "FAIL: leaky: a placeholder in the workflow is reported as a secret"; fails=$((fails + 1))
  fi
  contains "leaky: the worktree audit finds the history too" "$t/leaky.wt" '"in_head": false'
  expect "--fail-on secrets with secrets" 1 "$bin" check "$repos/leaky" --fail-on secrets
  expect "--fail-on overclaimed,secrets" 1 "$bin" check "$repos/leaky" --fail-on overclaimed,secrets
  expect "--fail-on secrets without secrets" 0 "$bin" check "$repos/honest" --fail-on secrets
  expect "--fail-on secrets ignores over-claims" 0 "$bin" check "$repos/overclaim" --fail-on secrets
  expect "--fail-on overclaimed" 1 "$bin" check "$repos/overclaim" --fail-on overclaimed
  expect "--fail-on unknown" 2 "$bin" check "$repos/honest" --fail-on sometimes
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

# --stats (issue 11): where the time went, on stderr only; stdout is the same JSON as without it.
expect "check --stats" 1 "$bin" check "$repos/overclaim" --format json --stats
cp "$t/out" "$t/with-stats.json"
for line in "catalog " "history walk " "  probe pytest " "  probe secrets " "contradictions " "total " "peak memory "; do
  contains "--stats on stderr" "$t/err" "$line"
done
grep -q "ms$" "$t/err" || { echo "FAIL: --stats prints no times"; fails=$((fails + 1)); }
# Each Python file parsed once, whichever probes read it (pytest and python-usage here).
py_files=$(git -C "$repos/overclaim" ls-files '*.py' | wc -l)
contains "--stats counts the Python files parsed" "$t/err" "Python files parsed "
parsed=$(sed -n 's/^Python files parsed *//p' "$t/err")
[ "$parsed" = "$py_files" ] || { echo "FAIL: --stats: $parsed Python files parsed, the commit has $py_files"; fails=$((fails + 1)); }
"$bin" check "$repos/overclaim" --format json > "$t/without-stats.json" 2> /dev/null
cmp -s "$t/with-stats.json" "$t/without-stats.json" || { echo "FAIL: --stats changed stdout"; fails=$((fails + 1)); }


# --threads (issue 11): the probes that read the past run beside the others; the result is the same.
for name in leaky fullstack messy; do
  "$bin" check "$repos/$name" --format json --threads 1 > "$t/threads1.json" 2> /dev/null
  "$bin" check "$repos/$name" --format json --threads 2 > "$t/threads2.json" 2> /dev/null
  cmp -s "$t/threads1.json" "$t/threads2.json" || { echo "FAIL: $name: --threads 1 and 2 differ"; fails=$((fails + 1)); }
done
expect "--threads 0 is refused" 2 "$bin" check "$repos/honest" --threads 0

[ $fails -eq 0 ] && echo "cli checks: all passed"
exit $fails
