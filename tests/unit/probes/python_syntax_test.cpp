#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "probes/read/python_syntax.h"

using namespace cc::py;

TEST_CASE("python grammar: its ABI version is accepted by this libtree-sitter") {
  const TSLanguage* lang = python_language();
  REQUIRE(lang != nullptr);
  uint32_t v = ts_language_version(lang);
  CHECK(v >= TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION);
  CHECK(v <= TREE_SITTER_LANGUAGE_VERSION);
  TSParser* p = ts_parser_new();
  CHECK(ts_parser_set_language(p, lang));
  ts_parser_delete(p);
  CHECK(python_language_compatible());
}

TEST_CASE("python syntax: nodes, fields, text and 1-based lines") {
  auto t = PySyntaxTree::parse("import os\n\n@deco(1)\ndef test_a(x, y: int = 2):\n    pass\n");
  REQUIRE(t.ok());
  CHECK(t.error_count() == 0);
  PyNode root = t.root();
  CHECK(root.is("module"));
  auto kids = root.named_children();
  REQUIRE(kids.size() == 2);
  CHECK(kids[0].is("import_statement"));
  CHECK(kids[0].line() == 1);
  CHECK(kids[1].is("decorated_definition"));
  CHECK(kids[1].line() == 3);
  PyNode def = kids[1].field("definition");
  CHECK(def.is("function_definition"));
  CHECK(def.line() == 4);
  CHECK(def.end_line() == 5);
  CHECK(def.field("name").text() == "test_a");
  CHECK(def.field("nonexistent").is_null());
  CHECK(def.field("nonexistent").text().empty());
  CHECK(def.field("nonexistent").named_children().empty());
  auto names = kids[0].fields("name");
  REQUIRE(names.size() == 1);
  CHECK(names[0].text() == "os");
}

TEST_CASE("python syntax: field() finds what tree-sitter's lookup by name finds, for every field of the grammar") {
  auto t = PySyntaxTree::parse(
      "import a.b as c\nfrom x import (y as z)\n@d(1)\nclass K(B, metaclass=M):\n"
      "    def f(self, p: int = 2, *a, **k) -> str:\n        for i in range(3):\n"
      "            if i: x[i] = lambda q: q + 1\n            elif not i: pass\n"
      "            else: continue\n        while x: break\n        try: pass\n"
      "        except E as e: raise e from None\n        with open(p) as h: return h.read()\n"
      "match v:\n    case [1, *rest] if rest: print(f'{v!r:>3}')\n");
  REQUIRE(t.ok());
  const TSLanguage* lang = python_language();
  std::vector<std::string> names = {"", "nonexistent", "nam", "names"};
  for (TSFieldId id = 1; id <= ts_language_field_count(lang); ++id)
    if (const char* n = ts_language_field_name_for_id(lang, id)) names.emplace_back(n);
  int found = 0;
  t.walk(t.root(), [&](const PyNode& n) {
    for (const auto& name : names) {
      TSNode expect = ts_node_child_by_field_name(n.raw(), name.c_str(), std::uint32_t(name.size()));
      PyNode got = n.field(name.c_str());
      CAPTURE(name);
      CHECK(got.is_null() == ts_node_is_null(expect));
      if (!got.is_null() && !ts_node_is_null(expect)) {
        CHECK(ts_node_eq(got.raw(), expect));
        ++found;
      }
    }
    return true;
  });
  CHECK(found > 50);
}

TEST_CASE("python syntax: string literal values") {
  auto t = PySyntaxTree::parse("a = 'x,y'\nb = r\"\\d\"\nc = f\"{a}\"\nd = 'it\\'s'\n");
  REQUIRE(t.ok());
  std::vector<std::string> vals;
  t.walk(t.root(), [&](const PyNode& n) {
    std::string s;
    if (n.is("string")) {
      vals.push_back(string_literal_value(n, s) ? s : std::string("<no>"));
      return false;
    }
    return true;
  });
  REQUIRE(vals.size() == 4);
  CHECK(vals[0] == "x,y");
  CHECK(vals[1] == "\\d");
  CHECK(vals[2] == "<no>");
  CHECK(vals[3] == "it's");
}

TEST_CASE("python syntax: syntax errors are counted, the rest still parses") {
  auto t = PySyntaxTree::parse("def test_ok():\n    pass\n\ndef broken(:\n    pass\n\ndef test_b():\n    pass\n");
  REQUIRE(t.ok());
  CHECK(t.error_count() + t.missing_count() >= 1);
  CHECK(t.first_error_line() == 4);
  int defs = 0;
  t.walk(t.root(), [&](const PyNode& n) {
    if (n.is("function_definition")) ++defs;
    return true;
  });
  CHECK(defs >= 2);
}

TEST_CASE("python syntax: bracket depth ignores strings and comments") {
  CHECK(bracket_depth("f((1, [2]))") == 3);
  CHECK(bracket_depth("x = '((((('  # ((((\n") == 0);
  CHECK(bracket_depth("s = \"\"\"\n(((\n\"\"\"\n(a)") == 1);
  CHECK(bracket_depth("x = 'unterminated (((\ny = (1)") == 1);
}

TEST_CASE("python syntax: 10,000 nested parentheses are refused before tree-sitter") {
  std::string deep = "x = " + std::string(10000, '(') + "1" + std::string(10000, ')') + "\n";
  auto t = PySyntaxTree::parse(deep);
  CHECK(t.status() == PyParseStatus::too_deep);
  CHECK(t.root().is_null());
  CHECK(t.note().find("10000") != std::string::npos);
}

