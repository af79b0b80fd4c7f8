#!/usr/bin/env bash
# The README's first quick-start command: install what is missing, build, turn the `overclaim`
# fixture into a real git repository and audit it. Exits with claimcheck's status (1: over-claims).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install-deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" -j "$(nproc)" --target claimcheck
example=${1:-overclaim}
repo="$build/demo/$example"
bash tests/e2e/build_fixture.sh "fixtures/$example" "$repo"
echo "\$ claimcheck check $repo"
exec "$build/claimcheck" check "$repo"
