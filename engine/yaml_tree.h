// The plain YAML tree every reader of YAML walks (YNode), and libyaml's event parser building it.
// A YNode is finite and acyclic by construction: aliases are copied under a node budget, so alias
// bombs ("billion laughs") and cyclic anchors stop with an error instead of exploding, and the
// builder keeps its own stack (no recursion), so deep nesting stops at a limit, not a crash.
// yaml-cpp builds a node graph of shared pointers that costs ten times libyaml's parse; the
// built-in data (catalog, templates, contradictions, the probes' data files) is read into YNode
// by read_yaml at every audit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cc {

struct YNode {
  enum class Type { null, scalar, seq, map };
  Type type = Type::null;
  std::string text;   // scalar: its text as written (after YAML unescaping)
  bool plain = false; // scalar: unquoted, not a block scalar (so 3.10 is a number, true a bool)
  int line = 0;       // 1-based line of the node (0 when unknown)
  std::vector<YNode> items;                       // seq
  std::vector<std::pair<YNode, YNode>> entries;   // map, in document order

  // Defined in yaml_tree.cpp, where YNode is complete: clang 14 with libstdc++ 12 rejects the
  // implicit ones (std::pair<YNode, YNode> instantiated while YNode is still incomplete), and the
  // fuzz build uses clang.
  YNode();
  ~YNode();
  YNode(const YNode&);
  YNode(YNode&&) noexcept;
  YNode& operator=(const YNode&);
  YNode& operator=(YNode&&) noexcept;

  bool is_null() const { return type == Type::null; }
  bool is_scalar() const { return type == Type::scalar; }
  bool is_seq() const { return type == Type::seq; }
  bool is_map() const { return type == Type::map; }
  // Map lookup by key text (first match); nullptr when absent or not a map.
  const YNode* get(std::string_view key) const;
  // The value as GitHub's YAML reading gives it, as text: plain numbers canonical (3.10 -> 3.1,
  // 1e3 -> 1000), plain booleans and nulls lower-case ("true", "false", ""), quoted text as is,
  // sequences and maps as compact JSON-like text ("[a,b]", "{k:v}" with keys sorted), cut at
  // about 4 KiB ("...") so that hostile values cost a bounded amount.
  std::string value() const;
};

struct YamlLimits {
  int max_depth = 200;           // nesting levels (indentation + flow brackets), pre-scan and copy
  std::size_t max_nodes = 200000;  // nodes copied (aliases count every time they are expanded)
};

struct YamlLoad {
  bool ok = false;
  YNode root;          // the first document (null when the text is empty or only comments)
  int error_line = 0;  // 1-based, when !ok
  std::string error;   // one sentence, when !ok
  std::vector<std::pair<int, std::string>> notes;  // (line, what): duplicate keys, extra documents
};

// The first document of `text` through libyaml's event parser, within the limits. Plain scalars
// ~, null, Null, NULL and the empty one are null nodes (as yaml-cpp reads them); a plain scalar
// with an explicit tag is not `plain`. A second document is a note, not read.
YamlLoad read_yaml(std::string_view text, const YamlLimits& limits = {});

}  // namespace cc
