#!/usr/bin/env bash
# End-to-end tests: build a real git repository from every fixture in fixtures/ and run the real
# binary on it; its JSON and text output and exit status must equal the files beside the fixture
# (expected.json, expected.txt, expected-exit), as actionlint's testdata/*.out.
#   run.sh CLAIMCHECK SOURCE_DIR WORK_DIR        (UPDATE=1 rewrites the expected files)
set -uo pipefail
mkdir -p "$3"
bin=$(realpath "$1") src=$(realpath "$2") work=$(realpath "$3")
failures=0 passed=0

check() {  # name, expected file, actual file
  if diff -u "$2" "$3" > "$work/$1.diff"; then
    passed=$((passed + 1))
  else
    echo "FAIL: $1 differs from $(realpath --relative-to="$src" "$2"):"
    head -n 60 "$work/$1.diff"
    failures=$((failures + 1))
  fi
}

for fx in "$src"/fixtures/*/; do
  name=$(basename "$fx")
  case "$name" in _*) continue ;; esac
  [ -d "$fx/commits" ] || continue
  repo="$work/repos/$name"
  if ! bash "$src/tests/e2e/build_fixture.sh" "$fx" "$repo" > "$work/$name.build.log" 2>&1; then
    echo "FAIL: building fixture $name"; cat "$work/$name.build.log"; failures=$((failures + 1)); continue
  fi
  args=()
  [ -f "$fx/args" ] && read -r -a args < "$fx/args"
  for fmt in json text; do
    out="$work/$name.$fmt"
    (cd "$fx" && "$bin" check "$repo" "${args[@]}" --format "$fmt" --color never) > "$out.raw" 2> "$work/$name.$fmt.err"
    echo $? > "$work/$name.exit"
    # The text names the repository's temporary path: make it stable.
    sed "s#$repo#<repo>#g" "$out.raw" > "$out"
    expected="$fx/expected.$fmt"
    [ "$fmt" = text ] && expected="$fx/expected.txt"
    if [ "${UPDATE:-}" = 1 ]; then cp "$out" "$expected"; cp "$work/$name.exit" "$fx/expected-exit"; fi
    check "$name.$fmt" "$expected" "$out"
  done
  check "$name.exit" "$fx/expected-exit" "$work/$name.exit"
  if [ -s "$work/$name.json.err" ]; then
    echo "FAIL: $name wrote to stderr:"; cat "$work/$name.json.err"; failures=$((failures + 1))
  fi
done

# Command line, then the examiner and CI outputs checked by independent tools (a browser, the SARIF
# Multitool, ajv), then the pre-commit hook and the GitHub Action's command on a work tree.
for script in cli_checks html_checks sarif_checks schema_checks hook_checks; do
  bash "$src/tests/e2e/$script.sh" "$bin" "$src" "$work"
  n=$?
  [ $n -ne 0 ] && failures=$((failures + n))
done

echo "e2e: $passed passed, $failures failed"
[ $failures -eq 0 ]
