#!/usr/bin/env bash
# Build everything and run the whole test suite: doctest units and the end-to-end fixtures.
# The README's second quick-start command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install-deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure
