#!/usr/bin/env bash
# Corrupt object databases end to end: packed commits, trees and blobs that are truncated or have
# a flipped byte, reached through HEAD and through --rev (git_revparse_single). claimcheck must
# stop with exit 3 and a one-line message naming the damage, or report the blob as an input
# problem; never hang (every run is under `timeout`, so a hang fails as exit 124).
#   corrupt_objects.sh CLAIMCHECK WORK_DIR     exit status = number of failures
set -uo pipefail
bin=$1 work=$2/corrupt
rm -rf "$work"; mkdir -p "$work"
export HOME=$work GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.org GIT_COMMITTER_NAME=Ada
export GIT_COMMITTER_EMAIL=ada@example.org
fails=0

# A small repository, two commits, everything in one pack (no loose objects left).
make_repo() {
  local r=$work/$1
  git init -q -b main "$r"
  mkdir -p "$r/reports" "$r/src"
  printf '# Report\n\n* [x] Create a git repository\n' > "$r/reports/README.md"
  printf 'x = 1\n' > "$r/src/a.py"
  (cd "$r" && git add -A && GIT_COMMITTER_DATE=2026-01-20T10:00:00Z git commit -qm one)
  seq 1 2000 | sed 's/^/value = /' > "$r/src/data.py"
  (cd "$r" && git add -A && GIT_COMMITTER_DATE=2026-01-21T10:00:00Z git commit -qm two &&
   git gc -q --aggressive --prune=now)
  [ -z "$(find "$r/.git/objects" -path '*/objects/??/*' -type f)" ] || { echo "FAIL: $1 has loose objects"; fails=$((fails + 1)); }
  chmod -R u+w "$r/.git/objects"
}
pack_of() { ls "$work/$1"/.git/objects/pack/pack-*.pack; }
# Offset and packed length of an object, from git verify-pack (before the damage).
entry() {  # repo object -> "offset length"
  local r=$work/$1 id
  id=$(git -C "$r" rev-parse "$2")
  git verify-pack -v "$(pack_of "$1")" | awk -v id="$id" '$1 == id { print $5, $4 }'
}
flip() {  # file offset: inverts one byte in place
  local b
  b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "$(printf '\\%03o' $((255 - b)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
run() {  # description, expected exit, grep pattern, args...
  local what=$1 want=$2 pat=$3; shift 3
  timeout 60 "$bin" "$@" > "$work/out" 2> "$work/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want"; head -5 "$work/err"; fails=$((fails + 1)); return
  fi
  if ! grep -qE -- "$pat" "$work/err" "$work/out"; then
    echo "FAIL: $what: /$pat/ not in the output"; head -5 "$work/err"; fails=$((fails + 1))
  fi
}

# 1. The pack cut in half: its trailer no longer matches the index.
make_repo trunc
pack=$(pack_of trunc)
truncate -s $(( $(stat -c %s "$pack") / 2 )) "$pack"
run "truncated pack" 3 "pack index pack-.*unusable: the pack is truncated" check "$work/trunc"

# 2. One byte flipped inside the packed HEAD commit: same length, same trailer, wrong CRC.
make_repo head
read -r off len < <(entry head HEAD)
flip "$(pack_of head)" $(( off + len - 3 ))
run "corrupt packed HEAD commit" 3 "offset $off .*(corrupt|truncated)" check "$work/head"

# 3. The parent commit corrupt, reached through --rev (git_revparse_single) and --at.
make_repo parent
read -r off len < <(entry parent HEAD~1)
flip "$(pack_of parent)" $(( off + len - 3 ))
run "corrupt commit through --rev" 3 "offset $off " check "$work/parent" --rev HEAD~1
run "corrupt commit through --rev by id" 3 "offset $off " check "$work/parent" \
  --rev "$(git -C "$work/parent" rev-parse --short HEAD~1)"
run "corrupt commit through --at" 3 "offset $off " check "$work/parent" --at 2026-01-20T12:00:00Z
# HEAD itself is whole: the audit runs and the history says what it could not read.
run "corrupt parent, audit of HEAD" 0 "history incomplete: commit [0-9a-f]{40} cannot be read: the object at offset $off " check "$work/parent"

# 4. A packed tree corrupt.
make_repo tree
read -r off len < <(entry tree HEAD:src)
flip "$(pack_of tree)" $(( off + len - 3 ))
run "corrupt packed tree" 3 "offset $off " check "$work/tree"

# 5. A packed blob corrupt: the audit goes on and names the unreadable file as an input problem.
make_repo blob
read -r off len < <(entry blob HEAD:reports/README.md)
flip "$(pack_of blob)" $(( off + len - 3 ))
run "corrupt packed blob" 3 "offset $off " check "$work/blob"

# 6. A stray index whose pack is gone is skipped (as git skips it); the repository still reads.
make_repo stray
cp "$(ls "$work"/stray/.git/objects/pack/pack-*.idx)" "$work/stray/.git/objects/pack/pack-0000000000000000000000000000000000000000.idx"
run "stray index without its pack" 0 "." check "$work/stray"

echo "corrupt objects: $fails failure(s)"
exit "$fails"
