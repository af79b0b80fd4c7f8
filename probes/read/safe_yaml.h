// Bounded YAML loading for hostile input: a pre-scan refuses deep nesting before yaml-cpp's
// recursive parser sees the text, and the parsed document is copied into a plain tree (YNode)
// under a node budget, so alias bombs ("billion laughs") and cyclic anchors stop with a note
// instead of exploding. Probes then walk YNode, which is finite and acyclic by construction.
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

  // Defined in safe_yaml.cpp, where YNode is complete: clang 14 with libstdc++ 12 rejects the
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

// Estimate of the nesting depth of YAML text without parsing it (linear, no recursion): block
// indentation levels, "- " sequence entries on one line, and flow brackets outside quotes; the
// content of block scalars (| and >) is skipped. Returns the deepest level and its 1-based line.
std::pair<int, int> yaml_nesting_depth(std::string_view text);

// The YAML comment lines of a text: 1-based line numbers of lines whose first non-blank
// character is '#', outside block scalars (a '#' line inside `run: |` is script, not YAML).
std::vector<int> yaml_comment_lines(std::string_view text);

// Pre-scan, parse with yaml-cpp, copy within the limits.
YamlLoad load_yaml(std::string_view text, const YamlLimits& limits = {});

// A data file of probes/data/ compiled into the binary (name: "data/layout.yaml"), loaded with
// load_yaml. False, with `error` set, when it is not embedded ("data/x.yaml is not embedded") or
// does not load ("data/x.yaml: line N: <why>").
bool load_probe_data(std::string_view name, YamlLoad& out, std::string& error);

}  // namespace cc
