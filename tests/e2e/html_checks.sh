#!/usr/bin/env bash
# The HTML report in a real browser: headless Chromium (Debian's) renders the `escaping` fixture's
# page; the DOM it dumps must have one row per checklist item, a flagged row, evidence links that
# point at lines that exist at the audited commit, a working "flagged only" filter, and none of the
# markup the report, file names and workflow names try to inject. Keeps a screenshot in WORK/html/
# for a person to look at. Uses the repositories run.sh built under WORK/repos.
#   html_checks.sh CLAIMCHECK SOURCE_DIR WORK_DIR     exit status = number of failures
set -uo pipefail
bin=$1 src=$2 work=$3
out=$work/html
rm -rf "$out"; mkdir -p "$out"
fails=0
fail() { echo "FAIL: html: $*"; fails=$((fails + 1)); }
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "FAIL: html: chromium not installed (tests/install-deps.sh installs it)"; exit 1
fi
chrome() {  # url, then extra flags; a fresh profile each time, nothing reaches the network
  local url=$1; shift
  local profile; profile=$(mktemp -d "$out/profile.XXXXXX")
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$profile" "$@" "$url" 2>> "$out/chromium.log"
  local rc=$?
  rm -rf "$profile"
  return $rc
}

repo=$work/repos/escaping
commit=$(git -C "$repo" rev-parse HEAD)
"$bin" check "$repo" --format html -o "$out/escaping.html" 2> "$out/err"
rc=$?
[ $rc = 1 ] || fail "escaping: exit $rc, expected 1 (its test count is over-claimed)"
[ -s "$out/err" ] && fail "escaping wrote to stderr: $(head -3 "$out/err")"

chrome "file://$out/escaping.html" --dump-dom > "$out/all.dom" || fail "chromium could not dump the page"
chrome "file://$out/escaping.html#flagged" --dump-dom > "$out/flagged.dom" || fail "chromium could not dump the filtered page"
chrome "file://$out/escaping.html" --window-size=1280,2400 --screenshot="$out/escaping.png" > /dev/null ||
  fail "chromium could not take a screenshot"
[ -s "$out/escaping.png" ] || fail "no screenshot at $out/escaping.png"

# One row per checklist item, in report order (the item lines of the fixture's report).
want=$(grep -n '^\* \[' "$repo/reports/README.md" | cut -d: -f1 | sed 's/^/item-/' | tr '\n' ' ')
got=$(grep -o '<tr id="item-[0-9]*"' "$out/all.dom" | sed 's/<tr id="//; s/"$//' | tr '\n' ' ')
[ "$got" = "$want" ] || fail "rows '$got', expected '$want'"
grep -q 'data-verdict="unverifiable" data-flagged="true"' "$out/all.dom" || fail "no flagged row"
grep -q 'data-verdict="ok" data-flagged="false"' "$out/all.dom" || fail "no unflagged row"

# Escaping: the browser parsed no injected element; the text is there, as text.
[ "$(grep -o '<script' "$out/all.dom" | wc -l)" = 1 ] || fail "a <script> element besides the page's own"
grep -q '<img' "$out/all.dom" && fail "an injected <img> element"
grep -q '<b onmouseover' "$out/all.dom" && fail "an injected <b> element"
grep -q '<i>' "$out/all.dom" && fail "an injected <i> element (from a file name)"
grep -qF '&lt;script&gt;alert("title")&lt;/script&gt; &amp; "group 14"' "$out/all.dom" ||
  fail "the report's heading is not shown as text"
grep -qF "ruff &lt;script&gt;alert('step')&lt;/script&gt;" "$out/all.dom" || fail "the workflow step name is not shown as text"
grep -qF 'tests/test_a&amp;b"&lt;i&gt;.py' "$out/all.dom" || fail "the test file name is not shown as text"

# Links: to the file and line at the audited commit; the line exists there.
links=$(grep -o "href=\"https://github.com/dtu-mlops-fixtures/escaping/blob/$commit/[^\"]*#L[0-9]*\"" "$out/all.dom" |
        sed 's/^href="//; s/"$//' | sort -u)
