#!/usr/bin/env bash
# Batch benchmark (issue 10): a generated roster of many repositories (the fixtures and synthetic
# ones with a longer history), audited by `claimcheck batch` with one worker, and the same
# repositories read by `git` alone in the same run: clone, every blob of the commit (git archive)
# and the history with its changed paths (git log --name-status). Prints time and peak memory per
# repository and the totals. Not a test: nothing here asserts a time.
#   bash tests/bench/batch.sh [CLAIMCHECK] [REPOS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-$src/build/claimcheck}")
n=${2:-24}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
timer=/usr/bin/time
[ -x "$timer" ] || { echo "note: /usr/bin/time (Debian package time) is missing: no peak memory for git"; timer=""; }

# Remotes: every fixture, then synthetic repositories of 200 commits over 300 files.
mkdir -p "$work/remotes"
fixtures=()
for fx in "$src"/fixtures/*/; do
  name=$(basename "$fx"); case "$name" in _*) continue ;; esac
  [ -d "$fx/commits" ] || continue
  bash "$src/tests/e2e/build_fixture.sh" "$fx" "$work/build/$name" > /dev/null 2>&1
  git clone -q --bare "$work/build/$name" "$work/remotes/$name.git"
  fixtures+=("$name")
done
synth() {  # name
  local r=$work/build/$1 i f
  git init -q -b main "$r"
  mkdir -p "$r/src/pkg" "$r/tests" "$r/.github/workflows" "$r/reports"
  # The honest fixture's final report, so that the audit has boxes to judge.
  cp "$(ls "$src"/fixtures/honest/commits/*/files/reports/README.md | tail -n 1)" "$r/reports/README.md"
  for i in $(seq 200); do
    f=$((i % 300))
    printf 'def f%s(x):\n    return x + %s\n' "$i" "$i" >> "$r/src/pkg/m$f.py"
    [ $((i % 10)) -eq 0 ] && printf 'def test_%s():\n    assert True\n' "$i" >> "$r/tests/test_m$((i % 30)).py"
    [ $((i % 50)) -eq 0 ] && printf 'on: [push]\njobs: {t: {runs-on: ubuntu-latest, steps: [{run: pytest}]}}\n' > "$r/.github/workflows/w$i.yml"
    git -C "$r" add -A
    GIT_AUTHOR_DATE="2026-01-0$((1 + i % 9))T10:00:00Z" GIT_COMMITTER_DATE="2026-01-0$((1 + i % 9))T10:00:00Z" \
      git -C "$r" -c user.name="student$((i % 4))" -c user.email="s$((i % 4))@example.com" commit -q -m "c$i"
  done
  git clone -q --bare "$r" "$work/remotes/$1.git"
}
echo "group,repo" > "$work/roster.csv"
for i in $(seq "$n"); do
  if [ "$i" -le ${#fixtures[@]} ]; then
    echo "r$i,file://$work/remotes/${fixtures[$((i - 1))]}.git" >> "$work/roster.csv"
  else
    synth "s$i"
    echo "r$i,file://$work/remotes/s$i.git" >> "$work/roster.csv"
  fi
done

# claimcheck: fetch + audit per repository, one worker so that the per-repository numbers are clean.
start=$(date +%s%N)
"$bin" batch "$work/roster.csv" --db "$work/bench.db" --cache "$work/cache" --jobs 1 > "$work/batch.out" 2>&1 || true
cc_total=$(( ($(date +%s%N) - start) / 1000000 ))
tail -n 1 "$work/batch.out"

# git alone over the same remotes.
printf '%-6s %-9s %9s %9s %10s   %9s %10s\n' repo state fetch_ms audit_ms peak_MiB git_ms git_MiB
start=$(date +%s%N)
sqlite3 -separator ' ' "$work/bench.db" "SELECT r.grp, rr.state, rr.url, rr.fetch_ms, rr.audit_ms, rr.peak_kb FROM run_repos rr
  JOIN repositories r ON r.id = rr.repo_id ORDER BY rr.line" |
while read -r grp state url fetch audit peak; do
  dir=$work/git/$grp.git
  t0=$(date +%s%N)
  mem=0
  for cmd in "git clone -q --bare $url $dir" "git -C $dir archive HEAD" "git -C $dir log --name-status HEAD"; do
    if [ -n "$timer" ]; then
      m=$($timer -f %M bash -c "$cmd > /dev/null 2>&1" 2>&1 | tail -n 1)
      case "$m" in *[!0-9]*|"") ;; *) [ "$m" -gt "$mem" ] && mem=$m ;; esac
    else
      bash -c "$cmd > /dev/null 2>&1" || true
    fi
  done
  git_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  awk -v g="$grp" -v s="$state" -v f="$fetch" -v a="$audit" -v p="$peak" -v t="$git_ms" -v m="$mem" \
    'BEGIN { printf "%-6s %-9s %9s %9s %10.1f   %9s %10.1f\n", g, s, f, a, p / 1024, t, m / 1024 }' 
done
git_total=$(( ($(date +%s%N) - start) / 1000000 ))
echo "total: claimcheck batch ${cc_total} ms, git alone ${git_total} ms ($n repositories)"
