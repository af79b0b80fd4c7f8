#!/usr/bin/env bash
# Turn a fixture description into a real git repository with scripted history.
#   build_fixture.sh FIXTURE_DIR OUT_DIR
# FIXTURE_DIR/commits/NN-name/ is one commit, applied in name order. Each holds:
#   COMMIT   lines "author: Name <email>", "date: 2026-01-05T10:00:00+01:00", "message: ...",
#            optional "base: ../../_scaffold" (a folder of files copied in first, relative to the
#            commit folder) and "delete: path" (repeatable), "branch: name" to commit on a side
#            branch, "merge: name" to merge that branch (--no-ff) instead of a plain commit,
#            "run: shell command" (repeatable) run in the repository before committing, to make
#            files too big or too odd to keep in fixtures/ (binary, 5 MiB, invalid UTF-8)
#   files/   files added or overwritten by this commit (optional)
# Commits are deterministic: same fixture, same SHAs.
set -euo pipefail
src=$(cd "$1" && pwd)
out=$2
rm -rf "$out"
mkdir -p "$out"
export GIT_CONFIG_NOSYSTEM=1 HOME="$out/.home" GIT_CONFIG_GLOBAL=/dev/null
mkdir -p "$HOME"
git -C "$out" init -q -b main
git -C "$out" config core.autocrlf false
for c in "$src"/commits/*/; do
  meta="$c/COMMIT"
  author=$(sed -n 's/^author: //p' "$meta")
  date=$(sed -n 's/^date: //p' "$meta")
  message=$(sed -n 's/^message: //p' "$meta")
  base=$(sed -n 's/^base: //p' "$meta")
  branch=$(sed -n 's/^branch: //p' "$meta")
  merge=$(sed -n 's/^merge: //p' "$meta")
  name=${author% <*}
  email=${author##*<}; email=${email%>}
  export GIT_AUTHOR_NAME="$name" GIT_AUTHOR_EMAIL="$email" GIT_AUTHOR_DATE="$date"
  export GIT_COMMITTER_NAME="$name" GIT_COMMITTER_EMAIL="$email" GIT_COMMITTER_DATE="$date"
  if [ -n "$merge" ]; then
    git -C "$out" checkout -q main
    git -C "$out" merge -q --no-ff -m "$message" "$merge"
    continue
  fi
  if [ -n "$branch" ]; then
    git -C "$out" checkout -q -B "$branch" 2>/dev/null || git -C "$out" checkout -q "$branch"
  else
    git -C "$out" checkout -q main 2>/dev/null || true
  fi
  [ -n "$base" ] && cp -R "$c/$base/." "$out/"
  [ -d "$c/files" ] && cp -R "$c/files/." "$out/"
  while IFS= read -r d; do
    [ -n "$d" ] && git -C "$out" rm -q -r --ignore-unmatch -- "$d"
  done < <(sed -n 's/^delete: //p' "$meta")
  while IFS= read -r cmd; do
    [ -n "$cmd" ] && (cd "$out" && bash -c "$cmd")
  done < <(sed -n 's/^run: //p' "$meta")
  git -C "$out" add -A
  git -C "$out" commit -q --allow-empty -m "$message"
done
git -C "$out" checkout -q main
rm -rf "$HOME"
