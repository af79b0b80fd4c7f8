#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/code_style.h"

using namespace cc;

namespace {

FactStore style_run(const std::map<std::string, std::string>& files) {
  MemorySnapshot snap(files);
  FactStore fs;
  CodeStyleProbe().run(snap, fs);
  fs.sort();
  return fs;
}

std::string style_tools_of(const FactStore& fs) {
  std::string out;
  for (const Fact* f : fs.of_kind("style.config")) out += (out.empty() ? "" : " ") + f->attr("tool") + "@" + f->attr("file");
  return out;
}

const char* kStockPrecommit = R"(# See https://pre-commit.com for more information
repos:
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v5.0.0
    hooks:
    -   id: trailing-whitespace
    -   id: end-of-file-fixer
    -   id: check-yaml
    -   id: check-added-large-files
)";

}  // namespace

TEST_CASE("code-style: configuration files of every kind") {
  FactStore fs = style_run({
      {"pyproject.toml", "[project]\nname='x'\n[tool.ruff]\nline-length = 120\n[tool.ruff.lint]\nselect=['E']\n"
                         "[tool.mypy]\nstrict = true\n[tool.pytest.ini_options]\n"},
      {".flake8", "[flake8]\nmax-line-length = 100\n"},
      {"setup.cfg", "[metadata]\nname = x\n[isort]\nprofile = black\n[mypy-numpy.*]\nignore_missing_imports = True\n"},
      {"tox.ini", "[tox]\nenvlist = py311\n[pylint.MESSAGES CONTROL]\ndisable = C0114\n"},
      {"ruff.toml", "line-length = 88\n"},
      {".pylintrc", "[MASTER]\n"},
      {"mypy.ini", "[mypy]\n"},
  });
  CHECK(fs.of_kind(kInputProblem).empty());
  CHECK(style_tools_of(fs) ==
        "flake8@.flake8 pylint@.pylintrc mypy@mypy.ini ruff@pyproject.toml mypy@pyproject.toml ruff@ruff.toml "
        "isort@setup.cfg pylint@tox.ini");
  for (const Fact* f : fs.of_kind("style.config"))
    if (f->attr("file") == "pyproject.toml" && f->attr("tool") == "ruff") {
      CHECK(f->where.line == 3);
      CHECK(f->attr("section") == "tool.ruff");
    }
}

TEST_CASE("code-style: a broken pyproject.toml is left to the dependencies probe; a broken ruff.toml is ours") {
  FactStore fs = style_run({{"pyproject.toml", "[tool.ruff\n"}, {"ruff.toml", "x = = 1\n"}});
  auto probs = fs.of_kind(kInputProblem);
  REQUIRE(probs.size() == 1);
  CHECK(probs[0]->where.path == "ruff.toml");
  CHECK(probs[0]->where.line == 1);
  CHECK(style_tools_of(fs) == "ruff@ruff.toml");
}

TEST_CASE("code-style: the stock pre-commit file and one with real hooks") {
  FactStore stock = style_run({{".pre-commit-config.yaml", kStockPrecommit}});
  const Fact* cfg = stock.of_kind("precommit.config").at(0);
  CHECK(cfg->attr("hooks") == "4");
  CHECK(cfg->attr("stock") == "yes");
  CHECK(cfg->attr("lint_hooks") == "");
  REQUIRE(stock.of_kind("precommit.hook").size() == 4);
  const Fact* first = stock.of_kind("precommit.hook").at(0);
  CHECK(first->attr("id") == "trailing-whitespace");
  CHECK(first->attr("repo") == "https://github.com/pre-commit/pre-commit-hooks");
  CHECK(first->where.line == 6);

  FactStore own = style_run({{".pre-commit-config.yaml",
                              std::string(kStockPrecommit) +
                                  "-   repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.6.0\n    hooks:\n"
                                  "    -   id: ruff\n        args: [--fix]\n    -   id: ruff-format\n"
                                  "-   repo: local\n    hooks:\n    -   id: mypy\n        name: mypy\n        entry: mypy\n"}});
  const Fact* c2 = own.of_kind("precommit.config").at(0);
  CHECK(c2->attr("hooks") == "7");
  CHECK(c2->attr("stock") == "no");
  CHECK(c2->attr("lint_hooks") == "ruff,ruff-format,mypy");
  bool found = false;
  for (const Fact* h : own.of_kind("precommit.hook"))
    if (h->attr("id") == "ruff-format") {
      found = true;
      CHECK(h->attr("class") == "format");
      CHECK(h->where.line == 15);
    }
  CHECK(found);
}

