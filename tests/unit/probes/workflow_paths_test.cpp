#include <doctest/doctest.h>
#include <re2/re2.h>

#include <map>
#include <string>

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

namespace {

// The push trigger of one workflow whose push filter is `paths`, in a tree that also holds `tracked`.
Fact push_trigger(const std::string& paths, std::map<std::string, std::string> tracked) {
  tracked[".github/workflows/data.yml"] =
      "on:\n  push:\n    paths: " + paths +
      "\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: dvc pull\n";
  MemorySnapshot snap(tracked);
  FactStore out;
  GithubWorkflowsProbe().run(snap, out);
  auto v = out.of_kind("workflow.trigger");
  const Fact* found = nullptr;
  int n = 0;
  for (const Fact* t : v)
    if (t->attr("event") == "push") found = t, ++n;
  REQUIRE_MESSAGE(n == 1, "push triggers: " << n);
  return *found;
}

}  // namespace

TEST_CASE("a data trigger whose filter only matches code does not reach data") {
  Fact t = push_trigger("[data/**, src/pkg/data.py]", {{"src/pkg/data.py", "x = 1\n"}, {"README.md", ""}});
  CHECK(t.attr("reachable") == "yes");
  CHECK(t.attr("reaches_data") == "no");
  CHECK(t.attr("reaches_model") == "no");
}

TEST_CASE("DVC pointers and lock files are tracked data") {
  SUBCASE("data.dvc at the root") {
    Fact t = push_trigger("['**.dvc']", {{"data.dvc", "outs:\n- path: data\n"}});
    CHECK(t.attr("reachable") == "yes");
    CHECK(t.attr("reaches_data") == "yes");
  }
  SUBCASE("data/raw.dvc in a folder") {
    Fact t = push_trigger("['**.dvc']", {{"data/raw.dvc", "outs:\n- path: raw\n"}});
    CHECK(t.attr("reaches_data") == "yes");
  }
  SUBCASE("dvc.lock") {
    Fact t = push_trigger("['dvc.lock']", {{"dvc.lock", "schema: '2.0'\n"}});
    CHECK(t.attr("reaches_data") == "yes");
  }
  SUBCASE("a .dvc filter with no pointer tracked reaches nothing") {
    Fact t = push_trigger("['**.dvc']", {{"src/pkg/data.py", ""}});
    CHECK(t.attr("reachable") == "no");
    CHECK(t.attr("reaches_data") == "no");
    CHECK(t.attr("reaches_model") == "no");
  }
}

TEST_CASE("files in a data folder are data only when they are data, not notes") {
  CHECK(push_trigger("['data/**']", {{"data/raw/train.csv", "a,b\n"}}).attr("reaches_data") == "yes");
  Fact readme = push_trigger("['data/**']", {{"data/README.md", "# data\n"}, {"data/.gitkeep", ""}});
  CHECK(readme.attr("reachable") == "yes");
  CHECK(readme.attr("reaches_data") == "no");
}

TEST_CASE("a model trigger reaches models only through tracked weights or model pointers") {
  Fact weights = push_trigger("['models/**']", {{"models/model.pt", "bin"}});
  CHECK(weights.attr("reachable") == "yes");
  CHECK(weights.attr("reaches_model") == "yes");
  CHECK(weights.attr("reaches_data") == "no");
  Fact pointer = push_trigger("['models/**']", {{"models/classifier.dvc", "outs:\n- path: classifier\n"}});
  CHECK(pointer.attr("reaches_model") == "yes");
  Fact readme = push_trigger("['models/**']", {{"models/README.md", "# models\n"}});
  CHECK(readme.attr("reachable") == "yes");
  CHECK(readme.attr("reaches_model") == "no");
  CHECK(readme.attr("reaches_data") == "no");
}

TEST_CASE("a trigger without a paths filter gets no reach attributes") {
  MemorySnapshot snap({{"data.dvc", "outs:\n- path: data\n"},
                       {".github/workflows/ci.yml",
                        "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"}});
  FactStore out;
  GithubWorkflowsProbe().run(snap, out);
  auto v = out.of_kind("workflow.trigger");
  REQUIRE(v.size() == 1);
  CHECK(v[0]->attr("reachable").empty());
  CHECK(v[0]->attr("reaches_data").empty());
  CHECK(v[0]->attr("reaches_model").empty());
}
