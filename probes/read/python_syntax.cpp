#include "probes/read/python_syntax.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

namespace cc::py {

// ---- PyNode ----------------------------------------------------------------------------------

std::string_view PyNode::type() const {
  if (is_null()) return {};
  const char* t = ts_node_type(node_);
  return t ? std::string_view(t) : std::string_view();
}

bool PyNode::named() const { return !is_null() && ts_node_is_named(node_); }
bool PyNode::is_error() const { return !is_null() && type() == "ERROR"; }
bool PyNode::is_missing() const { return !is_null() && ts_node_is_missing(node_); }

std::string_view PyNode::text() const {
  if (is_null()) return {};
  const std::string& src = tree_->source();
  std::uint32_t b = ts_node_start_byte(node_), e = ts_node_end_byte(node_);
  if (b > src.size() || e > src.size() || e < b) return {};
  return std::string_view(src).substr(b, e - b);
}

int PyNode::line() const { return is_null() ? 0 : int(ts_node_start_point(node_).row) + 1; }
int PyNode::end_line() const { return is_null() ? 0 : int(ts_node_end_point(node_).row) + 1; }
std::uint32_t PyNode::start_byte() const { return is_null() ? 0 : ts_node_start_byte(node_); }

namespace {
// A field's id by name: tree-sitter looks a name up with a strncmp over every field name of the
// grammar (about 30) at each call, 2% of an audit of many Python files; this is a binary search
// in the same names, sorted once. 0 (no such field) as tree-sitter answers.
TSFieldId field_id(std::string_view name) {
  static const std::vector<std::pair<std::string_view, TSFieldId>> ids = [] {
    std::vector<std::pair<std::string_view, TSFieldId>> v;
    const TSLanguage* lang = python_language();
    for (TSFieldId id = 1; id <= ts_language_field_count(lang); ++id)
      if (const char* n = ts_language_field_name_for_id(lang, id)) v.emplace_back(n, id);
    std::sort(v.begin(), v.end());
    return v;
  }();
  auto it = std::lower_bound(ids.begin(), ids.end(), std::make_pair(name, TSFieldId(0)));
  return it != ids.end() && it->first == name ? it->second : 0;
}
}  // namespace

PyNode PyNode::field(const char* name) const {
  if (is_null()) return {};
  const TSFieldId id = field_id(name);
  if (id == 0) return {};
  TSNode c = ts_node_child_by_field_id(node_, id);
  if (ts_node_is_null(c)) return {};
  return PyNode(c, tree_);
}

namespace {
// Children through a cursor: ts_node_child(i) is linear in i, a cursor is linear overall. The
// field's name only when asked for: tree-sitter finds it in the production's field map, at a
// cost like the step's own (a tenth of the walks of an audit of many Python files).
template <bool kFieldName, class F>
void each_child(const TSNode& n, F&& f) {
  TSTreeCursor c = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      f(ts_tree_cursor_current_node(&c), kFieldName ? ts_tree_cursor_current_field_name(&c) : nullptr);
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
}
}  // namespace

std::vector<PyNode> PyNode::fields(const char* name) const {
  std::vector<PyNode> out;
  if (is_null()) return out;
  each_child<true>(node_, [&](TSNode c, const char* f) {
    if (f && std::strcmp(f, name) == 0) out.emplace_back(c, tree_);
  });
  return out;
}

std::vector<PyNode> PyNode::children() const {
  std::vector<PyNode> out;
  if (is_null()) return out;
  each_child<false>(node_, [&](TSNode c, const char*) { out.emplace_back(c, tree_); });
  return out;
}

std::vector<PyNode> PyNode::named_children() const {
  std::vector<PyNode> out;
  if (is_null()) return out;
  each_child<false>(node_, [&](TSNode c, const char*) {
    if (ts_node_is_named(c)) out.emplace_back(c, tree_);
  });
  return out;
}

std::size_t PyNode::named_child_count() const {
  return is_null() ? 0 : ts_node_named_child_count(node_);
}

// ---- language ---------------------------------------------------------------------------------

const char* to_string(PyParseStatus s) {
  switch (s) {
    case PyParseStatus::ok: return "ok";
    case PyParseStatus::too_deep: return "too-deep";
    case PyParseStatus::timed_out: return "timed-out";
    case PyParseStatus::failed: return "failed";
  }
  return "failed";
}

const TSLanguage* python_language() { return tree_sitter_python(); }

bool python_language_compatible() {
  TSParser* p = ts_parser_new();
  bool ok = ts_parser_set_language(p, python_language());
  ts_parser_delete(p);
  return ok;
}

int bracket_depth(std::string_view s) {
  int depth = 0, max_depth = 0;
  std::size_t i = 0, n = s.size();
  while (i < n) {
    char c = s[i];
    if (c == '#') {
      while (i < n && s[i] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      bool triple = i + 2 < n && s[i + 1] == c && s[i + 2] == c;
      i += triple ? 3 : 1;
      while (i < n) {
        if (s[i] == '\\') { i += 2; continue; }
        if (!triple && s[i] == '\n') { ++i; break; }  // unterminated: stop at the line's end
        if (s[i] == c) {
          if (!triple) { ++i; break; }
          if (i + 2 < n && s[i + 1] == c && s[i + 2] == c) { i += 3; break; }
        }
        ++i;
      }
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      if (++depth > max_depth) max_depth = depth;
    } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
      --depth;
    }
    ++i;
  }
  return max_depth;
}

// ---- PySyntaxTree -----------------------------------------------------------------------------

PySyntaxTree::PySyntaxTree(PySyntaxTree&& o) noexcept { *this = std::move(o); }

PySyntaxTree& PySyntaxTree::operator=(PySyntaxTree&& o) noexcept {
  if (this != &o) {
    if (tree_) ts_tree_delete(tree_);
    source_ = std::move(o.source_);
    tree_ = o.tree_;
    o.tree_ = nullptr;
    status_ = o.status_;
    note_ = std::move(o.note_);
    errors_ = o.errors_;
    missing_ = o.missing_;
    first_error_line_ = o.first_error_line_;
  }
  return *this;
}

PySyntaxTree::~PySyntaxTree() {
  if (tree_) ts_tree_delete(tree_);
}

PySyntaxTree PySyntaxTree::parse(std::string source, const PyParseOptions& opts) {
  PySyntaxTree t;
  t.source_ = std::make_unique<std::string>(std::move(source));
  const std::string& src = *t.source_;
  if (src.size() > std::numeric_limits<std::uint32_t>::max() / 2) {
    t.status_ = PyParseStatus::failed;
    t.note_ = "source too large to parse";
    return t;
  }
  int depth = bracket_depth(src);
  if (opts.max_nesting > 0 && depth > opts.max_nesting) {
    t.status_ = PyParseStatus::too_deep;
    t.note_ = "brackets nested " + std::to_string(depth) + " deep (limit " +
              std::to_string(opts.max_nesting) + "; Python itself accepts 200): not parsed";
    return t;
  }
  // One parser per thread, reset before each file: a parser's stack, subtree pool and lexer
  // buffers stay warm from file to file instead of being allocated and freed for each.
  struct ParserDelete {
    void operator()(TSParser* p) const { ts_parser_delete(p); }
  };
  static thread_local std::unique_ptr<TSParser, ParserDelete> parser;
  static thread_local bool language_set = false;
  if (!parser) {
    parser.reset(ts_parser_new());
    language_set = ts_parser_set_language(parser.get(), python_language());
  }
  TSParser* p = parser.get();
  if (!language_set) {
    t.status_ = PyParseStatus::failed;
    t.note_ = "tree-sitter rejected the Python grammar (ABI " +
              std::to_string(ts_language_version(python_language())) + ")";
    return t;
  }
  ts_parser_reset(p);  // a parse stopped by the time cap would otherwise resume
  ts_parser_set_timeout_micros(p, opts.timeout_micros);
  t.tree_ = ts_parser_parse_string(p, nullptr, src.data(), std::uint32_t(src.size()));
  if (!t.tree_) {
    t.status_ = opts.timeout_micros ? PyParseStatus::timed_out : PyParseStatus::failed;
    // The note names the cap so that a partial result says which limit it hit (issue 11).
    const std::uint64_t us = opts.timeout_micros;
    t.note_ = us ? "parse stopped at the time cap of " +
                       (us >= 1000 ? std::to_string(us / 1000) + " ms" : std::to_string(us) + " us") +
                       " (tree-sitter timeout)"
                 : "tree-sitter produced no tree";
    return t;
  }
  t.status_ = PyParseStatus::ok;
  t.count_errors();
  return t;
}

PyNode PySyntaxTree::root() const {
  if (!tree_) return {};
  return PyNode(ts_tree_root_node(tree_), this);
}

int PySyntaxTree::error_count() const { return errors_; }
int PySyntaxTree::missing_count() const { return missing_; }
int PySyntaxTree::first_error_line() const { return first_error_line_; }

void PySyntaxTree::count_errors() {
  errors_ = missing_ = first_error_line_ = 0;
  if (!tree_ || !ts_node_has_error(ts_tree_root_node(tree_))) return;
  walk(root(), [&](const PyNode& n) {
    if (!ts_node_has_error(n.raw())) return false;  // no error below: skip the subtree
    bool err = n.is_error(), miss = n.is_missing();
    if (err) ++errors_;
    if (miss) ++missing_;
    if ((err || miss) && (first_error_line_ == 0 || n.line() < first_error_line_))
      first_error_line_ = n.line();
    return true;
  });
}

void PySyntaxTree::walk(PyNode from, const std::function<bool(const PyNode&)>& visit) const {
  if (from.is_null()) return;
  TSTreeCursor c = ts_tree_cursor_new(from.raw());
  for (;;) {
    PyNode cur(ts_tree_cursor_current_node(&c), this);
    bool descend = visit(cur);
    if (descend && ts_tree_cursor_goto_first_child(&c)) continue;
    bool moved = false;
    for (;;) {
      if (ts_tree_cursor_goto_next_sibling(&c)) { moved = true; break; }
      if (!ts_tree_cursor_goto_parent(&c)) break;
    }
    if (!moved) break;
  }
  ts_tree_cursor_delete(&c);
}

bool can_hold_statements(std::string_view type) {
  static constexpr std::string_view kHolders[] = {
      "module",         "block",          "if_statement",   "elif_clause",  "else_clause",
      "for_statement",  "while_statement", "try_statement",  "except_clause", "except_group_clause",
      "finally_clause", "with_statement", "match_statement", "case_clause", "function_definition",
      "class_definition", "decorated_definition"};
  for (std::string_view h : kHolders)
    if (type == h) return true;
  return false;
}

bool may_hold_statements(const PyNode& n) {
  return !n.is_null() && (ts_node_has_error(n.raw()) || can_hold_statements(n.type()));
}

bool string_literal_value(const PyNode& n, std::string& out) {
  out.clear();
  if (!n.is("string")) return false;
  std::string_view prefix;
  bool raw = false;
  for (const PyNode& c : n.children()) {
    auto t = c.type();
    if (t == "interpolation") return false;
    if (t == "string_start") {
      prefix = c.text();
      for (char ch : prefix) {
        if (ch == 'r' || ch == 'R') raw = true;
        if (ch == 'b' || ch == 'B') return false;  // bytes, not str
      }
    } else if (t == "string_content") {
      std::string_view v = c.text();
      if (raw) { out.append(v); continue; }
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) {
          char e = v[++i];
          switch (e) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case '\\': out += '\\'; break;
            case '\'': out += '\''; break;
            case '"': out += '"'; break;
            case '\n': break;
            default: out += '\\'; out += e; break;
          }
        } else {
          out += v[i];
        }
      }
    } else if (t == "escape_sequence") {
      // Some grammar versions expose escapes as their own nodes inside string_content.
      out.append(c.text());
    }
  }
  return true;
}

}  // namespace cc::py
