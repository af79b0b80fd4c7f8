#include <doctest/doctest.h>

#include "tests/unit/probes/fact_query.h"

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/dependencies.h"

using namespace cc;
using cc::test::find_facts;
using cc::test::only_fact;

namespace {

FactStore deps_run(const std::map<std::string, std::string>& files) {
  MemorySnapshot snap(files);
  FactStore fs;
  DependenciesProbe().run(snap, fs);
  fs.sort();
  return fs;
}

std::vector<std::string> deps_problems(const FactStore& fs) {
  std::vector<std::string> out;
  for (const Fact* f : fs.of_kind(kInputProblem)) out.push_back(f->where.path + ": " + f->detail);
  return out;
}

const char* kPyproject = R"([build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "mlops_demo"
requires-python = ">=3.11"
dependencies = [
    "torch>=2.1",
    "Scikit_Learn==1.4",
    "PyYAML",
    "hydra-core[extra] ; python_version >= '3.10'",
]

[project.optional-dependencies]
api = ["fastapi", "uvicorn[standard]"]

[dependency-groups]
dev = ["pytest", {include-group = "lint"}]
lint = ["ruff"]

[project.scripts]
train = "mlops_demo.train:main"

[tool.ruff]
line-length = 120

[tool.pytest.ini_options]
testpaths = ["tests"]

[tool.coverage.run]
source = ["src"]
)";

}  // namespace

TEST_CASE("dependencies: PEP 503 names and PEP 508 requirements") {
  CHECK(normalize_dist_name("Scikit_Learn") == "scikit-learn");
  CHECK(normalize_dist_name("zope.interface") == "zope-interface");
  CHECK(normalize_dist_name("a__-.b") == "a-b");
  Requirement r = parse_requirement("uvicorn[standard]>=0.20 ; python_version>'3'");
  CHECK(r.name == "uvicorn");
  CHECK(r.spec == "[standard]>=0.20 ; python_version>'3'");
  CHECK(parse_requirement("torch @ https://x/torch.whl").name == "torch");
  CHECK(parse_requirement("git+https://github.com/a/b.git#egg=mylib").name == "mylib");
  CHECK(parse_requirement("./dist/pkg_a-1.0-py3-none-any.whl").name == "pkg_a");
  CHECK(parse_requirement(".").name.empty());
  CHECK(parse_requirement("numpy==1.26 --hash=sha256:abc").spec == "==1.26");
}

TEST_CASE("dependencies: pyproject.toml with project, optional, groups, scripts and tools") {
  FactStore fs = deps_run({{"pyproject.toml", kPyproject}});
  CHECK(deps_problems(fs).empty());
  const Fact& file = only_fact(fs, "deps.file");
  CHECK(file.attr("kind") == "pyproject");
  CHECK(file.attr("build_backend") == "hatchling.build");
  CHECK(file.attr("packages") == "8");
  const Fact& torch = only_fact(fs, "deps.declared", {{"name", "torch"}});
  CHECK(torch.attr("source") == "project");
  CHECK(torch.attr("spec") == ">=2.1");
  CHECK(torch.where.line == 9);
  CHECK(only_fact(fs, "deps.declared", {{"name", "scikit-learn"}}).attr("spec") == "==1.4");
  CHECK(only_fact(fs, "deps.declared", {{"name", "pyyaml"}}).attr("source") == "project");
  CHECK(only_fact(fs, "deps.declared", {{"name", "fastapi"}}).attr("source") == "optional:api");
  CHECK(only_fact(fs, "deps.declared", {{"name", "pytest"}}).attr("source") == "group:dev");
  CHECK(only_fact(fs, "deps.declared", {{"name", "ruff"}}).attr("source") == "group:lint");
  const Fact& script = only_fact(fs, "deps.script");
  CHECK(script.attr("name") == "train");
  CHECK(script.attr("target") == "mlops_demo.train:main");
  CHECK(script.where.line == 23);
  CHECK(only_fact(fs, "deps.python").attr("version") == ">=3.11");
  CHECK(find_facts(fs, "pyproject.tool").size() == 3);
  CHECK(only_fact(fs, "pyproject.tool", {{"tool", "coverage"}}).where.line == 31);
  only_fact(fs, "pyproject.tool", {{"tool", "pytest"}});
}