TEST_CASE("code-style: hostile pre-commit YAML is a problem and completes quickly") {
  std::string deep = "repos:\n  ";  // 10,000 levels: "- - - ... x"
  for (int i = 0; i < 10000; ++i) deep += "- ";
  deep += "x\n";
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    std::string p(1, char(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [*" + p + ",*" + p + ",*" + p + ",*" + p + ",*" + p + ",*" + p +
            ",*" + p + ",*" + p + ",*" + p + ",*" + p + "]\n";
  }
  auto start = std::chrono::steady_clock::now();
  FactStore fs = style_run({{".pre-commit-config.yaml", deep}, {"sub/.pre-commit-config.yml", bomb}});
  // Time is printed, not asserted (no test asserts wall-clock time): a hang fails by ctest's timeout.
  MESSAGE("hostile pre-commit files: " << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count() << " ms");
  CHECK(fs.of_kind(kInputProblem).size() == 2);
  CHECK(fs.of_kind("precommit.config").empty());
}

// ---- ruff's rule selection: `narrow` when it selects import sorting (I) only

namespace {

const Fact& ruff_fact(const FactStore& fs) {
  const Fact* found = nullptr;
  int n = 0;
  for (const Fact* f : fs.of_kind("style.config"))
    if (f->attr("tool") == "ruff") found = f, ++n;
  REQUIRE_MESSAGE(n == 1, "ruff style.config facts: " << n);
  return *found;
}

}  // namespace

TEST_CASE("code-style: ruff selecting import sorting only is narrow") {
  SUBCASE("pyproject [tool.ruff] select = [\"I\"]") {
    FactStore fs = style_run({{"pyproject.toml", "[project]\nname = 'x'\n[tool.ruff]\nselect = [\"I\"]\n"}});
    const Fact& r = ruff_fact(fs);
    CHECK(r.attr("select") == "I");
    CHECK(r.attr("narrow") == "yes");
    CHECK(r.detail.find("only import sorting (I)") != std::string::npos);
  }
  SUBCASE("pyproject [tool.ruff.lint] select = [\"I\"]") {
    FactStore fs = style_run({{"pyproject.toml", "[tool.ruff]\nline-length = 100\n[tool.ruff.lint]\nselect = [\"I\"]\n"}});
    CHECK(ruff_fact(fs).attr("narrow") == "yes");
  }
  SUBCASE("ruff.toml select = [\"I001\"]") {
    FactStore fs = style_run({{"ruff.toml", "line-length = 88\nselect = [\"I001\"]\n"}});
    const Fact& r = ruff_fact(fs);
    CHECK(r.attr("select") == "I001");
    CHECK(r.attr("narrow") == "yes");
  }
  SUBCASE("ruff.toml [lint] select = [\"I\"]") {
    FactStore fs = style_run({{".ruff.toml", "[lint]\nselect = [\"I\"]\n"}});
    CHECK(ruff_fact(fs).attr("narrow") == "yes");
  }
}

TEST_CASE("code-style: ruff selecting pycodestyle or pyflakes, or keeping the defaults, is not narrow") {
  SUBCASE("[tool.ruff.lint] select = [\"E\", \"F\", \"I\"]") {
    FactStore fs = style_run({{"pyproject.toml", "[tool.ruff]\nline-length = 100\n[tool.ruff.lint]\nselect = [\"E\", \"F\", \"I\"]\n"}});
    const Fact& r = ruff_fact(fs);
    CHECK(r.attr("select") == "E,F,I");
    CHECK(r.attr("narrow") == "no");
    CHECK(r.detail.find("import sorting") == std::string::npos);
  }
  SUBCASE("no select at all") {
    FactStore fs = style_run({{"pyproject.toml", "[tool.ruff]\nline-length = 120\n"}});
    const Fact& r = ruff_fact(fs);
    CHECK(r.attr("select").empty());
    CHECK(r.attr("narrow") == "no");
  }
  SUBCASE("extend-select = [\"I\"] adds to the defaults") {
    FactStore fs = style_run({{"pyproject.toml", "[tool.ruff.lint]\nextend-select = [\"I\"]\n"}});
    const Fact& r = ruff_fact(fs);
    CHECK(r.attr("select") == "I");
    CHECK(r.attr("narrow") == "no");
  }
  SUBCASE("select I at the top, E under lint") {
    FactStore fs = style_run({{"pyproject.toml", "[tool.ruff]\nselect = [\"I\"]\n[tool.ruff.lint]\nselect = [\"E\"]\n"}});
    CHECK(ruff_fact(fs).attr("narrow") == "no");
  }
  SUBCASE("an empty ruff.toml") {
    FactStore fs = style_run({{"ruff.toml", ""}});
    CHECK(ruff_fact(fs).attr("narrow") == "no");
  }
}

TEST_CASE("code-style: other tools carry no ruff selection") {
  FactStore fs = style_run({{"pyproject.toml", "[tool.mypy]\nstrict = true\n[tool.black]\nline-length = 100\n"}});
  for (const Fact* f : fs.of_kind("style.config")) {
    CHECK(f->attr("narrow").empty());
    CHECK(f->attr("select").empty());
  }
  CHECK(fs.of_kind("style.config").size() == 2);
}
