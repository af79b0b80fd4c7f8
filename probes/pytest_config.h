// pytest's configuration as pytest finds it, read statically.
//
// Assumption: rootdir = the repository root (pytest run from there without arguments, which is
// what CI workflows and `uv run pytest` do). Like pytest's inifile search in the rootdir, the first
// of these that matches wins:
//   1. pytest.ini   (always, even without a [pytest] section or when empty)
//   2. .pytest.ini  (same)
//   3. pyproject.toml with a [tool.pytest.ini_options] (or, pytest >= 9, [tool.pytest]) table
//   4. tox.ini      with a [pytest] section
//   5. setup.cfg    with a [tool:pytest] section
// Keys read: testpaths, python_files, python_classes, python_functions, pythonpath, addopts
// (strings split on whitespace with shell-like quoting, as pytest's "args" ini type does; TOML
// arrays taken as given). Values a simple reader cannot understand are reported as problems and
// the default is kept. pyproject.toml is read with the TOML reader (pyproject.h): the table may be
// written as a header, with dotted keys or as inline tables (`[tool]` `pytest = {ini_options =
// {...}}`); pytest >= 9's native [tool.pytest] table is read when there is no ini_options one. A
// pyproject.toml that is not valid TOML (pytest would stop) applies when a line holds one of those
// headers: pytest's defaults, with the syntax error as a problem.
#pragma once

#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/snapshot.h"

namespace cc {

struct PytestConfig {
  std::string file;     // "" when no configuration file applies (pytest's defaults)
  std::string section;  // "pytest", "tool.pytest.ini_options", "tool:pytest"
  int line = 0;         // 1-based line of the section header (0 for pytest.ini without section)
  std::vector<std::string> testpaths;                                  // default: none
  std::vector<std::string> python_files{"test_*.py", "*_test.py"};
  std::vector<std::string> python_classes{"Test"};
  std::vector<std::string> python_functions{"test"};
  std::vector<std::string> pythonpath;                                 // default: none
  std::vector<std::string> addopts;                                    // default: none
  // Which keys the file set explicitly, in the order met (for evidence).
  std::vector<std::string> keys_set;
  // Problems met while reading (line, message); the probe turns them into input.problem facts.
  struct Problem {
    std::string path;
    int line = 0;
    std::string what;
  };
  std::vector<Problem> problems;
};

// Finds and reads the configuration at the repository root.
PytestConfig find_pytest_config(const Snapshot& snap);

// Parsers for one file's text, exposed for tests. They return false when the file does not apply
// (no matching section); on true, `cfg` holds the values and cfg.file/section/line are set.
bool read_pytest_ini_text(const std::string& path, const std::string& text,
                          const std::string& section, bool always_applies, PytestConfig& cfg);
bool read_pyproject_pytest_text(const std::string& path, const std::string& text,
                                PytestConfig& cfg);

// pytest's "args" splitting (shlex.split, POSIX mode, no comments). Unbalanced quotes: the rest is
// taken as one word.
std::vector<std::string> shell_split(const std::string& s);

}  // namespace cc
