#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 14, ASan+UBSan, build folder build-fuzz) and runs each for
# SECONDS (default 30) on its corpus (seeded from fixtures/ by collect_seeds.sh). Fails when a
# target crashes, leaks, hangs or throws; the crashing input stays in build-fuzz/crashes/<target>/.
#   bash tests/fuzz/run.sh [SECONDS] [TARGET...]
# Replay one input: build-fuzz/fuzz/<target> <file>. A finding becomes a regression test (a seed
# in tests/fuzz/seeds/<target>/, which every run executes first as part of its corpus, or a unit
# test) and a fix at its root.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-30}
shift || true
build=${FUZZ_BUILD_DIR:-build-fuzz}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_report fuzz_workflow fuzz_pytest fuzz_dockerfile
                                     fuzz_toml fuzz_dvc fuzz_catalog fuzz_git_delta fuzz_pack)
bash tests/install-deps.sh
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCC_FUZZ=ON \
  -DBUILD_TESTING=OFF > /dev/null
mkdir -p "$build"
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}" > "$build/build.log" 2>&1 ||
  { tail -n 40 "$build/build.log"; echo "fuzz: build failed (log: $build/build.log)"; exit 1; }
bash tests/fuzz/collect_seeds.sh "$build/corpus"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t" "$build/crashes/$t"
  start=$(date +%s)
  # -rss_limit_mb: the engine's own caps keep memory far below this; -timeout: a single input
  # taking 10 s is a hang. The corpus grows with what each run finds (build folder only).
  if "$build/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$build/crashes/$t/" -print_final_stats=0 "$build/corpus/$t" \
       > "$build/crashes/$t.log" 2>&1; then
    echo "fuzz $t: ok ($(( $(date +%s) - start )) s, $(ls "$build/corpus/$t" | wc -l) corpus files)"
  else
    echo "fuzz $t: FAILED, input in $build/crashes/$t/ (log: $build/crashes/$t.log)"
    tail -n 40 "$build/crashes/$t.log"
    failed+=("$t")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz failures: ${failed[*]}"; exit 1; }
