// GitHub Actions matrix expansion (jobs.<id>.strategy.matrix), following GitHub's documented rules:
//   1. the cartesian product of the rows, in the order the rows are written;
//   2. `exclude`: a combination is removed when it matches every key of an exclude entry
//      (partial match);
//   3. `include`, entry by entry: its pairs are added to every original (post-exclude) combination
//      whose original matrix values it does not overwrite (values added by earlier include entries
//      may be overwritten); an entry that fits no original combination becomes a new combination
//      (and later entries never extend such added combinations).
// A matrix, row, include or exclude that is an expression (`${{ fromJSON(...) }}`) cannot be
// expanded statically: the result is one combination marked unresolved.
// Also ${{ matrix.x }} substitution in strings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "probes/read/safe_yaml.h"

namespace cc {

// Values point into the YNode tree given to expand_matrix, which must outlive the expansion.
struct MatrixCombo {
  std::vector<std::pair<std::string, const YNode*>> values;  // original keys first, in written order
  int line = 0;  // the matrix's line, or the include entry's line for a combination it added
  const YNode* get(std::string_view key) const;
  // Every value as text (YNode::value), keyed by matrix variable.
  std::vector<std::pair<std::string, std::string>> texts() const;
};

struct MatrixExpansion {
  bool has_matrix = false;  // the job has strategy.matrix
  bool unresolved = false;  // an expression makes the matrix unknown statically
  std::string unresolved_detail;
  bool capped = false;            // more combinations than the cap: the list is cut at the cap
  std::size_t total = 0;          // combinations GitHub would create (a lower bound when capped)
  std::vector<MatrixCombo> combos;  // at least one (a job without matrix runs once)
  std::vector<std::pair<int, std::string>> notes;  // (line, what): oddities GitHub rejects or ignores
};

inline constexpr std::size_t kGithubMatrixCap = 256;  // GitHub: at most 256 jobs per matrix

// `matrix` is the value of strategy.matrix (nullptr when the job has none).
MatrixExpansion expand_matrix(const YNode* matrix, std::size_t cap = kGithubMatrixCap);

// True when the text holds a ${{ ... }} expression.
bool has_expression(std::string_view s);

// Replace ${{ matrix.key }} (also ${{ matrix.key.sub }}, ${{ matrix['key'] }}) by the combination's
// value; a key the combination lacks gives "" as on GitHub. Any other expression is kept as
// written and *unresolved is set (when given). When `matrix_known` is false (an unresolved
// matrix), matrix references are kept too and count as unresolved.
std::string substitute_matrix(std::string_view text, const MatrixCombo& combo,
                              bool matrix_known = true, bool* unresolved = nullptr);

}  // namespace cc