TEST_CASE("dependencies: poetry sections, .python-version, lock files, environment.yml") {
  FactStore fs = deps_run({
      {"pyproject.toml", R"([tool.poetry]
name = "x"
[tool.poetry.dependencies]
python = "^3.10"
numpy = "^1.26"
torch = {version = "2.2", source = "pytorch"}
[tool.poetry.group.dev.dependencies]
pytest = "*"
[tool.poetry.scripts]
serve = "x.api:run"
)"},
      {".python-version", "3.11.6\n"},
      {"poetry.lock", "[[package]]\nname = \"a\"\n\n[[package]]\nname = \"b\"\n"},
      {"uv.lock", "version = 1\n[[package]]\nname = \"a\"\n"},
      {"environment.yml", "name: mlops\nchannels: [pytorch]\ndependencies:\n  - python=3.11\n  - pytorch::pytorch=2.1\n  - pip\n  - pip:\n    - wandb>=0.16\n"},
  });
  CHECK(deps_problems(fs).empty());
  CHECK(only_fact(fs, "deps.declared", {{"name", "numpy"}}).attr("source") == "poetry");
  CHECK(only_fact(fs, "deps.declared", {{"name", "pytest"}}).attr("source") == "group:dev");
  CHECK(find_facts(fs, "deps.declared", {{"name", "torch"}}).size() == 1);
  CHECK(only_fact(fs, "deps.script").attr("target") == "x.api:run");
  CHECK(only_fact(fs, "deps.file", {{"kind", "poetry.lock"}}).attr("packages") == "2");
  CHECK(only_fact(fs, "deps.file", {{"kind", "uv.lock"}}).attr("packages") == "1");
  only_fact(fs, "deps.file", {{"kind", ".python-version"}});
  only_fact(fs, "deps.python", {{"version", "3.11.6"}});
  only_fact(fs, "deps.python", {{"version", "^3.10"}});
  only_fact(fs, "deps.python", {{"version", "=3.11"}});
  CHECK(only_fact(fs, "deps.declared", {{"name", "pytorch"}}).attr("source") == "conda:environment.yml");
  CHECK(only_fact(fs, "deps.declared", {{"name", "wandb"}}).where.line == 8);
}

TEST_CASE("dependencies: requirements with includes, cycles and escapes") {
  auto start = std::chrono::steady_clock::now();
  FactStore fs = deps_run({
      {"requirements.txt", "# main\n-r requirements/base.txt\nnumpy>=1.0  # pinned later\nrequests \\\n  ==2.31\n"
                           "-e git+https://github.com/a/lib.git#egg=mylib\n--index-url https://x\n-r ../../etc/passwd\n"
                           "-r /etc/passwd\n-r missing.txt\n"},
      {"requirements/base.txt", "-r ../requirements_dev.txt\ntorch\n"},
      {"requirements_dev.txt", "-r requirements.txt\npytest\n"},
  });
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("hostile dependency files: " << ms << " ms");  // printed, not asserted: no test asserts wall-clock time
  CHECK(only_fact(fs, "deps.declared", {{"name", "numpy"}}).where.line == 3);
  const Fact& req = only_fact(fs, "deps.declared", {{"name", "requests"}});
  CHECK(req.attr("spec") == "==2.31");
  CHECK(req.where.line == 4);
  CHECK(only_fact(fs, "deps.declared", {{"name", "mylib"}}).attr("source") == "requirements:requirements.txt");
  CHECK(only_fact(fs, "deps.declared", {{"name", "torch"}}).attr("source") == "requirements:requirements/base.txt");
  CHECK(only_fact(fs, "deps.declared", {{"name", "pytest"}}).attr("source") == "requirements:requirements_dev.txt");
  CHECK(find_facts(fs, "deps.file").size() == 3);
  auto probs = deps_problems(fs);
  int circular = 0, leaves = 0, missing = 0;
  for (const auto& p : probs) {
    if (p.find("circular include") != std::string::npos) ++circular;
    if (p.find("leaves the repository") != std::string::npos) ++leaves;
    if (p.find("missing.txt") != std::string::npos) ++missing;
    CHECK(p.find("root:") == std::string::npos);  // /etc/passwd never read
  }
  CHECK(circular == 1);
  CHECK(leaves == 2);
  CHECK(missing == 1);
}

