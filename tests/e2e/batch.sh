#!/usr/bin/env bash
# The nightly batch end to end (issue 10): roster with bad rows, libgit2 fetch from file:// remotes
# and bare mirrors into the cache, the worker pool, SQLite results equal to `claimcheck check`,
# incremental runs (commit, catalog), --at and row deadlines, history, diff, the dashboard in
# headless Chromium, size and time caps, one batch per cache, the progress bar on a terminal,
# kill -9 and --resume, shards merged equal to an unsharded run, refused options. No network.
#   batch.sh CLAIMCHECK SOURCE_DIR WORK_DIR     (exit status: 0 when every check passed)
set -uo pipefail
bin=$(realpath "$1") src=$(realpath "$2")
mkdir -p "$3"; work=$(realpath "$3")/batch
rm -rf "$work"; mkdir -p "$work"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
contains() {  # description, file, fixed string
  grep -qF -- "$3" "$2" || { fail "$1: '$3' not in $(basename "$2")"; sed 's/^/  | /' "$2" | head -20; }
}
q() { sqlite3 -batch -noheader "$1" "$2"; }

# Remotes: bare repositories built from fixtures, reached as file:// URLs and as plain paths.
remotes=$work/remotes
for fx in honest overclaim messy claims stock; do
  bash "$src/tests/e2e/build_fixture.sh" "$src/fixtures/$fx" "$work/src/$fx" > /dev/null 2>&1 || fail "building $fx"
  git clone -q --bare "$work/src/$fx" "$remotes/$fx.git" || fail "bare clone of $fx"
done

cat > "$work/roster.csv" <<CSV
group,repo,branch,report,deadline
g-honest,file://$remotes/honest.git,,,
g-overclaim,$remotes/overclaim.git,main,,
g-missing,file://$remotes/no-such.git,,,
,file://$remotes/honest.git,,,
g-bad-deadline,file://$remotes/honest.git,,,yesterday
"g-messy","file://$remotes/messy.git",,,2026-01-23T23:59:59+01:00
g-honest,file://$remotes/stock.git,,,
g-nobranch,file://$remotes/claims.git,no-such-branch,,
CSV
db=$work/night.db cache=$work/cache

# ---- first run: 3 audited, 2 failed, 3 rows skipped with their lines ---------------------------
"$bin" batch "$work/roster.csv" --db "$db" --cache "$cache" --jobs 2 > "$work/run1.out" 2> "$work/run1.err"
rc=$?
[ $rc -eq 1 ] || fail "run 1: exit $rc, expected 1 (some repositories failed)"
[ "$(tail -n 1 "$work/run1.out")" = "batch: 3 audited, 0 unchanged, 2 failed (run 1)" ] ||
  fail "run 1 summary: $(tail -n 1 "$work/run1.out")"
contains "bad row: no group" "$work/run1.err" "roster.csv:5: no group id; row skipped"
contains "bad row: deadline" "$work/run1.err" "roster.csv:6: deadline:"
contains "bad row: duplicate" "$work/run1.err" "roster.csv:8: group 'g-honest' is already on an earlier line"
contains "plain progress lines off a TTY" "$work/run1.out" "g-honest: audited"
contains "failed fetch recorded" "$work/run1.out" "g-missing: failed fetch:"
contains "missing branch recorded" "$work/run1.out" "g-nobranch: failed repository:"
[ "$(q "$db" 'PRAGMA journal_mode')" = wal ] || fail "journal mode is not WAL"
[ "$(q "$db" 'SELECT skipped_rows FROM runs WHERE id=1')" = 3 ] || fail "skipped rows not counted in the run"
# Each mirror has the full history, not a shallow one.
for g in g-honest g-overclaim; do
  m=$(ls -d "$cache"/$g-*.git)
  [ -f "$m/shallow" ] && fail "$g mirror is shallow"
done
[ "$(git -C "$cache"/g-honest-*.git rev-list --count HEAD)" = "$(git -C "$remotes/honest.git" rev-list --count HEAD)" ] ||
  fail "g-honest mirror lacks history"

