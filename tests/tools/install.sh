#!/usr/bin/env bash
# Install the independent validators the tests use, from the npm registry at the versions pinned
# in package-lock.json: Microsoft's SARIF Multitool (`sarif validate`, a .NET binary shipped inside
# its npm package) and ajv-cli (JSON Schema). Into DIR (default build/npm-tools); does nothing when
# DIR already holds this lock file's install. Prints DIR's node_modules/.bin on success.
#   install.sh [DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../../build/npm-tools}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if ! cmp -s "$here/package-lock.json" "$dir/package-lock.json" || [ ! -d "$dir/node_modules" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error > "$dir/npm-ci.log" 2>&1) || {
    echo "tests/tools/install.sh: npm ci failed in $dir:" >&2; tail -20 "$dir/npm-ci.log" >&2; exit 1; }
fi
# npm may skip the package's own postinstall (chmod u+x); the binary is the package's, as shipped.
chmod u+x "$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
echo "$dir/node_modules/.bin"
