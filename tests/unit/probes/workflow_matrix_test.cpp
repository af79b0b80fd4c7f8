// Matrix expansion against the examples of GitHub's documentation ("Running variations of jobs
// in a workflow" / workflow syntax, jobs.<job_id>.strategy.matrix.include / exclude).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "probes/read/safe_yaml.h"
#include "probes/workflow_matrix.h"

using namespace cc;

namespace {

// Parse `strategy:\n  matrix: ...` text and expand its matrix.
MatrixExpansion expand(const std::string& yaml, std::size_t cap = kGithubMatrixCap) {
  static std::vector<YamlLoad> keep;  // the combos copy values, but keep roots alive anyway
  YamlLoad y = read_yaml(yaml);
  REQUIRE_MESSAGE(y.ok, y.error);
  keep.push_back(std::move(y));
  const YNode* m = keep.back().root.get("matrix");
  REQUIRE(m != nullptr);
  return expand_matrix(m, cap);
}

// "{k: v, ...}" in the combination's own key order, as GitHub's docs print them.
std::string show(const MatrixCombo& c) {
  std::string s = "{";
  for (size_t i = 0; i < c.values.size(); ++i)
    s += (i ? ", " : "") + c.values[i].first + ": " + c.values[i].second->value();
  return s + "}";
}

std::vector<std::string> shown(const MatrixExpansion& e) {
  std::vector<std::string> v;
  for (const auto& c : e.combos) v.push_back(show(c));
  return v;
}

}  // namespace

TEST_CASE("no matrix: one combination") {
  MatrixExpansion e = expand_matrix(nullptr);
  CHECK_FALSE(e.has_matrix);
  CHECK(e.combos.size() == 1);
  CHECK(e.total == 1);
}

TEST_CASE("docs: two rows give the product, first row slowest") {
  auto e = expand(R"(matrix:
  version: [10, 12, 14]
  os: [ubuntu-latest, windows-latest]
)");
  CHECK(shown(e) == std::vector<std::string>{
                        "{version: 10, os: ubuntu-latest}", "{version: 10, os: windows-latest}",
                        "{version: 12, os: ubuntu-latest}", "{version: 12, os: windows-latest}",
                        "{version: 14, os: ubuntu-latest}", "{version: 14, os: windows-latest}"});
  CHECK(e.total == 6);
  CHECK_FALSE(e.unresolved);
  CHECK_FALSE(e.capped);
}

TEST_CASE("docs: include expands and adds (fruit/animal example, six jobs)") {
  auto e = expand(R"(matrix:
  fruit: [apple, pear]
  animal: [cat, dog]
  include:
    - color: green
    - color: pink
      animal: cat
    - fruit: apple
      shape: circle
    - fruit: banana
    - fruit: banana
      animal: cat
)");
  // The docs' result, key order as the combinations are built.
  CHECK(shown(e) == std::vector<std::string>{
                        "{fruit: apple, animal: cat, color: pink, shape: circle}",
                        "{fruit: apple, animal: dog, color: green, shape: circle}",
                        "{fruit: pear, animal: cat, color: pink}",
                        "{fruit: pear, animal: dog, color: green}",
                        "{fruit: banana}",
                        "{fruit: banana, animal: cat}"});
  CHECK(e.total == 6);
  // Added combinations carry the line of their include entry, the others the matrix's (its
  // value starts at its first row, line 2).
  CHECK(e.combos[4].line == 10);
  CHECK(e.combos[0].line == 2);
}

TEST_CASE("docs: expanding configurations (npm: 6 only on windows/16)") {
  auto e = expand(R"(matrix:
  os: [windows-latest, ubuntu-latest]
  node: [14, 16]
  include:
    - os: windows-latest
      node: 16
      npm: 6
)");
  CHECK(shown(e) == std::vector<std::string>{
                        "{os: windows-latest, node: 14}", "{os: windows-latest, node: 16, npm: 6}",
                        "{os: ubuntu-latest, node: 14}", "{os: ubuntu-latest, node: 16}"});
}

TEST_CASE("docs: adding configurations (3 x 3 + windows/17 = 10 jobs)") {
  auto e = expand(R"(matrix:
  os: [macos-latest, windows-latest, ubuntu-latest]
  version: [12, 14, 16]
  include:
    - os: windows-latest
      version: 17
)");
  CHECK(e.total == 10);
  REQUIRE(e.combos.size() == 10);
  CHECK(show(e.combos.back()) == "{os: windows-latest, version: 17}");
}

TEST_CASE("docs: include without matrix variables runs every entry") {
  auto e = expand(R"(matrix:
  include:
    - site: "production"
      datacenter: "site-a"
    - site: "staging"
      datacenter: "site-b"
)");
  CHECK(shown(e) == std::vector<std::string>{"{site: production, datacenter: site-a}",
                                             "{site: staging, datacenter: site-b}"});
}