# The stored JSON is exactly what `claimcheck check` says about the same repository and deadline.
q "$db" "SELECT a.json FROM audits a JOIN repositories r ON r.id=a.repo_id WHERE r.grp='g-honest'" > "$work/db-honest.json"
"$bin" check "$remotes/honest.git" --format json > "$work/check-honest.json"
printf '%s' "$(cat "$work/check-honest.json")" | cmp -s - <(printf '%s' "$(cat "$work/db-honest.json")") ||
  fail "stored JSON of g-honest differs from claimcheck check"
q "$db" "SELECT a.json FROM audits a JOIN repositories r ON r.id=a.repo_id WHERE r.grp='g-messy'" > "$work/db-messy.json"
"$bin" check "$remotes/messy.git" --at 2026-01-23T23:59:59+01:00 --format json > "$work/check-messy.json"
printf '%s' "$(cat "$work/check-messy.json")" | cmp -s - <(printf '%s' "$(cat "$work/db-messy.json")") ||
  fail "stored JSON of g-messy (row deadline) differs from claimcheck check --at"
n=$(q "$db" "SELECT count(*) FROM item_verdicts v JOIN audits a ON a.id=v.audit_id JOIN repositories r ON r.id=a.repo_id WHERE r.grp='g-overclaim' AND v.verdict='overclaimed'")
want=$("$bin" check "$remotes/overclaim.git" --format json | grep -o '"overclaimed": [0-9]*' | tail -n 1 | grep -o '[0-9]*$')
[ "$n" = "$want" ] && [ "$n" -gt 0 ] || fail "g-overclaim: $n overclaimed item rows, check says $want"

# ---- second run: nothing moved, everything carried over ------------------------------------------
"$bin" batch "$work/roster.csv" --db "$db" --cache "$cache" --jobs 2 > "$work/run2.out" 2> /dev/null
[ "$(tail -n 1 "$work/run2.out")" = "batch: 0 audited, 3 unchanged, 2 failed (run 2)" ] ||
  fail "run 2 summary: $(tail -n 1 "$work/run2.out")"
[ "$(q "$db" 'SELECT count(*) FROM audits')" = 3 ] || fail "run 2 audited again"

# ---- third run: one group pushes a commit that removes its tests --------------------------------
clone=$work/push-honest
git clone -q "$remotes/honest.git" "$clone"
git -C "$clone" -c user.name=G -c user.email=g@example.com rm -q -r tests
GIT_AUTHOR_DATE=2026-01-21T10:00:00Z GIT_COMMITTER_DATE=2026-01-21T10:00:00Z \
  git -C "$clone" -c user.name=G -c user.email=g@example.com commit -q -m "drop the tests"
git -C "$clone" push -q origin HEAD:main 2> /dev/null || git -C "$clone" push -q origin HEAD
"$bin" batch "$work/roster.csv" --db "$db" --cache "$cache" --jobs 2 > "$work/run3.out" 2> /dev/null
[ "$(tail -n 1 "$work/run3.out")" = "batch: 1 audited, 2 unchanged, 2 failed (run 3)" ] ||
  fail "run 3 summary: $(tail -n 1 "$work/run3.out")"

