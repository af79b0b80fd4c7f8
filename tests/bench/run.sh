#!/usr/bin/env bash
# Benchmark: audit a large synthetic repository and print the numbers. Not a test: nothing here
# asserts a time. To compare honestly, it times `git archive HEAD` (git reading every blob of the
# same commit) in the same run and prints claimcheck's time as a ratio of that baseline.
#   bash tests/bench/run.sh [CLAIMCHECK] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../../build/claimcheck}")
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$work/repo
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench
export GIT_COMMITTER_EMAIL=bench@example.com GIT_AUTHOR_DATE=2026-01-20T12:00:00Z GIT_COMMITTER_DATE=2026-01-20T12:00:00Z

# The same input every run: 300 test files of 20 tests (parametrized), 1500 source modules,
# 40 workflows with 3x3 matrices, and a report ticking the checked items.
mkdir -p "$repo"/{src/pkg,tests,.github/workflows,reports}
for i in $(seq 1500); do
  printf '"""Module %s."""\nimport torch\n\n\ndef f%s(x: int) -> int:\n    """Double."""\n    return 2 * x\n' "$i" "$i" > "$repo/src/pkg/m$i.py"
done
touch "$repo/src/pkg/__init__.py"
for i in $(seq 300); do
  {
    printf 'import pytest\nfrom pkg.m%s import f%s\n\n' "$i" "$i"
    for j in $(seq 20); do
      printf '@pytest.mark.parametrize("x", [1, 2, 3])\ndef test_%s_%s(x):\n    assert f%s(x) == 2 * x\n\n\n' "$i" "$j" "$i"
    done
  } > "$repo/tests/test_m$i.py"
done
for i in $(seq 40); do
  cat > "$repo/.github/workflows/w$i.yml" <<YAML
on: {push: {branches: [main]}, pull_request: {}}
jobs:
  test:
    runs-on: \${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest, macos-latest]
        python-version: ["3.10", "3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "\${{ matrix.python-version }}", cache: pip}
      - run: pip install -e . && pytest --cov=pkg tests/
      - run: ruff check .
YAML
done
cat > "$repo/reports/README.md" <<'MD'
# Benchmark report

## Overall project checklist

* [x] Write unit tests related to the data part of your code (M16)
* [x] Get some continuous integration running on the GitHub repository (M17)
* [x] Add caching and multi-os/python/pytorch testing to your continuous integration (M17)
* [x] Add a linting step to your continuous integration (M17)

### Question 7
> **How many tests did you implement?**
>
> Answer:

We implemented 6000 tests.
MD
git -C "$repo" init -q -b main && git -C "$repo" add -A && git -C "$repo" commit -q -m bench

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() {  # command... -> seconds of one run
  local s e
  s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" 'BEGIN {print e - s}'
}
files=$(git -C "$repo" ls-files | wc -l)
bytes=$(git -C "$repo" archive HEAD | wc -c)
base=$(for _ in $(seq "$runs"); do timeit git -C "$repo" archive HEAD; done | median)
audit=$(for _ in $(seq "$runs"); do timeit "$bin" check "$repo" --format json; done | median)
facts=$(for _ in $(seq "$runs"); do timeit "$bin" facts "$repo"; done | median)
printf 'repository: %d files, %d bytes; %d runs each, medians\n' "$files" "$bytes" "$runs"
printf 'baseline  git archive HEAD         %8.3f s\n' "$base"
printf 'claimcheck check --format json     %8.3f s   %6.1fx baseline\n' "$audit" "$(awk -v a="$audit" -v b="$base" 'BEGIN {print a / b}')"
printf 'claimcheck facts                   %8.3f s   %6.1fx baseline\n' "$facts" "$(awk -v a="$facts" -v b="$base" 'BEGIN {print a / b}')"
