// Resource caps are said, never silent (issue 11): each cap a hostile input can reach leaves a
// problem or a note that names it.
#include <doctest/doctest.h>

#include <string>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/github_workflows.h"
#include "probes/read/python_syntax.h"
#include "probes/read/safe_yaml.h"
#include "probes/workflow_matrix.h"
#include "tests/unit/probes/fact_query.h"

using namespace cc;

TEST_CASE("caps: a matrix over GitHub's 256 combinations says so in its fact") {
  std::string list = "[";
  for (int i = 0; i < 17; ++i) list += (i ? ", " : "") + std::to_string(i);
  list += "]";
  MemorySnapshot snap({{".github/workflows/ci.yml",
                        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n"
                        "        a: " + list + "\n        b: " + list + "\n    steps:\n      - run: pytest\n"}});
  FactStore fs;
  GithubWorkflowsProbe().run(snap, fs);
  const Fact& m = cc::test::only_fact(fs, "workflow.matrix");
  CHECK(m.attr("capped") == "yes");
  CHECK(m.attr("combos") == "256");  // a lower bound once capped
  CHECK(m.detail.find("more than 256 combinations") != std::string::npos);
}

TEST_CASE("caps: YAML alias expansion and depth name their limits") {
  YamlLimits small;
  small.max_nodes = 50;
  YamlLoad bomb = read_yaml("a: &a [x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a, *a, *a, *a, *a]\n", small);
  CHECK_FALSE(bomb.ok);
  CHECK(bomb.error.find("more than 50 nodes") != std::string::npos);
  YamlLoad deep = read_yaml(std::string(300, '[') + std::string(300, ']'));
  CHECK_FALSE(deep.ok);
  CHECK(deep.error.find("deeper than 200") != std::string::npos);
}

TEST_CASE("caps: tree-sitter's parse time and nesting caps are named in the note") {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "def f" + std::to_string(i) + "(x):\n    return [x, (x + 1), {x: x}]\n";
  py::PyParseOptions quick;
  quick.timeout_micros = 1;  // 1 us: tree-sitter checks its clock every few operations
  py::PySyntaxTree t = py::PySyntaxTree::parse(big, quick);
  REQUIRE(t.status() == py::PyParseStatus::timed_out);
  CHECK(t.note().find("time cap of 1 us") != std::string::npos);
  // The thread's parser is reused: the next file is parsed whole, not resumed from the stopped one,
  // and the cap of the last parse does not stay on it.
  std::string other;
  for (int i = 0; i < 3000; ++i) other += "class C" + std::to_string(i) + ":\n    x = 1\n";
  py::PySyntaxTree next = py::PySyntaxTree::parse(other);
  REQUIRE(next.ok());
  CHECK(next.error_count() == 0);
  const auto kids = next.root().named_children();
  REQUIRE(kids.size() == 3000);
  CHECK(kids.front().is("class_definition"));
  CHECK(kids.front().line() == 1);

  py::PySyntaxTree d = py::PySyntaxTree::parse("x = " + std::string(600, '(') + std::string(600, ')') + "\n");
  REQUIRE(d.status() == py::PyParseStatus::too_deep);
  CHECK(d.note().find("limit 500") != std::string::npos);
}