# ---- history and diff ----------------------------------------------------------------------------
"$bin" history g-honest --db "$db" > "$work/hist.txt" || fail "history exit"
contains "history header" "$work/hist.txt" "group g-honest"
[ "$(grep -c '^  run ' "$work/hist.txt")" = 3 ] || fail "history lists 3 runs"
head -n 2 "$work/hist.txt" | grep -q "run 3 .* audited" || fail "history is newest first"
contains "history carried over" "$work/hist.txt" "carried over"
"$bin" history g-honest --db "$db" --format json > "$work/hist.json" || fail "history json exit"
contains "history json" "$work/hist.json" '"state": "unchanged"'
"$bin" history nobody --db "$db" > /dev/null 2> "$work/hist.err"; [ $? -eq 2 ] || fail "unknown group: exit 2"
"$bin" diff 2 3 --db "$db" > "$work/diff.txt" || fail "diff exit"
contains "diff: a box changed" "$work/diff.txt" "g-honest: [M"
contains "diff: tests box went" "$work/diff.txt" "supported -> absent"
contains "diff: new over-claim" "$work/diff.txt" "new over-claims ("
grep -A3 "^new over-claims" "$work/diff.txt" | grep -q "g-honest" || fail "diff: g-honest's new over-claim"
contains "diff: groups that did not move" "$work/diff.txt" "groups whose commit did not move (2): g-messy g-overclaim"
"$bin" diff 2 3 --db "$db" --format json > "$work/diff.json" || fail "diff json exit"
contains "diff json" "$work/diff.json" '"new_overclaims"'
"$bin" diff 1 99 --db "$db" > /dev/null 2>&1; [ $? -eq 2 ] || fail "unknown run: exit 2"

# ---- dashboard, checked in headless Chromium -----------------------------------------------------
dash=$work/dash
"$bin" dashboard --db "$db" -o "$dash" > "$work/dash.out" || fail "dashboard exit"
contains "dashboard summary" "$work/dash.out" "(run 3, 5 groups)"
[ -f "$dash/audits/g-honest.json" ] || fail "dashboard: the group's audit JSON beside it"
grep -qiE '(src|href)=["'"'"']?(https?:)?//' "$dash/index.html" && fail "dashboard loads something from the network"
grep -q 'Chart.js v4.5.1' "$dash/index.html" || fail "dashboard: Chart.js not inlined"
mkdir -p "$dash/reports"; echo '<html></html>' > "$dash/reports/g-overclaim.html"
"$bin" dashboard --db "$db" -o "$dash" > /dev/null || fail "dashboard again"
chrome=$(command -v chromium || command -v chromium-browser)
if [ -z "$chrome" ]; then
  fail "chromium is not installed (tests/install-deps.sh installs it)"
else
  flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
         --disable-component-update --disable-sync --virtual-time-budget=5000)
  "$chrome" "${flags[@]}" --user-data-dir="$(mktemp -d "$work/chrome.XXXX")" --dump-dom "file://$dash/index.html" \
    > "$work/dom.html" 2> "$work/chrome.err"
  contains "dashboard: three charts drawn" "$work/dom.html" 'data-charts="3"'
  contains "dashboard: a row per group" "$work/dom.html" 'data-rows="5"'
  contains "dashboard: no script error" "$work/dom.html" '<div id="errors"></div>'
  contains "dashboard: link to a group's HTML report" "$work/dom.html" 'href="reports/g-overclaim.html"'
  "$chrome" "${flags[@]}" --user-data-dir="$(mktemp -d "$work/chrome.XXXX")" --window-size=1400,1600 \
    --screenshot="$work/dashboard.png" "file://$dash/index.html" > /dev/null 2>&1
  [ -s "$work/dashboard.png" ] || fail "dashboard screenshot"
fi
"$bin" dashboard --db "$work/none.db" -o "$work/nodash" > /dev/null 2>&1; [ $? -eq 3 ] || fail "dashboard of a missing db: exit 3"

# ---- --at applies to every group, a roster deadline overrides it ---------------------------------
printf 'group,repo,deadline\nlate,file://%s,\nearly,file://%s,2026-01-21T00:00:00Z\n' \
  "$remotes/messy.git" "$remotes/honest.git" > "$work/at.csv"
"$bin" batch "$work/at.csv" --db "$work/at.db" --cache "$cache" --at 2026-01-23T23:59:59+01:00 > /dev/null 2>&1 ||
  fail "--at run exit"
[ "$(q "$work/at.db" "SELECT group_concat(r.grp || '=' || json_extract(a.json, '$.claims.deadline.deadline'), ' ')
      FROM audits a JOIN repositories r ON r.id = a.repo_id ORDER BY r.grp")" != "" ] || fail "--at: no deadline stored"
