#include <doctest/doctest.h>

#include "engine/memory_snapshot.h"
#include "probes/pytest_config.h"

using namespace cc;
using V = std::vector<std::string>;

static MemorySnapshot mk(std::map<std::string, std::string> m) { return MemorySnapshot(std::move(m)); }

TEST_CASE("pytest config: none gives pytest's defaults") {
  MemorySnapshot s = mk({{"src/a.py", ""}, {"pyproject.toml", "[project]\nname = 'x'\n"}});
  auto c = find_pytest_config(s);
  CHECK(c.file.empty());
  CHECK(c.testpaths.empty());
  CHECK(c.python_files == V{"test_*.py", "*_test.py"});
  CHECK(c.python_classes == V{"Test"});
  CHECK(c.python_functions == V{"test"});
  CHECK(c.problems.empty());
}

TEST_CASE("pytest config: pytest.ini, continuation lines, key: value") {
  MemorySnapshot s = mk({{"pytest.ini",
                     "# comment\n[pytest]\ntestpaths =\n    tests\n    integration  # the slow ones\n"
                     "python_files: check_*.py\naddopts = -q --cov=src \"-k not slow\"\n"}});
  auto c = find_pytest_config(s);
  CHECK(c.file == "pytest.ini");
  CHECK(c.section == "pytest");
  CHECK(c.line == 2);
  CHECK(c.testpaths == V{"tests", "integration"});
  CHECK(c.python_files == V{"check_*.py"});
  CHECK(c.python_functions == V{"test"});
  CHECK(c.addopts == V{"-q", "--cov=src", "-k not slow"});
}

TEST_CASE("pytest config: pytest.ini wins even without a [pytest] section") {
  MemorySnapshot s = mk({{"pytest.ini", "[other]\ntestpaths = nope\n"},
                    {"pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = ['tests']\n"}});
  auto c = find_pytest_config(s);
  CHECK(c.file == "pytest.ini");
  CHECK(c.testpaths.empty());
  CHECK(c.line == 0);
}

TEST_CASE("pytest config: pyproject.toml, multi-line arrays, comments, strings") {
  MemorySnapshot s = mk({{"pyproject.toml",
                     "[project]\nname = \"g\"\ndependencies = [\n  \"torch\", # [not a table]\n"
                     "  \"[weird]\",\n]\n\n[ tool.pytest.ini_options ]  # pytest\n"
                     "testpaths = [\n    \"tests/unit\",  # unit\n    'tests/integration',\n]\n"
                     "python_functions = \"test_* check_*\"\npythonpath = [\"src\"]\n"
                     "addopts = \"\"\"\n--cov=src\n-q\"\"\"\n\n[tool.ruff]\nline-length = 120\n"
                     "testpaths = ['wrong']\n"},
                    {"tox.ini", "[pytest]\ntestpaths = tox\n"}});
  auto c = find_pytest_config(s);
  CHECK(c.file == "pyproject.toml");
  CHECK(c.section == "tool.pytest.ini_options");
  CHECK(c.line == 8);
  CHECK(c.testpaths == V{"tests/unit", "tests/integration"});
  CHECK(c.python_functions == V{"test_*", "check_*"});
  CHECK(c.pythonpath == V{"src"});
  CHECK(c.addopts == V{"--cov=src", "-q"});
  CHECK(c.problems.empty());
}

TEST_CASE("pytest config: pyproject without the table falls through to tox.ini, then setup.cfg") {
  MemorySnapshot s = mk({{"pyproject.toml", "[tool.ruff]\nx = 1\n"},
                    {"tox.ini", "[tox]\nenvlist = py311\n[pytest]\npython_classes = Check\n"},
                    {"setup.cfg", "[tool:pytest]\ntestpaths = cfg\n"}});
  auto c = find_pytest_config(s);
  CHECK(c.file == "tox.ini");
  CHECK(c.line == 3);
  CHECK(c.python_classes == V{"Check"});

  MemorySnapshot s2 = mk({{"tox.ini", "[tox]\nenvlist = py311\n"},
                     {"setup.cfg", "[metadata]\nname = x\n[tool:pytest]\ntestpaths = cfg tests\n"}});
  auto c2 = find_pytest_config(s2);
  CHECK(c2.file == "setup.cfg");
  CHECK(c2.section == "tool:pytest");
  CHECK(c2.line == 3);
  CHECK(c2.testpaths == V{"cfg", "tests"});
}

TEST_CASE("pytest config: pytest >= 9 native [tool.pytest] table") {
  MemorySnapshot s = mk({{"pyproject.toml", "[tool.pytest]\ntestpaths = [\"t\"]\n"}});
  auto c = find_pytest_config(s);
  CHECK(c.file == "pyproject.toml");
  CHECK(c.section == "tool.pytest");
  CHECK(c.testpaths == V{"t"});
}