TEST_CASE("docs: exclude is a partial match (12 - 1 - 2 = 9 jobs)") {
  auto e = expand(R"(matrix:
  os: [macos-latest, windows-latest]
  version: [12, 14, 16]
  environment: [staging, production]
  exclude:
    - os: macos-latest
      version: 12
      environment: production
    - os: windows-latest
      version: 16
)");
  CHECK(e.total == 9);
  for (const auto& s : shown(e)) {
    CHECK(s != "{os: macos-latest, version: 12, environment: production}");
    CHECK(s.find("os: windows-latest, version: 16") == std::string::npos);
  }
  CHECK(e.notes.empty());
}

TEST_CASE("docs: include is processed after exclude and can add a combination back") {
  auto e = expand(R"(matrix:
  os: [ubuntu-latest, windows-latest]
  python-version: ["3.11", "3.12"]
  exclude:
    - os: windows-latest
  include:
    - os: windows-latest
      python-version: "3.12"
)");
  CHECK(shown(e) == std::vector<std::string>{"{os: ubuntu-latest, python-version: 3.11}",
                                             "{os: ubuntu-latest, python-version: 3.12}",
                                             "{os: windows-latest, python-version: 3.12}"});
}

TEST_CASE("docs: fail-fast example (versions 6,7,8 plus experimental 9)") {
  auto e = expand(R"(matrix:
  version: [6, 7, 8]
  experimental: [false]
  include:
    - version: 9
      experimental: true
)");
  CHECK(shown(e) == std::vector<std::string>{
                        "{version: 6, experimental: false}", "{version: 7, experimental: false}",
                        "{version: 8, experimental: false}", "{version: 9, experimental: true}"});
}

TEST_CASE("docs: continue-on-error example (node 15 added on ubuntu)") {
  auto e = expand(R"(matrix:
  node: [13, 14]
  os: [macos-latest, ubuntu-latest]
  experimental: [false]
  include:
    - node: 15
      os: ubuntu-latest
      experimental: true
)");
  CHECK(e.total == 5);
  CHECK(show(e.combos.back()) == "{node: 15, os: ubuntu-latest, experimental: true}");
}

TEST_CASE("include overwrites values added by an earlier include, never original ones") {
  auto e = expand(R"(matrix:
  os: [ubuntu-latest]
  include:
    - extra: a
    - extra: b
    - os: ubuntu-latest
      extra: c
)");
  CHECK(shown(e) == std::vector<std::string>{"{os: ubuntu-latest, extra: c}"});
}

TEST_CASE("include entries with only new keys extend every combination, the last one wins") {
  // Seen in an older course template: `os`/`path` are not matrix variables (the rows are
  // `operating-system`), so every entry fits every combination and overwrites the previous one.
  auto e = expand(R"(matrix:
  operating-system: [ubuntu-latest, windows-latest]
  include:
  - os: ubuntu-latest
    path: ~/.cache/pip
  - os: macos-latest
    path: ~/Library/Caches/pip
  - os: windows-latest
    path: ~\AppData\Local\pip\Cache
)");
  CHECK(shown(e) == std::vector<std::string>{
                        "{operating-system: ubuntu-latest, os: windows-latest, path: ~\\AppData\\Local\\pip\\Cache}",
                        "{operating-system: windows-latest, os: windows-latest, path: ~\\AppData\\Local\\pip\\Cache}"});
}

TEST_CASE("YAML numbers: unquoted 3.10 is 3.1, quoted stays") {
  auto e = expand(R"(matrix:
  python-version: [3.10, "3.10", 3.12, 3.9]
)");
  CHECK(shown(e) == std::vector<std::string>{"{python-version: 3.1}", "{python-version: 3.10}",
                                             "{python-version: 3.12}", "{python-version: 3.9}"});
}

TEST_CASE("objects as matrix values") {
  auto e = expand(R"(matrix:
  config:
    - {os: ubuntu-latest, py: "3.11"}
    - {os: windows-latest, py: "3.12"}
)");
  REQUIRE(e.combos.size() == 2);
  CHECK(substitute_matrix("${{ matrix.config.os }}", e.combos[1]) == "windows-latest");
  CHECK(e.combos[0].texts()[0].second == "{os:ubuntu-latest,py:3.11}");
}