[ -n "$links" ] || fail "no evidence link to github.com/.../blob/$commit/PATH#L<n>"
checked=0
while IFS= read -r url; do
  [ -n "$url" ] || continue
  rest=${url#https://github.com/dtu-mlops-fixtures/escaping/blob/$commit/}
  enc=${rest%#L*}; line=${rest##*#L}
  path=$(printf '%b' "$(sed 's/&amp;/\&/g; s/%\([0-9A-F][0-9A-F]\)/\\x\1/g' <<< "$enc")")
  n=$(git -C "$repo" show "$commit:$path" 2> /dev/null | wc -l)
  if [ "$n" -lt "$line" ]; then fail "link $url: $path has $n lines at $commit"; fi
  checked=$((checked + 1))
done <<< "$links"
grep -q 'href="https://github.com/dtu-mlops-fixtures/escaping/blob/[0-9a-f]*/.github/workflows/ci%20%22%3Cscript%3E%22%20%26%20lint.yml#L' "$out/all.dom" ||
  fail "the workflow with markup in its file name has no percent-encoded link"

# The filter: "#flagged" hides exactly the unflagged rows; without it nothing is hidden.
grep -q '<body data-filter="all">' "$out/all.dom" || fail "the filter script did not run (no data-filter=all)"
grep -q '<body data-filter="flagged">' "$out/flagged.dom" || fail "#flagged did not select the filter"
grep -q '<tr [^>]*hidden' "$out/all.dom" && fail "rows hidden without the filter"
unflagged=$(grep -o '<tr id="item-[0-9]*" class="item" [^>]*data-flagged="false"[^>]*>' "$out/flagged.dom" | wc -l)
hidden=$(grep -o '<tr id="item-[0-9]*" class="item" [^>]*data-flagged="false"[^>]*hidden=""' "$out/flagged.dom" | wc -l)
shown_flagged=$(grep -o '<tr [^>]*data-flagged="true"[^>]*>' "$out/flagged.dom" | grep -vc 'hidden')
[ "$unflagged" -gt 0 ] && [ "$hidden" = "$unflagged" ] || fail "#flagged hid $hidden of $unflagged unflagged rows"
[ "$shown_flagged" -gt 0 ] || fail "#flagged hid the flagged rows too"
grep -q 'value="flagged" id="filter-flagged"' "$out/flagged.dom" || fail "no flagged-only control"

# Without a GitHub origin (--repo-url not given), evidence is a plain path, never a link.
"$bin" check "$work/repos/overclaim" --format html -o "$out/overclaim.html" 2> /dev/null
grep -q 'href="http' "$out/overclaim.html" && fail "overclaim (no origin) has web links"
grep -q '<code>tests/test_model.py' "$out/overclaim.html" || fail "overclaim's evidence is not shown as plain paths"
"$bin" check "$work/repos/overclaim" --format html --repo-url https://github.com/group13/mlops -o "$out/overclaim-url.html"
grep -q "href=\"https://github.com/group13/mlops/blob/$(git -C "$work/repos/overclaim" rev-parse HEAD)/" "$out/overclaim-url.html" ||
  fail "--repo-url gives no links"

# The README's picture (tests/e2e/html-report.png is a copy of this one): `messy` at its deadline.
(cd "$src/fixtures/messy" && "$bin" check "$work/repos/messy" --at 2026-01-23T23:59:59+01:00 --format html \
   --repo-url https://github.com/dtu-mlops-fixtures/messy -o "$out/messy.html")
[ $? = 1 ] || fail "messy at its deadline: expected exit 1"
chrome "file://$out/messy.html#flagged" --window-size=1100,1500 --screenshot="$out/messy.png" > /dev/null ||
  fail "chromium could not take the README screenshot"

echo "html: $checked evidence links checked; screenshots: $out/escaping.png, $out/messy.png"
exit $fails