TEST_CASE("dependencies: a pyproject.toml that does not parse is a problem with its line; the rest goes on") {
  FactStore fs = deps_run({{"pyproject.toml", "[project]\nname = \"x\"\ndependencies = [\"torch\"\nversion = 1\n"},
                           {"requirements.txt", "torch\n"}});
  auto probs = fs.of_kind(kInputProblem);
  REQUIRE(probs.size() == 1);
  CHECK(probs[0]->where.path == "pyproject.toml");
  CHECK(probs[0]->where.line >= 3);
  CHECK(only_fact(fs, "deps.file", {{"kind", "pyproject"}}).attr("parsed") == "no");
  only_fact(fs, "deps.declared", {{"name", "torch"}});
}

TEST_CASE("dependencies: setup.py, setup.cfg, Pipfile, pixi.toml") {
  FactStore fs = deps_run({
      {"setup.py", "from setuptools import setup\nsetup(name='x', python_requires='>=3.9',\n"
                   "      install_requires=['click>=8', 'rich'], extras_require={'dev': ['black']})\n"},
      {"setup.cfg", "[options]\ninstall_requires =\n    pandas\n    pyarrow>=14\npython_requires = >=3.10\n"
                    "[options.extras_require]\ntest = pytest-cov\n[flake8]\nmax-line-length = 100\n"},
      {"Pipfile", "[packages]\nflask = \"*\"\n[dev-packages]\nmypy = \"*\"\n[requires]\npython_version = \"3.11\"\n"},
      {"pixi.toml", "[dependencies]\npython = \"3.12.*\"\nnumpy = \">=1.26\"\n[pypi-dependencies]\ntimm = \"*\"\n"},
  });
  CHECK(deps_problems(fs).empty());
  CHECK(only_fact(fs, "deps.declared", {{"name", "click"}}).attr("source") == "setup.py");
  CHECK(only_fact(fs, "deps.declared", {{"name", "black"}}).attr("source") == "optional:dev");
  CHECK(only_fact(fs, "deps.declared", {{"name", "pyarrow"}}).where.line == 4);
  CHECK(only_fact(fs, "deps.declared", {{"name", "pytest-cov"}}).attr("source") == "optional:test");
  CHECK(only_fact(fs, "deps.declared", {{"name", "flask"}}).attr("source") == "pipfile");
  CHECK(only_fact(fs, "deps.declared", {{"name", "mypy"}}).attr("source") == "group:dev");
  CHECK(only_fact(fs, "deps.declared", {{"name", "timm"}}).attr("source") == "pixi");
  only_fact(fs, "deps.python", {{"version", ">=3.9"}});
  only_fact(fs, "deps.python", {{"version", ">=3.10"}});
  only_fact(fs, "deps.python", {{"version", "3.11"}});
  only_fact(fs, "deps.python", {{"version", "3.12.*"}});
  CHECK(find_facts(fs, "deps.file").size() == 4);
}

TEST_CASE("dependencies: the source's imports against the declared packages") {
  FactStore fs = deps_run({
      {"pyproject.toml", kPyproject},
      {"src/mlops_demo/__init__.py", ""},
      {"src/mlops_demo/model.py", "import torch\nimport numpy as np\nfrom sklearn.linear_model import LogisticRegression\n"
                                  "import os, sys\nfrom . import data\nfrom mlops_demo.data import load\n"},
      {"src/mlops_demo/data.py", "import yaml\nimport fancy_lib.sub\nfrom google.cloud import storage\n"
                                 "def f():\n    import PIL.Image\n    from typing import List\n"},
      {"src/mlops_demo/api.py", "from fastapi import FastAPI\nimport cv2\n"},
      {"tests/test_model.py", "import pytest\nimport hypothesis\n"},
      {"tasks.py", "from invoke import task\n"},
  });
  const Fact& ic = only_fact(fs, "deps.import_check");
  CHECK(ic.where.path == "pyproject.toml");
  CHECK(ic.attr("files") == "4");
  CHECK(ic.attr("imports") == "PIL,cv2,fancy_lib,fastapi,google,numpy,sklearn,torch,yaml");
  CHECK(ic.attr("imported") == "9");
  CHECK(ic.attr("missing") == "PIL,cv2,fancy_lib,google");
  CHECK(ic.attr("transitive") == "numpy");
  CHECK(ic.attr("declared_found") == "5");
  CHECK(ic.detail.find("fancy_lib (src/mlops_demo/data.py:2)") != std::string::npos);
}