TEST_CASE("substitution of ${{ matrix.x }}") {
  auto e = expand(R"(matrix:
  os: [ubuntu-latest]
  python-version: ["3.12"]
)");
  const MatrixCombo& c = e.combos[0];
  bool unres = false;
  CHECK(substitute_matrix("${{ matrix.os }}", c, true, &unres) == "ubuntu-latest");
  CHECK(substitute_matrix("py${{matrix.python-version}}-x", c, true, &unres) == "py3.12-x");
  CHECK(substitute_matrix("${{ matrix['python-version'] }}", c, true, &unres) == "3.12");
  CHECK_FALSE(unres);
  // A variable the combination lacks is empty on GitHub.
  CHECK(substitute_matrix("[${{ matrix.torch }}]", c, true, &unres) == "[]");
  CHECK_FALSE(unres);
  // Any other expression stays as written and is reported.
  CHECK(substitute_matrix("${{ inputs.os }}", c, true, &unres) == "${{ inputs.os }}");
  CHECK(unres);
  unres = false;
  CHECK(substitute_matrix("${{ matrix.os }}", c, false, &unres) == "${{ matrix.os }}");
  CHECK(unres);
  CHECK(substitute_matrix("no expression", c) == "no expression");
  CHECK(substitute_matrix("unterminated ${{ matrix.os", c) == "unterminated ${{ matrix.os");
}

TEST_CASE("non-literal matrices are one unresolved combination") {
  SUBCASE("fromJSON") {
    auto e = expand("matrix: ${{ fromJSON(needs.setup.outputs.matrix) }}\n");
    CHECK(e.has_matrix);
    CHECK(e.unresolved);
    CHECK(e.combos.size() == 1);
    CHECK(e.unresolved_detail.find("fromJSON") != std::string::npos);
  }
  SUBCASE("a row from the event payload (docs: contexts example)") {
    auto e = expand("matrix:\n  version: ${{ github.event.client_payload.versions }}\n");
    CHECK(e.unresolved);
    CHECK(e.combos.size() == 1);
  }
  SUBCASE("include as an expression") {
    auto e = expand("matrix:\n  os: [a]\n  include: ${{ fromJSON(inputs.extra) }}\n");
    CHECK(e.unresolved);
  }
  SUBCASE("not a mapping") {
    auto e = expand("matrix: [a, b]\n");
    CHECK(e.unresolved);
    CHECK_FALSE(e.notes.empty());
  }
}

TEST_CASE("cap: GitHub's 256 combinations") {
  std::string rows = "matrix:\n  a: [";
  for (int i = 0; i < 20; ++i) rows += (i ? "," : "") + std::to_string(i);
  rows += "]\n  b: [";
  for (int i = 0; i < 20; ++i) rows += (i ? "," : "") + std::to_string(i);
  rows += "]\n";
  auto e = expand(rows);
  CHECK(e.capped);
  CHECK(e.combos.size() == 256);
  REQUIRE_FALSE(e.notes.empty());
  CHECK(e.notes.back().second.find("256") != std::string::npos);
  SUBCASE("a smaller cap") {
    auto s = expand(rows, 10);
    CHECK(s.capped);
    CHECK(s.combos.size() == 10);
  }
  SUBCASE("exactly at the cap is fine") {
    auto s = expand("matrix:\n  a: [1, 2]\n  b: [1, 2]\n", 4);
    CHECK_FALSE(s.capped);
    CHECK(s.total == 4);
  }
}

TEST_CASE("a huge product stops quickly") {
  std::string m = "matrix:\n";
  for (int r = 0; r < 12; ++r) m += "  r" + std::to_string(r) + ": [0,1,2,3,4,5,6,7,8,9]\n";
  auto e = expand(m);  // 10^12 combinations
  CHECK(e.capped);
  CHECK(e.combos.size() == 256);
  // Excluding everything: the scan is bounded, not 10^12 steps.
  auto x = expand(m + "  exclude:\n    - r0: 0\n    - r0: 1\n    - r0: 2\n    - r0: 3\n    - r0: 4\n"
                      "    - r0: 5\n    - r0: 6\n    - r0: 7\n    - r0: 8\n    - r0: 9\n");
  CHECK(x.capped);
  CHECK(x.combos.empty());
}

TEST_CASE("odd matrices are noted") {
  auto e = expand("matrix:\n  os: []\n  include:\n    - os: ubuntu-latest\n");
  CHECK(shown(e) == std::vector<std::string>{"{os: ubuntu-latest}"});
  CHECK_FALSE(e.notes.empty());
  auto s = expand("matrix:\n  os: ubuntu-latest\n");
  CHECK(shown(s) == std::vector<std::string>{"{os: ubuntu-latest}"});
  CHECK_FALSE(s.notes.empty());
  auto x = expand("matrix:\n  os: [a, b]\n  exclude:\n    - oss: a\n");
  CHECK(x.total == 2);
  CHECK_FALSE(x.notes.empty());
}
