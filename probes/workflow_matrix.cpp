#include "engine/strings.h"
#include "probes/workflow_matrix.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace cc {

const YNode* MatrixCombo::get(std::string_view key) const {
  for (const auto& [k, v] : values)
    if (k == key) return v;
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> MatrixCombo::texts() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : values) out.emplace_back(k, v->value());
  return out;
}

bool has_expression(std::string_view s) { return s.find("${{") != std::string_view::npos; }

namespace {

bool is_expression_node(const YNode& n) { return n.is_scalar() && has_expression(n.text); }

void set_value(MatrixCombo& c, const std::string& key, const YNode* v) {
  for (auto& [k, old] : c.values)
    if (k == key) { old = v; return; }
  c.values.emplace_back(key, v);
}

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// Parse "matrix.a.b" / "matrix['a'].b" into its path; false when the expression is anything else.
bool parse_matrix_ref(std::string_view e, std::vector<std::string>& path) {
  if (e.size() < 7 || e.substr(0, 6) != "matrix") return false;
  size_t i = 6;
  while (i < e.size()) {
    if (e[i] == '.') {
      size_t j = i + 1;
      while (j < e.size() && ident_char(e[j])) ++j;
      if (j == i + 1) return false;
      path.emplace_back(e.substr(i + 1, j - i - 1));
      i = j;
    } else if (e[i] == '[') {
      if (i + 1 >= e.size() || (e[i + 1] != '\'' && e[i + 1] != '"')) return false;
      char q = e[i + 1];
      size_t j = e.find(q, i + 2);
      if (j == std::string_view::npos || j + 1 >= e.size() || e[j + 1] != ']') return false;
      path.emplace_back(e.substr(i + 2, j - i - 2));
      i = j + 2;
    } else {
      return false;
    }
  }
  return !path.empty();
}

}  // namespace

std::string substitute_matrix(std::string_view text, const MatrixCombo& combo, bool matrix_known,
                              bool* unresolved) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t a = text.find("${{", i);
    if (a == std::string_view::npos) break;
    size_t b = text.find("}}", a + 3);
    if (b == std::string_view::npos) break;
    out.append(text.substr(i, a - i));
    std::string expr = trim(text.substr(a + 3, b - a - 3));
    std::vector<std::string> path;
    bool done = false;
    if (matrix_known && parse_matrix_ref(expr, path)) {
      const YNode* v = combo.get(path[0]);
      for (size_t k = 1; v && k < path.size(); ++k) v = v->get(path[k]);
      out += v ? v->value() : std::string();
      done = true;
    }
    if (!done) {
      out.append(text.substr(a, b + 2 - a));
      if (unresolved) *unresolved = true;
    }
    i = b + 2;
  }
  out.append(text.substr(std::min(i, text.size())));
  return out;
}

