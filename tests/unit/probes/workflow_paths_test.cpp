#include <doctest/doctest.h>
#include <re2/re2.h>

#include "engine/memory_snapshot.h"
#include "probes/github_workflows.h"
#include "probes/workflow_paths.h"

using namespace cc;

namespace {
bool filter_matches(const std::string& pattern, const std::string& path) {
  return RE2::FullMatch(path, RE2(github_path_filter_regex(pattern)));
}
}  // namespace

TEST_CASE("GitHub path filter globs") {
  CHECK(filter_matches("data/**", "data/raw/x.csv"));
  CHECK_FALSE(filter_matches("data/**", "src/data.py"));
  CHECK(filter_matches("**.dvc", "data.dvc"));
  CHECK(filter_matches("**.dvc", "data/raw.dvc"));
  CHECK(filter_matches("*.dvc", "data.dvc"));
  CHECK_FALSE(filter_matches("*.dvc", "data/raw.dvc"));
  CHECK(filter_matches("**/dvc.lock", "dvc.lock"));
  CHECK(filter_matches("**/dvc.lock", "pipelines/dvc.lock"));
  CHECK(filter_matches("src/?.py", "src/a.py"));
  CHECK(filter_matches("docs/[ab].md", "docs/a.md"));
  CHECK(filter_matches("a+b/(x).txt", "a+b/(x).txt"));
}

TEST_CASE("a data trigger on a git-ignored folder can never fire") {
  MemorySnapshot snap({
      {".gitignore", "/data/\nmodels/\n"},
      {"data.dvc", "outs:\n- path: data\n"},
      {".github/workflows/data.yml",
       "on:\n  push:\n    paths: ['data/**']\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: dvc pull\n"},
      {".github/workflows/dvc.yml",
       "on:\n  push:\n    paths: ['**.dvc']\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: dvc pull\n"},
  });
  FactStore out;
  GithubWorkflowsProbe().run(snap, out);
  auto unmatched = out.of_kind("workflow.trigger_paths_unmatched");
  REQUIRE(unmatched.size() == 1);
  CHECK(unmatched[0]->attr("workflow") == ".github/workflows/data.yml");
  CHECK(unmatched[0]->attr("ignored") == "/data/");
  CHECK(unmatched[0]->where.line == 2);
  CHECK(unmatched[0]->detail.find("can never fire") != std::string::npos);
  int reachable = 0, unreachable = 0;
  for (const Fact* t : out.of_kind("workflow.trigger")) {
    reachable += t->attr("reachable") == "yes";
    unreachable += t->attr("reachable") == "no";
  }
  CHECK(reachable == 1);
  CHECK(unreachable == 1);
}
