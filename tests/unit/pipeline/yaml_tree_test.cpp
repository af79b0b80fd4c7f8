// engine/yaml_tree.h: read_yaml, the one YAML reader (built-in data and the repositories' files):
// the tree, the line of every node, the notes, and hostile input stopped with an error.
#include "engine/yaml_tree.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/embedded.h"

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Every plain map key is written on the line its node names: "" or the first key that is not.
std::string keys_on_their_lines(const cc::YNode& n, const std::vector<std::string>& lines) {
  for (const auto& [k, v] : n.entries) {
    if (k.is_scalar() && k.plain) {
      if (k.line < 1 || k.line > static_cast<int>(lines.size()) ||
          lines[static_cast<std::size_t>(k.line - 1)].find(k.text) == std::string::npos)
        return k.text + " (line " + std::to_string(k.line) + ")";
    }
    if (auto bad = keys_on_their_lines(v, lines); !bad.empty()) return bad;
  }
  for (const auto& c : n.items)
    if (auto bad = keys_on_their_lines(c, lines); !bad.empty()) return bad;
  return "";
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("read_yaml: every built-in data file reads, each key on its own line") {
  int files = 0;
  for (const auto* set : {&cc::embedded_catalog(), &cc::embedded_probe_data()})
    for (const auto& f : *set) {
      if (f.name.size() < 5 || f.name.substr(f.name.size() - 5) != ".yaml") continue;
      CAPTURE(f.name);
      const cc::YamlLoad y = cc::read_yaml(f.data);
      REQUIRE(y.ok);
      CHECK(y.root.is_map());
      CHECK(y.notes.empty());
      CHECK(keys_on_their_lines(y.root, lines_of(std::string(f.data))) == "");
      ++files;
    }
  CHECK(files >= 20);
}

TEST_CASE("read_yaml: every YAML file of the fixtures, each key on its own line") {
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(CC_SOURCE_DIR "/fixtures")) {
    const auto ext = e.path().extension();
    if (!e.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
    const std::string text = read_text(e.path());
    const cc::YamlLoad y = cc::read_yaml(text);
    if (!y.ok) continue;  // the fixtures' broken files: their errors are in the expected outputs
    CAPTURE(e.path().string());
    CHECK(keys_on_their_lines(y.root, lines_of(text)) == "");
    ++files;
  }
  CHECK(files >= 30);
}

TEST_CASE("read_yaml: nulls, quoting, tags, anchors, block scalars, flow collections, order") {
  const cc::YamlLoad y = cc::read_yaml(
      "a: ~\nb: null\nc: 'null'\nd:\ne: \"~\"\nf: &x {k: [1, 2, {z: y}]}\ng: *x\n"
      "h: |\n  line 1\n  line 2\ni: >-\n  folded\n  text\nt: !!str 3.10\nu: 3.10\n"
      "? [p, q]\n: complex\nlast: [a, 'b', \"c\"]\n");
  REQUIRE(y.ok);
  const cc::YNode& r = y.root;
  REQUIRE(r.entries.size() == 13);
  CHECK(r.get("a")->is_null());
  CHECK(r.get("b")->is_null());
  CHECK(r.get("c")->is_scalar());
  CHECK(r.get("c")->text == "null");
  CHECK_FALSE(r.get("c")->plain);
  CHECK(r.get("d")->is_null());
  CHECK(r.get("e")->text == "~");
  CHECK(r.get("g")->value() == "{k:[1,2,{z:y}]}");
  CHECK(r.get("g")->line == 6);                       // an alias is its anchored node, lines and all
  CHECK(r.get("g")->get("k")->items[2].line == 6);    // a copy keeps the anchored lines
  CHECK(r.get("h")->text == "line 1\nline 2\n");
  CHECK_FALSE(r.get("h")->plain);
  CHECK(r.get("i")->text == "folded text");
  CHECK(r.get("t")->text == "3.10");
  CHECK_FALSE(r.get("t")->plain);                      // an explicit tag: not a number
  CHECK(r.get("u")->plain);
  CHECK(r.get("u")->value() == "3.1");
  CHECK(r.entries[11].first.is_seq());
  CHECK(r.entries[11].second.text == "complex");
  CHECK(r.entries.back().first.text == "last");
  CHECK(r.entries.back().second.line == 18);
  CHECK(cc::read_yaml("").ok);
  CHECK(cc::read_yaml("").root.is_null());
  CHECK(cc::read_yaml("# only a comment\n").root.is_null());
  CHECK(cc::read_yaml("- a\n- - b\n  - c\n-\n").root.value() == "[a,[b,c],]");
}

TEST_CASE("read_yaml: duplicate keys and extra documents are notes") {
  cc::YamlLoad y = cc::read_yaml("a: 1\na: 2\nb: {c: 1, c: 2}\n");
  REQUIRE(y.ok);
  REQUIRE(y.notes.size() == 2);
  CHECK(y.notes[0].first == 2);
  CHECK(y.notes[0].second.find("duplicate key 'a'") == 0);
  CHECK(y.notes[1].second.find("duplicate key 'c'") == 0);
  CHECK(y.root.get("a")->text == "1");  // the first one is used
  // Many keys (past the linear look): still every duplicate, once.
  std::string many;
  for (int i = 0; i < 100; ++i) many += "k" + std::to_string(i) + ": 1\n";
  many += "k7: 2\nk99: 3\n";
  y = cc::read_yaml(many);
  CHECK(y.notes.size() == 2);
  y = cc::read_yaml("a: 1\n---\nb: [\n");  // the second document is not read, broken or not
  REQUIRE(y.ok);
  REQUIRE(y.notes.size() == 1);
  CHECK(y.notes[0] == std::make_pair(2, std::string("more than one YAML document: only the first is read")));
  CHECK(y.root.get("b") == nullptr);
}

TEST_CASE("read_yaml: hostile input stops with an error and its line, never a crash") {
  cc::YamlLoad y = cc::read_yaml("a: 1\nb: [1, 2\n");
  CHECK_FALSE(y.ok);
  CHECK(y.error.find("YAML syntax error") == 0);
  CHECK(y.error_line >= 2);
  CHECK(y.root.is_null());
  CHECK_FALSE(cc::read_yaml("a: 1\n\tb: 2\n").ok);
  // An alias to no anchor, and a cyclic one.
  CHECK(cc::read_yaml("a: *nope\n").error.find("names no finished anchor") != std::string::npos);
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
  // Nesting past the limit, in flow and block style, and through an alias.
  y = cc::read_yaml(std::string(100000, '[') + std::string(100000, ']'));
  CHECK_FALSE(y.ok);
  CHECK(y.error == "YAML nests deeper than 200 levels (line 1): file not parsed");
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k" + std::to_string(i) + ":\n";
  y = cc::read_yaml(deep);
  CHECK_FALSE(y.ok);
  CHECK(y.error_line == 201);  // the 201st map, the value of k199
  std::string chain = "a: &a " + std::string(150, '[') + std::string(150, ']') + "\nb: " + std::string(60, '[') + "*a" +
                      std::string(60, ']') + "\n";
  CHECK_FALSE(cc::read_yaml(chain).ok);
  // Binary junk and a NUL: an error or a tree, never a crash.
  std::string junk = "a: \x01\x02\xff\xfe\n";
  junk += '\0';
  junk += "b: 1\n";
  (void)cc::read_yaml(junk);
  cc::YamlLimits small;
  small.max_nodes = 5;
  CHECK_FALSE(cc::read_yaml("[1, 2, 3, 4, 5, 6]", small).ok);
  CHECK(cc::read_yaml("[1, 2, 3]", small).ok);
}
