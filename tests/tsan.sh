#!/usr/bin/env bash
# ThreadSanitizer over what runs on several threads (issue 11): the probes of one audit share the
# snapshot, its caches (inflated files, parsed trees), the object guard's pack caches and the
# built-in rules parsed beside them. Builds claimcheck and the engine and probe units with
# -fsanitize=thread (default folder build-tsan), runs the units that start threads, then audits
# every fixture repository and a larger synthetic one with --threads 2 and 4. Any report fails.
#   bash tests/tsan.sh            BUILD_DIR=... to change the folder
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
bash tests/install-deps.sh
build=${BUILD_DIR:-build-tsan}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCC_TSAN=ON > /dev/null
cmake --build "$build" -j "$(nproc)" --target claimcheck unit_engine unit_probes
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
bin=$build/claimcheck
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
"$build/tests/unit_engine" -tc="*thread*,*cache*" > "$work/units.log" 2>&1 || { cat "$work/units.log"; fails=$((fails + 1)); }
"$build/tests/unit_probes" -tc="*cache*,*thread*" > "$work/units.log" 2>&1 || { cat "$work/units.log"; fails=$((fails + 1)); }
audit() {  # name repo
  for t in 2 4; do
    "$bin" check "$2" --format json --threads "$t" > "$work/out.json" 2> "$work/err" || true
    if grep -q "ThreadSanitizer" "$work/err"; then
      echo "FAIL: $1 --threads $t:"; head -60 "$work/err"; fails=$((fails + 1))
    fi
  done
}
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
n=0
for fx in fixtures/*/; do
  [ -d "$fx/commits" ] || continue
  name=$(basename "$fx")
  bash tests/e2e/build_fixture.sh "$fx" "$work/$name" > /dev/null 2>&1 || continue
  audit "$name" "$work/$name"
  n=$((n + 1))
done
# A larger repository: many Python files and workflows read by several probes at once, and a
# history whose past versions the secret scan reads beside them.
r=$work/large
mkdir -p "$r/src/pkg" "$r/tests" "$r/.github/workflows" "$r/reports"
git -C "$r" init -q -b main
for c in 1 2 3; do
  for i in $(seq 200); do printf 'import torch\nKEY = "v%s"\n\ndef f%s(x):\n    return x * %s\n' "$c" "$i" "$c" > "$r/src/pkg/m$i.py"; done
  for i in $(seq 40); do printf 'from pkg.m%s import f%s\n\ndef test_%s():\n    assert f%s(1)\n' "$i" "$i" "$i" "$i" > "$r/tests/test_$i.py"; done
  for i in $(seq 10); do printf 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest -q\n' > "$r/.github/workflows/w$i.yml"; done
  printf '# Report\n\n## Overall project checklist\n\n* [x] Write unit tests related to the data part of your code (M16)\n' > "$r/reports/README.md"
  git -C "$r" add -A && git -C "$r" -c user.name=t -c user.email=t@e commit -q -m "c$c"
done
audit large "$r"
n=$((n + 1))
echo "tsan: $n repositories audited with --threads 2 and 4, $fails failure(s)"
exit $((fails > 0))
