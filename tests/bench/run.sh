#!/usr/bin/env bash
# Benchmark (issue 11): claimcheck's audit against the floor, the least work any audit must do,
# measured in the same run on the same repositories. The floor is tests/bench/floor.cpp (built as
# claimcheck-floor beside the tests): one history walk with every commit's changed paths, every
# blob the audit reads (each distinct blob of the history up to the secret scan's cap, the files
# the scan skips by name excepted) and every Python file of HEAD parsed once with the same
# tree-sitter grammar. Printed per repository: the floor's and claimcheck's median time, the ratio,
# and claimcheck's peak memory (its --stats); for a large synthetic repository, every fixture
# repository, and any repositories named in BENCH_REPOS (paths of clones or bare mirrors,
# space-separated). Not a test: nothing here asserts a time.
#   bash tests/bench/run.sh [CLAIMCHECK] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-$src/build/claimcheck}")
floor=${FLOOR:-$(dirname "$bin")/tests/claimcheck-floor}
[ -x "$floor" ] || { echo "no floor program at $floor: build the target claimcheck-floor (or set FLOOR)" >&2; exit 2; }
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
now() { date +%s%N; }
ms_of() {  # command... -> milliseconds of one run, to a tenth (a small fixture takes about 15)
  local s e
  s=$(now); "$@" > /dev/null 2>&1 || true; e=$(now)
  awk -v d=$((e - s)) 'BEGIN {printf "%.1f\n", d / 1e6}'
}

bench() {  # name repo [folder with an args file: a fixture, run as tests/e2e/run.sh runs it]
  local name=$1 r=$2 dir=${3:-.} files commits fl cc peak args=()
  [ -f "$dir/args" ] && read -r -a args < "$dir/args"
  files=$(git -C "$r" ls-tree -r HEAD 2>/dev/null | wc -l)
  commits=$(git -C "$r" rev-list --count HEAD 2>/dev/null || echo 0)
  # Alternated run by run, so that both see the same machine: its speed drifts by tens of
  # percent within minutes on shared hosts, which consecutive batches would read as a ratio.
  local fls=() ccs=()
  for _ in $(seq "$runs"); do
    fls+=("$(ms_of "$floor" "$r")")
    ccs+=("$(cd "$dir" && ms_of "$bin" check "$r" "${args[@]}" --format json)")
  done
  fl=$(printf '%s\n' "${fls[@]}" | median)
  cc=$(printf '%s\n' "${ccs[@]}" | median)
  peak=$(cd "$dir" && { "$bin" check "$r" "${args[@]}" --format json --stats 2>&1 > /dev/null || true; } |
    awk '/^peak memory/ {print $3}')
  printf '%-28s %6s %7s %9s %9s %7s %9s\n' "$name" "$files" "$commits" "$fl" "$cc" \
    "$(awk -v a="$cc" -v b="$fl" 'BEGIN {printf "%.2fx", (b > 0 ? a / b : 0)}')" "$peak"
}

printf '%d runs each, medians; times in ms, peak memory in MiB\n' "$runs"
printf '%-28s %6s %7s %9s %9s %7s %9s\n' repository files commits floor claimcheck ratio peak
bench synthetic-large "$repo"
for fx in "$src"/fixtures/*/; do
  name=$(basename "$fx")
  [ -d "$fx/commits" ] || continue
  bash "$src/tests/e2e/build_fixture.sh" "$fx" "$work/fx/$name" > /dev/null 2>&1 || continue
  bench "$name" "$work/fx/$name" "$fx"
done
for r in ${BENCH_REPOS:-}; do
  bench "$(basename "$(dirname "$r")")/$(basename "$r")" "$r"
done
