#include <doctest/doctest.h>

#include <map>
#include <string>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/layout.h"

using namespace cc;

namespace {

const Fact& summary(const FactStore& fs) {
  auto v = fs.of_kind("layout.summary");
  REQUIRE(v.size() == 1);
  return *v[0];
}

}  // namespace

TEST_CASE("layout: the cookiecutter tree scores high, flags set") {
  MemorySnapshot snap({
      {"src/mlops/__init__.py", ""}, {"src/mlops/data.py", ""}, {"src/mlops/model.py", ""},
      {"src/mlops/train.py", ""}, {"src/mlops/evaluate.py", ""}, {"src/mlops/api.py", ""},
      {"src/mlops/visualize.py", ""}, {"tests/__init__.py", ""}, {"tests/test_data.py", ""},
      {"tests/test_model.py", ""}, {"configs/config.yaml", "a: 1"},
      {"dockerfiles/train.dockerfile", ""}, {"reports/README.md", ""},
      {"reports/figures/.gitkeep", ""}, {"models/.gitkeep", ""}, {"notebooks/.gitkeep", ""},
      {"docs/mkdocs.yaml", ""}, {"tasks.py", ""}, {"pyproject.toml", ""},
      {"requirements.txt", ""}, {".pre-commit-config.yaml", ""},
      {".github/workflows/tests.yaml", ""}, {"README.md", ""}, {".gitignore", ""}, {"LICENSE", ""},
      {"node_modules/x/src/y/__init__.py", ""},
  });
  FactStore fs;
  LayoutProbe().run(snap, fs);
  const Fact& f = summary(fs);
  CHECK(f.attr("has_src_package") == "yes");
  CHECK(f.attr("src_package") == "mlops");
  CHECK(f.attr("package_dir") == "src/mlops");
  for (const char* k : {"has_tests", "has_configs", "has_dockerfiles", "has_reports", "has_models",
                        "has_notebooks", "has_tasks_py", "has_data_module", "has_model_module",
                        "has_train_module"})
    CHECK_MESSAGE(f.attr(k) == "yes", k);
  CHECK(f.attr("score") == "100");
  CHECK(f.attr("missing") == "");
}

TEST_CASE("layout: a flat repository scores low and says what is missing") {
  MemorySnapshot snap({
      {"main.py", ""}, {"utils.py", ""}, {"README.md", ""}, {"configs/.gitkeep", ""},
      {"Dockerfile", ""}, {"analysis.ipynb", ""},
  });
  FactStore fs;
  LayoutProbe().run(snap, fs);
  const Fact& f = summary(fs);
  CHECK(f.attr("has_src_package") == "no");
  CHECK(f.attr("src_package") == "");
  CHECK(f.attr("has_configs") == "no");  // only a placeholder
  CHECK(f.attr("has_dockerfiles") == "yes");
  CHECK(f.attr("has_notebooks") == "yes");
  CHECK(f.attr("has_tests") == "no");
  CHECK(std::stoi(f.attr("score")) < 30);
  CHECK(f.attr("missing").find("tasks.py") != std::string::npos);
}

TEST_CASE("layout: top-level package and helpers") {
  MemorySnapshot snap({{"proj/__init__.py", ""}, {"proj/models/net.py", ""},
                       {"proj/data/make_dataset.py", ""}, {"tests/test_x.py", ""}});
  CHECK(find_package_dir(snap) == "proj");
  FactStore fs;
  LayoutProbe().run(snap, fs);
  const Fact& f = summary(fs);
  CHECK(f.attr("has_src_package") == "no");
  CHECK(f.attr("src_package") == "proj");
  CHECK(f.attr("has_model_module") == "yes");
  CHECK(f.attr("has_data_module") == "yes");
  CHECK(f.attr("has_train_module") == "no");

  CHECK(path_glob("src/*/data.py", "src/p/data.py"));
  CHECK(!path_glob("src/*/data.py", "src/p/q/data.py"));
  CHECK(path_glob("**/Dockerfile", "Dockerfile"));
  CHECK(path_glob("**/Dockerfile", "a/b/Dockerfile"));
  CHECK(path_glob("tests/**/*.py", "tests/test_a.py"));
  CHECK(path_glob("requirements*.txt", "requirements_dev.txt"));
  CHECK(!path_glob("**/*.dockerfile", "a/b"));
}
