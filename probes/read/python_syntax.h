// A small wrapper over tree-sitter-python (grammar 0.23.6, parser ABI 14): parse a Python source
// once, then read nodes by type and field, their text and their 1-based lines. Shared by the
// probes that read Python (pytest tests, Python usage).
//
// Hostile input: before parsing, the bracket nesting depth is measured (outside strings and
// comments); deeper than `max_nesting` (default 500; CPython itself refuses more than 200 nested
// parentheses) is not parsed (status too_deep), so neither tree-sitter nor a caller's recursion sees
// pathological depth. A parse timeout guards against pathological error recovery. Walks in this
// file are iterative (TSTreeCursor), never recursive.
//
// Lifetimes: a PyNode points into its PySyntaxTree; it must not outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tree_sitter/api.h>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace cc::py {

class PySyntaxTree;

// A node of a parsed tree; a null node (is_null()) when a lookup found nothing. All accessors are
// safe on a null node: they return empty text, line 0, no children.
class PyNode {
 public:
  PyNode() = default;
  PyNode(TSNode n, const PySyntaxTree* t) : node_(n), tree_(t) {}

  bool is_null() const { return tree_ == nullptr || ts_node_is_null(node_); }
  explicit operator bool() const { return !is_null(); }

  std::string_view type() const;               // "function_definition", "ERROR", "(" ...
  bool is(std::string_view t) const { return !is_null() && type() == t; }
  bool named() const;
  bool is_error() const;                       // an ERROR node
  bool is_missing() const;                     // a token tree-sitter inserted to recover
  std::string_view text() const;               // source bytes of the node
  int line() const;                            // 1-based start line; 0 for a null node
  int end_line() const;                        // 1-based end line
  std::uint32_t start_byte() const;

  PyNode field(const char* name) const;        // child by field name ("name", "body", ...)
  std::vector<PyNode> fields(const char* name) const;  // all children with that field name
  std::vector<PyNode> children() const;        // all children (named and anonymous)
  std::vector<PyNode> named_children() const;  // named children only
  std::size_t named_child_count() const;

  const TSNode& raw() const { return node_; }

 private:
  TSNode node_{};
  const PySyntaxTree* tree_ = nullptr;
};

struct PyParseOptions {
  int max_nesting = 500;                       // bracket depth above which we refuse to parse
  std::uint64_t timeout_micros = 30'000'000;   // 0 = no timeout
};

enum class PyParseStatus {
  ok,          // a tree exists (it may still contain syntax errors: see error_count())
  too_deep,    // bracket nesting above max_nesting: not parsed
  timed_out,   // tree-sitter gave up after the timeout
  failed,      // no tree (language rejected, out of memory)
};

const char* to_string(PyParseStatus s);

// The grammar's language, and whether this libtree-sitter accepts its ABI version.
const TSLanguage* python_language();
bool python_language_compatible();

// Deepest (), [], {} nesting of the source, ignoring brackets in strings and comments (a light
// tokenizer: enough for a guard, not a Python lexer).
int bracket_depth(std::string_view source);

class PySyntaxTree {
 public:
  // Parses `source` (taken by value and kept: nodes' text views point into it).
  static PySyntaxTree parse(std::string source, const PyParseOptions& opts = {});

  PySyntaxTree(PySyntaxTree&&) noexcept;
  PySyntaxTree& operator=(PySyntaxTree&&) noexcept;
  PySyntaxTree(const PySyntaxTree&) = delete;
  PySyntaxTree& operator=(const PySyntaxTree&) = delete;
  ~PySyntaxTree();

  PyParseStatus status() const { return status_; }
  bool ok() const { return status_ == PyParseStatus::ok; }
  const std::string& note() const { return note_; }  // why not ok, for a person
  const std::string& source() const { return *source_; }

  PyNode root() const;                 // the "module" node (null when !ok())
  int error_count() const;             // ERROR nodes in the tree
  int missing_count() const;           // MISSING tokens in the tree
  int first_error_line() const;        // 1-based line of the first ERROR/MISSING node, 0 if none

  // Pre-order walk of every node under (and including) `from`, iterative. The visitor returns
  // false to skip the node's children.
  void walk(PyNode from, const std::function<bool(const PyNode&)>& visit) const;

 private:
  PySyntaxTree() = default;
  void count_errors();

  std::unique_ptr<std::string> source_;  // stable address for text views
  TSTree* tree_ = nullptr;
  PyParseStatus status_ = PyParseStatus::failed;
  std::string note_;
  int errors_ = 0;
  int missing_ = 0;
  int first_error_line_ = 0;
};

// Whether a statement (an import, a definition) can lie under a node of this type: the module,
// blocks, and the compound statements and clauses that hold blocks. These are the node types of
// tree-sitter-python 0.23.6 that can contain a statement (derived from its node-types.json; a unit
// test derives them again from the grammar the build fetched).
bool can_hold_statements(std::string_view type);
// The same for a node, and true too for any node with a syntax error below it (ERROR nodes
// included), where recovery can put a statement anywhere. A walk looking for statements returns
// this for the nodes it passes: it then skips the expressions, most of a tree.
bool may_hold_statements(const PyNode& n);

// Convenience: the text of a Python string literal node without prefix and quotes, when it is a
// plain literal (no interpolation, no implicit concatenation); nullopt-like empty + false otherwise.
bool string_literal_value(const PyNode& n, std::string& out);

}  // namespace cc::py
