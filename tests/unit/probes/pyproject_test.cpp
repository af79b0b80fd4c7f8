#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "engine/memory_snapshot.h"
#include "probes/read/toml.h"

using namespace cc;

TEST_CASE("pyproject: TOML is copied into a YNode tree with lines and types") {
  TomlLoad t = load_toml(R"([project]
name = "demo"
version = "0.1.0"
dependencies = [
  "torch>=2.0",
  "hydra-core",
]
requires-python = ">=3.11"

[tool.ruff]
line-length = 120
fix = true
ratio = 0.5
)");
  REQUIRE(t.ok);
  REQUIRE(t.root.is_map());
  const YNode* deps = toml_at(t.root, "project.dependencies");
  REQUIRE(deps);
  REQUIRE(deps->is_seq());
  CHECK(deps->items.size() == 2);
  CHECK(deps->items[0].text == "torch>=2.0");
  CHECK(deps->items[0].line == 5);
  CHECK_FALSE(deps->items[0].plain);
  const YNode* ll = toml_at(t.root, "tool.ruff.line-length");
  REQUIRE(ll);
  CHECK(ll->plain);
  CHECK(ll->text == "120");
  CHECK(toml_at(t.root, "tool.ruff.fix")->text == "true");
  CHECK(toml_at(t.root, "tool.ruff.ratio")->text == "0.5");
  // Key nodes carry the key's line.
  const YNode* tool = t.root.get("tool");
  REQUIRE(tool);
  CHECK(tool->entries.at(0).first.text == "ruff");
  CHECK(toml_strings(deps) == std::vector<std::string>{"torch>=2.0", "hydra-core"});
  CHECK(toml_at(t.root, "project.missing") == nullptr);
}

TEST_CASE("pyproject: a TOML file that does not parse gives a line and never throws") {
  TomlLoad t = load_toml("[project]\nname = \"x\"\ndependencies = [\"a\",\n  oops\n]\n");
  CHECK_FALSE(t.ok);
  CHECK(t.error_line >= 3);
  CHECK(t.error.find("TOML syntax error") == 0);
  TomlLoad dup = load_toml("[a]\nx = 1\n[a]\ny = 2\n");
  CHECK_FALSE(dup.ok);
  CHECK(dup.error_line == 3);
  TomlLoad empty = load_toml("");
  CHECK(empty.ok);
  CHECK(empty.root.is_map());
}

TEST_CASE("pyproject: hostile TOML is refused quickly") {
  auto start = std::chrono::steady_clock::now();
  std::string header = "[a";
  for (int i = 0; i < 1'000'000; ++i) header += ".a";
  header += "]\nx = 1\n";
  TomlLoad t = load_toml(header);
  CHECK_FALSE(t.ok);
  CHECK(t.error.find("dotted parts") != std::string::npos);
  std::string arrays = "x = " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  TomlLoad a = load_toml(arrays);
  CHECK_FALSE(a.ok);
  std::string tables = "x = ";
  for (int i = 0; i < 5000; ++i) tables += "{a = ";
  tables += "1" + std::string(5000, '}') + "\n";
  CHECK_FALSE(load_toml(tables).ok);
  // A 5 MiB string value is fine and linear.
  TomlLoad big = load_toml("x = \"" + std::string(5 << 20, 'a') + "\"\n");
  CHECK(big.ok);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("hostile TOML: " << ms << " ms");  // printed, not asserted: no test asserts wall-clock time
}

TEST_CASE("pyproject: key depth scan skips strings and comments") {
  CHECK(toml_key_depth("a.b.c = 1\n").first == 3);
  CHECK(toml_key_depth("x = \"a.b.c.d.e.f\"  # g.h.i.j.k\n").first <= 2);
  CHECK(toml_key_depth("s = '''\n[a.b.c.d.e.f.g]\n'''\n").first <= 2);
}

TEST_CASE("pyproject: read_toml reports missing, unreadable and broken files") {
  MemorySnapshot snap({{"pyproject.toml", "[project\nname='x'\n"}, {"ok.toml", "a = 1\n"}});
  TomlFile none = read_toml(snap, "absent.toml");
  CHECK_FALSE(none.present);
  TomlFile bad = read_pyproject(snap);
  CHECK(bad.present);
  CHECK_FALSE(bad.ok);
  CHECK(bad.error_line == 1);
  FactStore fs;
  report_toml_problem(bad, fs, "dependencies");
  REQUIRE(fs.all().size() == 1);
  CHECK(fs.all()[0].kind == kInputProblem);
  CHECK(fs.all()[0].where.path == "pyproject.toml");
  TomlFile good = read_toml(snap, "ok.toml");
  CHECK(good.ok);
}