MatrixExpansion expand_matrix(const YNode* matrix, std::size_t cap) {
  MatrixExpansion r;
  auto unresolved = [&](int line, std::string why) {
    r.unresolved = true;
    r.unresolved_detail = std::move(why);
    r.combos.assign(1, MatrixCombo{});
    r.combos[0].line = line;
    r.total = 1;
    return r;
  };
  if (!matrix) {
    r.combos.emplace_back();  // line 0: the caller uses the job's line
    r.total = 1;
    return r;
  }
  r.has_matrix = true;
  if (is_expression_node(*matrix))
    return unresolved(matrix->line, "the matrix is the expression '" + matrix->text +
                                        "', computed at run time: not expanded");
  if (!matrix->is_map()) {
    r.notes.emplace_back(matrix->line, "strategy.matrix is not a mapping (GitHub rejects it)");
    return unresolved(matrix->line, "strategy.matrix is not a mapping: not expanded");
  }

  // Rows, include, exclude.
  struct Row {
    std::string key;
    std::vector<const YNode*> values;
  };
  std::vector<Row> rows;
  std::vector<const YNode*> includes, excludes;
  for (const auto& [k, v] : matrix->entries) {
    std::string key = k.text;
    if (key == "include" || key == "exclude") {
      auto& list = key == "include" ? includes : excludes;
      if (is_expression_node(v))
        return unresolved(v.line, "matrix " + key + " is the expression '" + v.text +
                                      "', computed at run time: not expanded");
      if (v.is_null()) continue;
      if (!v.is_seq()) {
        r.notes.emplace_back(v.line, "matrix " + key + " is not a list (GitHub rejects it)");
        continue;
      }
      for (const auto& e : v.items) {
        if (is_expression_node(e))
          return unresolved(e.line, "a matrix " + key + " entry is the expression '" + e.text +
                                        "', computed at run time: not expanded");
        if (!e.is_map()) {
          r.notes.emplace_back(e.line, "a matrix " + key + " entry is not a mapping: ignored");
          continue;
        }
        list.push_back(&e);
      }
      continue;
    }
    if (is_expression_node(v))
      return unresolved(v.line, "matrix row '" + key + "' is the expression '" + v.text +
                                    "', computed at run time: not expanded");
    Row row{key, {}};
    if (v.is_seq()) {
      for (const auto& e : v.items) row.values.push_back(&e);
      if (row.values.empty())
        r.notes.emplace_back(v.line, "matrix row '" + key +
                                         "' has no values (GitHub rejects an empty matrix vector)");
    } else {
      r.notes.emplace_back(v.line, "matrix row '" + key +
                                       "' is not a list: read as a single value");
      row.values.push_back(&v);
    }
    rows.push_back(std::move(row));
  }
  for (const YNode* ex : excludes)
    for (const auto& kv : ex->entries)  // no structured binding: clang 14 cannot capture one
      if (const YNode& k = kv.first;
          std::none_of(rows.begin(), rows.end(), [&](const Row& rw) { return rw.key == k.text; }))
        r.notes.emplace_back(k.line, "matrix exclude key '" + k.text +
                                         "' is not a matrix variable (GitHub rejects this)");

  // 1+2: cartesian product (odometer, last row fastest as GitHub orders jobs), minus excludes.
  // Stops once more than `cap` combinations survive (GitHub refuses such a matrix) or after a
  // bounded number of candidates, so that a huge product cannot take forever.
  std::vector<MatrixCombo> original;
  bool empty_product = rows.empty() ||
                       std::any_of(rows.begin(), rows.end(), [](const Row& rw) { return rw.values.empty(); });
  const std::size_t max_candidates = 1000000;
  std::size_t candidates = 0;
  if (!empty_product) {
    // Canonical texts of every row value, and the excludes as (row, text) pairs, so that the
    // scan compares strings without building rejected combinations.
    std::vector<std::vector<std::string>> texts(rows.size());
    for (size_t k = 0; k < rows.size(); ++k)
      for (const YNode* v : rows[k].values) texts[k].push_back(v->value());
    std::vector<std::vector<std::pair<size_t, std::string>>> ex;
    for (const YNode* e : excludes) {
      std::vector<std::pair<size_t, std::string>> conds;
      bool possible = true;
      for (const auto& kv : e->entries) {  // no structured binding: clang 14 cannot capture one
        const YNode& k = kv.first;
        const YNode& v = kv.second;
        auto it = std::find_if(rows.begin(), rows.end(), [&](const Row& rw) { return rw.key == k.text; });
        if (it == rows.end()) { possible = false; break; }
        conds.emplace_back(static_cast<size_t>(it - rows.begin()), v.value());
      }
      if (possible) ex.push_back(std::move(conds));
    }
    std::vector<std::size_t> idx(rows.size(), 0);
    bool more = true;
    while (more) {
      if (++candidates > max_candidates) { r.capped = true; break; }
      bool excluded = std::any_of(ex.begin(), ex.end(), [&](const auto& conds) {
        return std::all_of(conds.begin(), conds.end(),
                           [&](const auto& c) { return texts[c.first][idx[c.first]] == c.second; });
      });
      if (!excluded) {
        if (original.size() >= cap) { r.capped = true; break; }
        MatrixCombo c;
        c.line = matrix->line;
        for (size_t k = 0; k < rows.size(); ++k) c.values.emplace_back(rows[k].key, rows[k].values[idx[k]]);
        original.push_back(std::move(c));
      }
      more = false;
      for (size_t k = rows.size(); k-- > 0;) {
        if (++idx[k] < rows[k].values.size()) { more = true; break; }
        idx[k] = 0;
      }
    }
  }
  // 3: include.
  std::vector<std::string> orig_keys;
  for (const auto& rw : rows) orig_keys.push_back(rw.key);
  std::unordered_map<const YNode*, std::string> memo;  // canonical texts, computed once
  auto text_of = [&](const YNode* n) -> const std::string& {
    auto it = memo.find(n);
    if (it == memo.end()) it = memo.emplace(n, n->value()).first;
    return it->second;
  };
  std::vector<MatrixCombo> added;
  for (const YNode* inc : includes) {
    bool fitted = false;
    // The include entry's pairs on original matrix variables: these must not overwrite.
    std::vector<std::pair<std::string, const YNode*>> on_orig;
    for (const auto& [k, v] : inc->entries)
      if (std::find(orig_keys.begin(), orig_keys.end(), k.text) != orig_keys.end())
        on_orig.emplace_back(k.text, &v);
    for (auto& c : original) {
      bool overwrites = false;
      for (const auto& [k, v] : on_orig) {
        const YNode* have = c.get(k);
        if (have && text_of(have) != text_of(v)) { overwrites = true; break; }
      }
      if (overwrites) continue;
      fitted = true;
      for (const auto& [k, v] : inc->entries) set_value(c, k.text, &v);
    }
    if (!fitted) {
      MatrixCombo c;
      c.line = inc->line;
      for (const auto& [k, v] : inc->entries) set_value(c, k.text, &v);
      added.push_back(std::move(c));
    }
  }
  r.total = original.size() + added.size();
  for (auto& c : added) original.push_back(std::move(c));
  if (original.size() > cap) {
    original.resize(cap);
    r.capped = true;
  }
  if (r.capped)
    r.notes.emplace_back(matrix->line, "the matrix expands to more than " + std::to_string(cap) +
                                           " combinations (GitHub's limit is 256 jobs per matrix): "
                                           "only the first " + std::to_string(cap) + " are listed");
  r.combos = std::move(original);
  if (r.combos.empty()) {
    r.notes.emplace_back(matrix->line, "the matrix expands to no combination: the job never runs");
  }
  return r;
}

}  // namespace cc