TEST_CASE("pytest config: pyproject.toml inline tables and dotted keys (a real TOML reader)") {
  SUBCASE("inline table under [tool]") {
    MemorySnapshot s = mk({{"pyproject.toml",
                            "[project]\nname = \"g\"\n[tool]\npytest = {ini_options = {testpaths = [\"it\"], "
                            "python_files = \"check_*.py\"}}\n"}});
    auto c = find_pytest_config(s);
    CHECK(c.file == "pyproject.toml");
    CHECK(c.section == "tool.pytest.ini_options");
    CHECK(c.line == 4);
    CHECK(c.testpaths == V{"it"});
    CHECK(c.python_files == V{"check_*.py"});
    CHECK(c.problems.empty());
  }
  SUBCASE("dotted keys at the top level and inside [tool.pytest]") {
    MemorySnapshot s = mk({{"pyproject.toml", "tool.pytest.ini_options.testpaths = [\"d\"]\n"}});
    auto c = find_pytest_config(s);
    CHECK(c.section == "tool.pytest.ini_options");
    CHECK(c.testpaths == V{"d"});
    MemorySnapshot s2 = mk({{"pyproject.toml", "[tool.pytest]\nini_options.pythonpath = \"src\"\n"}});
    auto c2 = find_pytest_config(s2);
    CHECK(c2.section == "tool.pytest.ini_options");
    CHECK(c2.pythonpath == V{"src"});
  }
  SUBCASE("keys in the order written") {
    MemorySnapshot s = mk({{"pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = [\"t\"]\naddopts = \"-q\"\n"}});
    auto c = find_pytest_config(s);
    CHECK(c.keys_set == V{"testpaths", "addopts"});
    CHECK(c.addopts == V{"-q"});
  }
  SUBCASE("a broken pyproject.toml without a pytest table falls through, silently") {
    MemorySnapshot s = mk({{"pyproject.toml", "[project\nname = \"g\"\n"},
                           {"tox.ini", "[pytest]\ntestpaths = tox\n"}});
    auto c = find_pytest_config(s);
    CHECK(c.file == "tox.ini");
    CHECK(c.testpaths == V{"tox"});
    CHECK(c.problems.empty());
  }
  SUBCASE("a broken pyproject.toml with a pytest table: defaults, the syntax error as a problem") {
    MemorySnapshot s = mk({{"pyproject.toml", "[project]\nname = \"g\n[tool.pytest.ini_options]\ntestpaths = [\"t\"]\n"},
                           {"tox.ini", "[pytest]\ntestpaths = tox\n"}});
    auto c = find_pytest_config(s);
    CHECK(c.file == "pyproject.toml");
    CHECK(c.line == 3);
    CHECK(c.testpaths.empty());
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].line == 2);
  }
}

TEST_CASE("pytest config: malformed input is reported, never fatal") {
  SUBCASE("unterminated array keeps the default") {
    MemorySnapshot s = mk({{"pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = [\"tests\",\n"}});
    auto c = find_pytest_config(s);
    CHECK(c.file == "pyproject.toml");
    CHECK(c.testpaths.empty());
    CHECK(!c.problems.empty());
  }
  SUBCASE("nested array and inline table are not lists of strings") {
    MemorySnapshot s = mk({{"pyproject.toml",
                       "[tool.pytest.ini_options]\ntestpaths = [[\"a\"]]\npython_files = {a = 1}\n"
                       "python_classes = [\"Check\"]\n"}});
    auto c = find_pytest_config(s);
    CHECK(c.testpaths.empty());
    CHECK(c.python_files == V{"test_*.py", "*_test.py"});
    CHECK(c.python_classes == V{"Check"});
    CHECK(c.problems.size() == 2);
  }
  SUBCASE("garbage lines in ini") {
    MemorySnapshot s = mk({{"pytest.ini", "[pytest\ngarbage line\n[pytest]\nnonsense\ntestpaths = t\n"}});
    auto c = find_pytest_config(s);
    CHECK(c.testpaths == V{"t"});
    CHECK(c.problems.size() >= 2);
  }
  SUBCASE("binary config file is skipped with a problem") {
    MemorySnapshot s = mk({{"pytest.ini", std::string("\0\1\2", 3)},
                      {"setup.cfg", "[tool:pytest]\ntestpaths = x\n"}});
    auto c = find_pytest_config(s);
    CHECK(c.file == "setup.cfg");
    REQUIRE(!c.problems.empty());
    CHECK(c.problems[0].path == "pytest.ini");
  }
  SUBCASE("duplicate keys keep the first") {
    MemorySnapshot s = mk({{"tox.ini", "[pytest]\ntestpaths = a\ntestpaths = b\n"}});
    auto c = find_pytest_config(s);
    CHECK(c.testpaths == V{"a"});
    CHECK(c.problems.size() == 1);
  }
}

TEST_CASE("pytest config: shell_split") {
  CHECK(shell_split("a  b\n c") == V{"a", "b", "c"});
  CHECK(shell_split("'a b' \"c d\" e\\ f") == V{"a b", "c d", "e f"});
  CHECK(shell_split("'unterminated") == V{"unterminated"});
  CHECK(shell_split("").empty());
}