TEST_CASE("python syntax: tree-sitter itself survives deep nesting when asked to parse it") {
  // With the guard off: tree-sitter's parser and our iterative walk must not crash.
  std::string deep = "x = " + std::string(10000, '(') + "1" + std::string(10000, ')') + "\n";
  PyParseOptions o;
  o.max_nesting = 0;
  auto t = PySyntaxTree::parse(deep, o);
  REQUIRE(t.ok());
  int n = 0;
  t.walk(t.root(), [&](const PyNode&) { ++n; return true; });
  CHECK(n > 10000);
}

TEST_CASE("python syntax: a long left-recursive operator chain is walked without recursion") {
  std::string chain = "x = 1";
  for (int i = 0; i < 50000; ++i) chain += "+1";
  chain += "\n";
  auto t = PySyntaxTree::parse(chain);
  REQUIRE(t.ok());
  CHECK(t.error_count() == 0);
  int n = 0;
  t.walk(t.root(), [&](const PyNode& x) { n += x.is("binary_operator"); return true; });
  CHECK(n == 50000);
}

TEST_CASE("python syntax: moved trees keep their nodes valid") {
  auto a = PySyntaxTree::parse("def f():\n    return 1\n");
  PySyntaxTree b = std::move(a);
  REQUIRE(b.ok());
  CHECK(b.root().named_children().at(0).field("name").text() == "f");
}

// can_hold_statements() lists by hand the node types under which a statement can lie; here they
// are derived from the grammar's own node-types.json (fetched with the grammar): a type whose
// fields or children can be a statement, a block, or such a type again, through supertypes.
TEST_CASE("python syntax: the statement holders are the grammar's") {
  std::ifstream in(CC_PY_NODE_TYPES);
  REQUIRE_MESSAGE(in.good(), "no node-types.json at " CC_PY_NODE_TYPES);
  const auto types = nlohmann::json::parse(in);
  std::map<std::string, const nlohmann::json*> by;
  for (const auto& t : types) by[t["type"].get<std::string>()] = &t;
  std::function<void(const std::string&, std::set<std::string>&)> concrete = [&](const std::string& t,
                                                                                   std::set<std::string>& out) {
    auto it = by.find(t);
    if (it != by.end() && it->second->contains("subtypes")) {
      for (const auto& s : (*it->second)["subtypes"]) concrete(s["type"].get<std::string>(), out);
    } else {
      out.insert(t);
    }
  };
  std::map<std::string, std::set<std::string>> below;  // type -> concrete types of its children
  for (const auto& t : types) {
    auto& out = below[t["type"].get<std::string>()];
    std::vector<const nlohmann::json*> slots;
    if (t.contains("fields"))
      for (const auto& f : t["fields"].items()) slots.push_back(&f.value());
    if (t.contains("children")) slots.push_back(&t["children"]);
    for (const auto* s : slots)
      for (const auto& c : (*s)["types"]) concrete(c["type"].get<std::string>(), out);
  }
  std::set<std::string> statements;
  concrete("_compound_statement", statements);
  concrete("_simple_statement", statements);
  REQUIRE(statements.count("import_statement"));
  std::set<std::string> holders;
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [t, kids] : below) {
      if (holders.count(t)) continue;
      for (const auto& k : kids)
        if (statements.count(k) || holders.count(k)) {
          holders.insert(t);
          grew = true;
          break;
        }
    }
  }
  for (const auto& [t, kids] : below) {
    INFO("node type " << t);
    CHECK(can_hold_statements(t) == (holders.count(t) > 0));
  }
  CHECK(holders.count("block"));
  CHECK(holders.count("module"));
}

TEST_CASE("python syntax: a walk for statements skips expressions, not broken code") {
  auto t = PySyntaxTree::parse(
      "import os\nx = [i for i in range(3)]\nif x:\n    try:\n        import json\n    finally:\n"
      "        pass\nclass A:\n    @dec(arg)\n    def f(self):\n        import re\n");
  REQUIRE(t.ok());
  std::vector<std::string> imports;
  int visited = 0, all = 0;
  t.walk(t.root(), [&](const PyNode&) { return ++all > 0; });
  t.walk(t.root(), [&](const PyNode& n) {
    ++visited;
    if (n.is("import_statement")) imports.emplace_back(n.text());
    return may_hold_statements(n);
  });
  CHECK(imports == std::vector<std::string>{"import os", "import json", "import re"});
  CHECK(visited < all / 2);
  // Broken code: wherever recovery puts the imports, the skipping walk finds what a full walk
  // finds, and a subtree with an error in it is always walked.
  for (const char* src : {"x = [\nimport os\n]\n", "class A(:\n    import os\n", "try\n    import os\nexcept: pass\n",
                          "if x:\nimport os\n", "match x:\n    case :\n        import os\n", "def f(x\n    import os\n"}) {
    INFO("source: " << src);
    auto b = PySyntaxTree::parse(src);
    REQUIRE(b.ok());
    std::vector<std::uint32_t> full, skipping;
    b.walk(b.root(), [&](const PyNode& n) {
      if (n.is("import_statement")) full.push_back(n.start_byte());
      return true;
    });
    b.walk(b.root(), [&](const PyNode& n) {
      if (n.is("import_statement")) skipping.push_back(n.start_byte());
      if (ts_node_has_error(n.raw())) CHECK(may_hold_statements(n));
      return may_hold_statements(n);
    });
    CHECK(full == skipping);
  }
  auto list = PySyntaxTree::parse("x = [\nimport os\n]\n");
  const PyNode stmt = list.root().named_children().at(0);
  CHECK(stmt.is("expression_statement"));
  CHECK(may_hold_statements(stmt));  // an expression, but with an error below
}