q "$work/at.db" "SELECT r.grp || '=' || json_extract(a.json, '$.claims.deadline.deadline') FROM audits a
   JOIN repositories r ON r.id = a.repo_id ORDER BY r.grp" > "$work/at.txt"
printf 'early=2026-01-21T00:00:00Z\nlate=2026-01-23T23:59:59+01:00\n' | cmp -s - "$work/at.txt" ||
  { fail "--at and the row deadline"; cat "$work/at.txt"; }

# ---- the catalog is part of the key: an identical copy changes nothing, an edited one re-audits --
cp -R "$src/reports/catalog" "$work/catalog"
"$bin" batch "$work/roster.csv" --db "$db" --cache "$cache" --catalog "$work/catalog" > "$work/cat1.out" 2> /dev/null
[ "$(tail -n 1 "$work/cat1.out")" = "batch: 0 audited, 3 unchanged, 2 failed (run 4)" ] ||
  fail "same catalog copied: $(tail -n 1 "$work/cat1.out")"
echo "# a teaching assistant's edit" >> "$work/catalog/checks.yaml"
"$bin" batch "$work/roster.csv" --db "$db" --cache "$cache" --catalog "$work/catalog" > "$work/cat2.out" 2> /dev/null
[ "$(tail -n 1 "$work/cat2.out")" = "batch: 3 audited, 0 unchanged, 2 failed (run 5)" ] ||
  fail "edited catalog: $(tail -n 1 "$work/cat2.out")"

# ---- caps: over the size cap, a repository fails with the reason and leaves nothing in the cache --
printf 'group,repo\ncapped,file://%s\n' "$remotes/honest.git" > "$work/capped.csv"
"$bin" batch "$work/capped.csv" --db "$work/cap.db" --cache "$work/capcache" --max-repo-mb 0.001 > "$work/cap.out" 2>&1
[ $? -eq 1 ] || fail "size cap: exit 1"
contains "size cap reason" "$work/cap.out" "size cap"
ls -d "$work"/capcache/capped-* > /dev/null 2>&1 && fail "size cap: the mirror stayed in the cache"

# ---- the time cap: a remote that never answers (its config is a FIFO no one writes, so reading it
# blocks for ever) is stopped and recorded; the other repository of the run is audited.
cp -R "$remotes/honest.git" "$work/hang.git"
rm "$work/hang.git/config"; mkfifo "$work/hang.git/config"
printf 'group,repo\nhang,file://%s\nfine,file://%s\n' "$work/hang.git" "$remotes/overclaim.git" > "$work/hang.csv"
"$bin" batch "$work/hang.csv" --db "$work/hang.db" --cache "$work/hangcache" --timeout 5 --jobs 2 > "$work/hang.out" 2>&1
contains "time cap" "$work/hang.out" "hang: failed stopped after the time cap of 5 s"
contains "time cap: the others run" "$work/hang.out" "batch: 1 audited, 0 unchanged, 1 failed (run 1)"

# ---- one batch per cache: a second one is refused while the first runs --------------------------
"$bin" batch "$work/hang.csv" --db "$work/hang2.db" --cache "$work/hangcache2" --timeout 120 > /dev/null 2>&1 &
pid=$!
locked=""
for _ in $(seq 400); do  # until the first batch holds its cache lock (seen in /proc/locks)
  if [ -f "$work/hangcache2/.batch.lock" ]; then
    ino=$(stat -c %i "$work/hangcache2/.batch.lock")
    grep -q ":$ino " /proc/locks && { locked=1; break; }
  fi
  sleep 0.05
done
[ -n "$locked" ] || fail "the first batch never locked its cache"
"$bin" batch "$work/hang.csv" --db "$work/hang3.db" --cache "$work/hangcache2" > /dev/null 2> "$work/busy.err"
[ $? -eq 2 ] || fail "a second batch on a busy cache: exit 2"
contains "busy cache message" "$work/busy.err" "another claimcheck batch is using the cache"
kill -9 $pid 2> /dev/null; wait $pid 2> /dev/null

