#!/usr/bin/env bash
# Fills <corpus-dir>/<target>/ with seeds: the fixtures' files of each kind (read in place from
# fixtures/, never copied into the repository), the compiled-in catalog, and the hand-written
# seeds of tests/fuzz/seeds/<target>/. Existing corpus files (what earlier runs found) are kept.
#   bash tests/fuzz/collect_seeds.sh build-fuzz/corpus
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: collect_seeds.sh <corpus-dir>}

# add <target> <file>: one seed, named by its content so repeated runs do not duplicate it.
add() {
  mkdir -p "$out/$1"
  local sum
  sum=$(sha1sum "$2" | cut -c1-40)
  cp "$2" "$out/$1/$sum"
}

while IFS= read -r -d '' f; do add fuzz_report "$f"; done \
  < <(find fixtures -name '*.md' -size -256k -print0)
while IFS= read -r -d '' f; do add fuzz_workflow "$f"; done \
  < <(find fixtures -path '*/.github/workflows/*' -type f -print0)
while IFS= read -r -d '' f; do add fuzz_pytest "$f"; done \
  < <(find fixtures -name '*.py' -type f -size -64k -print0)
while IFS= read -r -d '' f; do add fuzz_dockerfile "$f"; done \
  < <(find fixtures \( -name 'Dockerfile*' -o -name '*.dockerfile' \) -type f -print0)
while IFS= read -r -d '' f; do add fuzz_toml "$f"; done \
  < <(find fixtures -name '*.toml' -type f -print0)
while IFS= read -r -d '' f; do add fuzz_catalog "$f"; done \
  < <(find reports/catalog -name '*.yaml' -type f -print0)

# DVC: one seed per fixture commit that has DVC files, its .dvc/config, first *.dvc and dvc.yaml
# joined with NUL bytes (the split fuzz_dvc.cpp undoes).
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
while IFS= read -r -d '' dir; do
  : > "$tmp"
  cat "$dir/.dvc/config" 2>/dev/null >> "$tmp" || true
  printf '\0' >> "$tmp"
  first=$(find "$dir" -name '*.dvc' -type f | sort | head -n 1)
  [ -n "$first" ] && cat "$first" >> "$tmp"
  printf '\0' >> "$tmp"
  cat "$dir/dvc.yaml" 2>/dev/null >> "$tmp" || true
  add fuzz_dvc "$tmp"
done < <(find fixtures -type d -name files -print0)

# Hand-written seeds: inputs no fixture has (edge cases, past findings).
if [ -d tests/fuzz/seeds ]; then
  for d in tests/fuzz/seeds/*/; do
    [ -d "$d" ] || continue
    for f in "$d"*; do [ -f "$f" ] && add "$(basename "$d")" "$f"; done
  done
fi
