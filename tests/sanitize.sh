#!/usr/bin/env bash
# The whole test suite (doctest units and end-to-end) under AddressSanitizer and
# UndefinedBehaviorSanitizer, in its own build folder (default build-asan, Debug). Any finding
# fails the run: UB is compiled as non-recoverable and halt_on_error is set for both.
#   bash tests/sanitize.sh            BUILD_DIR=... to change the folder
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install-deps.sh
build=${BUILD_DIR:-build-asan}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCC_SANITIZE=ON > /dev/null
cmake --build "$build" -j "$(nproc)"
# detect_leaks: a leak is a finding too. The e2e scripts run the instrumented binary, so these
# reach every process the suite starts.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
ctest --test-dir "$build" --output-on-failure
