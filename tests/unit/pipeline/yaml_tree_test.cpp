// engine/yaml_tree.h: read_yaml (libyaml's events) must give the tree load_yaml (yaml-cpp, the
// reader of the repositories' YAML) gives, line numbers included, for every built-in data file
// and every YAML file of the fixtures; and stop hostile input with an error, as load_yaml does.
#include "engine/yaml_tree.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/embedded.h"
#include "probes/read/safe_yaml.h"

namespace {

const char* type_name(cc::YNode::Type t) {
  switch (t) {
    case cc::YNode::Type::null: return "null";
    case cc::YNode::Type::scalar: return "scalar";
    case cc::YNode::Type::seq: return "seq";
    case cc::YNode::Type::map: return "map";
  }
  return "?";
}

// "" when equal, else where the first difference is.
std::string diff(const cc::YNode& a, const cc::YNode& b, const std::string& at = "$") {
  if (a.type != b.type) return at + ": " + type_name(a.type) + " vs " + type_name(b.type);
  // An empty value (`key:` at the end of a line): libyaml places it on its key's line, yaml-cpp
  // on the next token's; nothing reads the line of a null.
  if (a.line != b.line && !a.is_null()) return at + ": line " + std::to_string(a.line) + " vs " + std::to_string(b.line);
  if (a.text != b.text || a.plain != b.plain)
    return at + ": '" + a.text + "'" + (a.plain ? " plain" : "") + " vs '" + b.text + "'" + (b.plain ? " plain" : "");
  if (a.items.size() != b.items.size()) return at + ": sequence sizes differ";
  for (std::size_t i = 0; i < a.items.size(); ++i)
    if (auto d = diff(a.items[i], b.items[i], at + "[" + std::to_string(i) + "]"); !d.empty()) return d;
  if (a.entries.size() != b.entries.size()) return at + ": map sizes differ";
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    const std::string k = at + "." + a.entries[i].first.text;
    if (auto d = diff(a.entries[i].first, b.entries[i].first, k + "<key>"); !d.empty()) return d;
    if (auto d = diff(a.entries[i].second, b.entries[i].second, k); !d.empty()) return d;
  }
  return "";
}

std::string same_as_yaml_cpp(std::string_view text) {
  const cc::YamlLoad slow = cc::load_yaml(text);
  const cc::YamlLoad fast = cc::read_yaml(text);
  if (slow.ok != fast.ok) return std::string("ok: ") + (slow.ok ? "yaml-cpp" : "libyaml") + " only";
  if (slow.notes != fast.notes) return "notes differ";
  return diff(slow.root, fast.root);
}

}  // namespace

TEST_CASE("read_yaml: every built-in data file gives load_yaml's tree, lines included") {
  int files = 0;
  for (const auto* set : {&cc::embedded_catalog(), &cc::embedded_probe_data()})
    for (const auto& f : *set) {
      if (f.name.size() < 5 || f.name.substr(f.name.size() - 5) != ".yaml") continue;
      CAPTURE(f.name);
      CHECK(same_as_yaml_cpp(f.data) == "");
      CHECK(cc::read_yaml(f.data).ok);
      ++files;
    }
  CHECK(files >= 20);
}

TEST_CASE("read_yaml: every YAML file of the fixtures gives load_yaml's tree") {
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(CC_SOURCE_DIR "/fixtures")) {
    const auto ext = e.path().extension();
    if (!e.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    if (!cc::load_yaml(text).ok) continue;  // the fixtures' broken files: errors compared below
    CAPTURE(e.path().string());
    CHECK(same_as_yaml_cpp(text) == "");
    ++files;
  }
  CHECK(files >= 30);
}

TEST_CASE("read_yaml: nulls, quoting, tags, anchors, block scalars, flow collections, complex keys") {
  for (const char* text : {
           "a: ~\nb: null\nc: 'null'\nd:\ne: \"~\"\nf: &x {k: [1, 2, {z: y}]}\ng: *x\n",
           "h: |\n  line 1\n  line 2\ni: >-\n  folded\n  text\nz: 1\ny: 2\n'quoted key': [a, 'b', \"c\"]\n",
           "t: !!str 3.10\nu: 3.10\nv: !custom x\n? [a, b]\n: c\n",
           "- a\n- - b\n  - c\n- {d: e}\n-\n",
           "",
           "# only a comment\n",
           "a: 1\na: 2\nb: {c: 1, c: 2}\n",      // duplicate keys are notes
           "a: 1\n---\nb: 2\n",                    // a second document is a note
       }) {
    const std::string shown = text;
    CAPTURE(shown);
    CHECK(same_as_yaml_cpp(text) == "");
  }
  const cc::YamlLoad y = cc::read_yaml("a: &x [1]\nb: *x\nc: 'q'\nd: ~\n");
  REQUIRE(y.ok);
  REQUIRE(y.root.get("b"));
  CHECK(y.root.get("b")->items.at(0).text == "1");
  CHECK(y.root.get("b")->items.at(0).plain);
  CHECK_FALSE(y.root.get("c")->plain);
  CHECK(y.root.get("d")->is_null());
  CHECK(y.root.get("d")->line == 4);
}

TEST_CASE("read_yaml: hostile input stops with an error and its line, never a crash") {
  // Syntax errors: the line of the problem.
  cc::YamlLoad y = cc::read_yaml("a: 1\nb: [1, 2\n");
  CHECK_FALSE(y.ok);
  CHECK(y.error.find("YAML syntax error") == 0);
  CHECK(y.error_line >= 2);
  CHECK_FALSE(cc::read_yaml("a: 1\n\tb: 2\n").ok);
  // An alias to no anchor, and a cyclic one.
  CHECK_FALSE(cc::read_yaml("a: *nope\n").ok);
  CHECK_FALSE(cc::read_yaml("a: &a [*a]\n").ok);
  // A billion laughs: nine levels of ten aliases each.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", " : "") + "*" + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  y = cc::read_yaml(bomb);
  CHECK_FALSE(y.ok);
  CHECK(y.error.find("alias bomb") != std::string::npos);
  CHECK(y.root.is_null());
  // Nesting past the limit, in flow and block style: an error, at any depth of text.
  y = cc::read_yaml(std::string(100000, '[') + std::string(100000, ']'));
  CHECK_FALSE(y.ok);
  CHECK(y.error.find("nests deeper than 200") != std::string::npos);
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k" + std::to_string(i) + ":\n";
  y = cc::read_yaml(deep);
  CHECK_FALSE(y.ok);
  CHECK(y.error.find("nests deeper") != std::string::npos);
  // Binary junk and a NUL: an error or a tree, never a crash.
  std::string junk = "a: \x01\x02\xff\xfe\n";
  junk += '\0';
  junk += "b: 1\n";
  (void)cc::read_yaml(junk);
  cc::YamlLimits small;
  small.max_nodes = 5;
  CHECK_FALSE(cc::read_yaml("[1, 2, 3, 4, 5, 6]", small).ok);
}
