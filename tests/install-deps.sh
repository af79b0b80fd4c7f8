#!/usr/bin/env bash
# Install the Debian packages claimcheck builds and tests with, when missing (Debian 12); the npm
# validators the tests use come from tests/tools/install.sh. Idempotent:
# prints nothing and touches nothing when everything is there.
set -euo pipefail
pkgs=(build-essential cmake pkg-config git nodejs npm
      libgit2-dev libtree-sitter-dev libyaml-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
      libre2-dev nlohmann-json3-dev libcli11-dev doctest-dev libtomlplusplus-dev
      libsqlite3-dev sqlite3       # the nightly batch's results (batch/store.cpp) and its tests
      chromium fonts-dejavu-core   # the HTML report's and the dashboard's browser tests
      pre-commit)                  # the hook test (tests/e2e/hook_checks.sh)
missing=()
for p in "${pkgs[@]}"; do
  # npm/node may come from elsewhere (nvm, the machine image): the command is what counts.
  case "$p" in nodejs) command -v node >/dev/null && continue ;; npm) command -v npm >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing missing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