TEST_CASE("dependencies: no dependency file at all still gives an import check") {
  FactStore fs = deps_run({{"app.py", "import streamlit as st\nimport json\nimport wandb\n"},
                           {"wandb/run-1/files/config.yaml", ""}});  // a committed run folder is not a module
  const Fact& ic = only_fact(fs, "deps.import_check");
  CHECK(ic.where.path == "");
  CHECK(ic.attr("missing") == "streamlit,wandb");
  CHECK(ic.attr("declared") == "0");
  CHECK(find_facts(fs, "deps.file").empty());
}

TEST_CASE("dependencies: the import check counts what is missing and the share declared") {
  SUBCASE("4 imported, 3 declared") {
    FactStore fs = deps_run({
        {"requirements.txt", "torch\nnumpy\npandas\n"},
        {"src/pkg/__init__.py", ""},
        {"src/pkg/m.py", "import torch\nimport numpy as np\nimport pandas as pd\nimport fancy_lib\nimport os\nfrom pkg import x\n"},
    });
    const Fact& ic = only_fact(fs, "deps.import_check");
    CHECK(ic.attr("imported") == "4");
    CHECK(ic.attr("declared_found") == "3");
    CHECK(ic.attr("missing") == "fancy_lib");
    CHECK(ic.attr("missing_count") == "1");
    CHECK(ic.attr("declared_share") == "75");
  }
  SUBCASE("2 of 3 declared rounds down") {
    FactStore fs = deps_run({
        {"requirements.txt", "torch\nnumpy\n"},
        {"src/pkg/m.py", "import torch\nimport numpy\nimport wandb\n"},
    });
    const Fact& ic = only_fact(fs, "deps.import_check");
    CHECK(ic.attr("missing_count") == "1");
    CHECK(ic.attr("declared_share") == "66");
  }
  SUBCASE("everything declared") {
    FactStore fs = deps_run({{"requirements.txt", "torch\n"}, {"src/pkg/m.py", "import torch\n"}});
    const Fact& ic = only_fact(fs, "deps.import_check");
    CHECK(ic.attr("missing_count") == "0");
    CHECK(ic.attr("declared_share") == "100");
  }
  SUBCASE("nothing third-party imported is fully declared") {
    FactStore fs = deps_run({{"requirements.txt", "torch\n"}, {"src/pkg/m.py", "import os\n"}});
    const Fact& ic = only_fact(fs, "deps.import_check");
    CHECK(ic.attr("imported") == "0");
    CHECK(ic.attr("missing_count") == "0");
    CHECK(ic.attr("declared_share") == "100");
  }
  SUBCASE("nothing declared at all") {
    FactStore fs = deps_run({{"src/pkg/m.py", "import torch\nimport wandb\n"}});
    const Fact& ic = only_fact(fs, "deps.import_check");
    CHECK(ic.attr("missing_count") == "2");
    CHECK(ic.attr("declared_share") == "0");
  }
}

TEST_CASE("dependencies: W&B's pip freeze in a committed run folder is not a declaration") {
  // wandb writes files/requirements.txt (the whole environment) into every local run folder.
  auto fs = deps_run({{"requirements.txt", "torch\n"},
                 {"wandb/run-20260123_125133-j9ly88z6/files/requirements.txt", "numpy==1.26.4\nscipy==1.12\n"},
                 {"wandb/offline-run-20260101_000000-abc/files/requirements.txt", "pandas==2.2\n"},
                 {"experiments/wandb/run-1/files/requirements.txt", "polars==1\n"},
                 {"docs/wandb/requirements.txt", "mkdocs\n"}});  // not a run folder: declared
  std::set<std::string> names;
  for (const Fact* f : find_facts(fs, "deps.declared")) names.insert(f->attr("name"));
  CHECK(names == std::set<std::string>{"torch", "mkdocs"});
}
