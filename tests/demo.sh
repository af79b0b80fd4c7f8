#!/usr/bin/env bash
# The README's first quick-start command: install what is missing, build, turn the `overclaim`
# fixture into a real git repository and audit it. `bash tests/demo.sh honest` audits another one.
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
status=0
"$build/claimcheck" check "$repo" || status=$?
case $status in
  0) echo "(exit status 0: nothing over-claimed)" ;;
  1) echo "(exit status 1: something is over-claimed, as this example is meant to show)"; status=0 ;;
esac
exit $status