# ---- on a terminal: a progress bar instead of lines ------------------------------------------------
script -qec "'$bin' batch '$work/capped.csv' --db '$work/tty.db' --cache '$work/ttycache'" /dev/null > "$work/tty.out" 2>&1
contains "progress bar" "$work/tty.out" "] 1/1 done, 0 failed, 0 left"
grep -q "capped: audited" "$work/tty.out" && fail "plain lines on a terminal"
contains "summary on a terminal" "$work/tty.out" "batch: 1 audited, 0 unchanged, 0 failed (run 1)"

# ---- kill -9 in the middle, then --resume --------------------------------------------------------
# Twelve groups, one worker: the batch is killed as soon as a few outcomes are committed.
big=$work/big.csv
echo "group,repo" > "$big"
for i in $(seq -w 1 12); do
  fx=$([ $((10#$i % 3)) -eq 0 ] && echo messy || ([ $((10#$i % 3)) -eq 1 ] && echo honest || echo overclaim))
  echo "k-$i,file://$remotes/$fx.git" >> "$big"
done
kdb=$work/kill.db
"$bin" batch "$big" --db "$kdb" --cache "$work/kcache" --jobs 1 > "$work/kill.out" 2>&1 &
pid=$!
for _ in $(seq 600); do
  done_rows=$(q "$kdb" "SELECT count(*) FROM run_repos WHERE state<>'pending'" 2> /dev/null || echo 0)
  [ "${done_rows:-0}" -ge 3 ] && break
  sleep 0.05
done
kill -9 $pid 2> /dev/null; wait $pid 2> /dev/null
pending=$(q "$kdb" "SELECT count(*) FROM run_repos WHERE state='pending'")
finished=$(q "$kdb" "SELECT coalesce(finished,'') FROM runs WHERE id=1")
if [ "$pending" -eq 0 ]; then
  fail "the batch finished before it could be killed (cannot test --resume)"
else
  [ -z "$finished" ] || fail "a killed run is marked finished"
  [ "$(q "$kdb" 'PRAGMA integrity_check')" = ok ] || fail "database damaged by kill -9"
  before=$(q "$kdb" "SELECT count(*) FROM run_repos WHERE state='audited'")
  "$bin" batch --resume --db "$kdb" --jobs 2 > "$work/resume.out" 2>&1 || fail "resume exit"
  [ "$(tail -n 1 "$work/resume.out")" = "batch: 12 audited, 0 unchanged, 0 failed (run 1)" ] ||
    fail "resume summary: $(tail -n 1 "$work/resume.out")"
  [ "$(q "$kdb" "SELECT count(*) FROM run_repos WHERE state='pending'")" = 0 ] || fail "rows left pending"
  [ -n "$(q "$kdb" "SELECT finished FROM runs WHERE id=1")" ] || fail "resumed run not finished"
  [ "$(q "$kdb" 'SELECT count(*) FROM audits')" = 12 ] || fail "resume audited a repository twice ($before before)"
  "$bin" batch --resume --db "$kdb" > /dev/null 2> "$work/resume2.err"; [ $? -eq 2 ] || fail "nothing to resume: exit 2"
  contains "nothing to resume says so" "$work/resume2.err" "no unfinished run"
  "$bin" batch "$big" --resume --db "$kdb" > /dev/null 2>&1; [ $? -eq 2 ] || fail "--resume with a roster: exit 2"
fi

# ---- shards and merge equal an unsharded run -----------------------------------------------------
canon() {  # what a run says per group, without times and ids
  q "$1" "SELECT r.grp, rr.state, coalesce(a.commit_id,''), coalesce(a.json,''), coalesce(a.activity,'')
          FROM run_repos rr JOIN repositories r ON r.id=rr.repo_id LEFT JOIN audits a ON a.id=rr.audit_id
          WHERE rr.run_id=(SELECT max(id) FROM runs) ORDER BY r.grp"
}
"$bin" batch "$big" --db "$work/all.db" --cache "$work/kcache" --label night > /dev/null 2>&1
for k in 1 2 3; do
  "$bin" batch "$big" --db "$work/shard$k.db" --cache "$work/scache$k" --shard $k/3 --label night > "$work/shard$k.out" 2>&1
done
total=0
for k in 1 2 3; do total=$((total + $(q "$work/shard$k.db" 'SELECT count(*) FROM run_repos'))); done
[ $total -eq 12 ] || fail "shards hold $total rows, expected 12"
"$bin" merge --db "$work/merged.db" "$work/shard1.db" "$work/shard2.db" "$work/shard3.db" > "$work/merge.out" 2>&1 ||
  fail "merge exit: $(cat "$work/merge.out")"
[ "$(q "$work/merged.db" 'SELECT count(*) FROM runs')" = 1 ] || fail "shards of one night are not one run"
canon "$work/all.db" > "$work/canon-all"
canon "$work/merged.db" > "$work/canon-merged"
cmp -s "$work/canon-all" "$work/canon-merged" || fail "merged shards differ from the unsharded run"
"$bin" merge --db "$work/merged.db" "$work/shard2.db" > /dev/null 2>&1 || fail "merge again"
[ "$(q "$work/merged.db" 'SELECT count(*) FROM audits')" = 12 ] || fail "merging a shard twice duplicated it"
"$bin" batch "$big" --db "$work/x.db" --cache "$work/x" --shard 4/3 > /dev/null 2> "$work/shard.err"
[ $? -eq 2 ] || fail "bad --shard: exit 2"
# Bad options stop the run before anything is fetched, with one line saying what is wrong.
for bad in "--at yesterday" "--catalog $work/no-such-catalog" "--jobs x"; do
  "$bin" batch "$big" --db "$work/x.db" --cache "$work/x" $bad > /dev/null 2> "$work/bad.err"
  rc=$?
  [ $rc -eq 2 ] && [ "$(wc -l < "$work/bad.err")" -eq 1 ] || { fail "batch $bad: exit $rc, expected 2 and one line"; cat "$work/bad.err"; }
done
printf 'group,repo,colour\na,b,c\n' > "$work/badcol.csv"
"$bin" batch "$work/badcol.csv" --db "$work/x.db" --cache "$work/x" > /dev/null 2> "$work/bad.err"
[ $? -eq 2 ] || fail "unknown roster column: exit 2"
contains "unknown column named" "$work/bad.err" "unknown column 'colour'"
[ "$(q "$work/x.db" 'SELECT count(*) FROM runs' 2> /dev/null || echo 0)" = 0 ] || fail "a refused batch left a run behind"

# ---- --html: each audited group's HTML report, linked by the dashboard ----------------------------
hd=$work/html-dash
printf 'group,repo\ng-honest,file://%s\ng-overclaim,file://%s\n' "$remotes/honest.git" "$remotes/overclaim.git" > "$work/html.csv"
"$bin" batch "$work/html.csv" --db "$work/html.db" --cache "$work/html-cache" --html "$hd/reports" > "$work/html.out" 2>&1 ||
  fail "batch --html exit: $(tail -n 2 "$work/html.out")"
for g in g-honest g-overclaim; do
  [ -s "$hd/reports/$g.html" ] || fail "--html: no report for $g"
done
contains "--html: the over-claim group's page names its flagged item" "$hd/reports/g-overclaim.html" 'overclaimed'
"$bin" dashboard --db "$work/html.db" -o "$hd" > /dev/null || fail "dashboard over the --html run"
contains "dashboard links the report --html wrote" "$hd/index.html" 'reports/g-overclaim.html'
"$bin" batch --resume --db "$work/html.db" --html "$hd" > /dev/null 2>&1
[ $? -eq 2 ] || fail "--resume with --html: exit 2 (the run keeps its own options)"

echo "batch e2e: $fails failed"
[ $fails -eq 0 ]
