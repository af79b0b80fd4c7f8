// Probe "python-usage": what the project's Python code uses (Hydra, W&B, Lightning, FastAPI,
// typer, logging, profilers, ONNX, drift detection, DataLoader workers, ...), read statically with
// tree-sitter-python; per-module typing and docstring counts; test files sorted into categories.
//
// Files: every *.py of the snapshot outside the directories Python tooling skips (skip_paths.h,
// SkipRule::python_tooling: hidden dirs such as .venv and .ipynb_checkpoints, venv, env,
// site-packages, node_modules, build, dist, __pycache__, virtualenvs of any name). Each is read (cap: kDefaultReadCap)
// and parsed once; every pattern runs on that one tree. Files are processed in parallel
// (the audit's --threads; hardware_concurrency when unset) and their facts merged in path order: output is deterministic.
// Over the cap, binary, not UTF-8, nested too deep, parse timeout: an input.problem, no facts.
// Syntax errors beyond a threshold (more than 50 ERROR/MISSING nodes, or more than one per 20
// lines): an input.problem, and the facts of the parts that parse are still emitted.
//
// Names are resolved through the file's imports and aliases (`import wandb as wb`, `from hydra
// import main`, `from torch import nn`, relative imports kept with their dots) and through names
// bound by assignment to a call (`app = FastAPI()` makes `app.post` resolve to
// "fastapi.FastAPI().post"; `self.x = ...` too), in source order, one namespace per file (scopes
// are not separated). Not followed: names re-exported by other modules, subclasses of the
// project's own classes, values passed through functions.
//
// Patterns: probes/data/python_patterns.yaml (schema and kinds described there).
//
// Facts (attribute values are strings; lists ","-joined, sorted, unique):
//   py.use          {name, callable, module, file, value, in_tests, kind, literal, expression,
//                    + the pattern's capture names}               where: file + line
//                   name = the pattern's fact name; callable = the resolved qualified name (for
//                   kind import: the module; for method: "<receiver>.<method>"); literal = "no"
//                   when a keyword value is not a literal (value is then ""; expression holds
//                   its source text, cut at 80 bytes). At most kMaxUsesPerName facts per file
//                   and name (the rest are counted in py.module's `uses_dropped`).
//   py.module       {path, module, functions, annotated, documented, classes, imports,
//                    project_imports, is_test, status, uses_dropped}     where: file, line 0
//                   status: ok | syntax-errors.
//   py.summary      {files, functions, annotated, documented, annotated_share,
//                    documented_share, scope}                        once, where: "" line 0
//                   over non-test source files: under src/ when src/ holds Python files, else in
//                   packages (directories with __init__.py), else every non-test file (scope =
//                   src | packages | all); docs/ is never counted. Shares are integer percents
//                   (floor), 0 when there are no functions.
//   py.test_category {file, categories, reason}                     where: file, line 0
//                   per test file; categories from data, model, training, api, load (comma list,
//                   maybe empty), reason says what decided each.
//   input.problem   (probe "python-usage") for files that could not be read or parsed.
// A test file: basename test_*.py, *_test.py or conftest.py, or any directory named tests/test.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/facts.h"
#include "engine/snapshot.h"
#include "probes/probe.h"

namespace cc {

struct YamlLoad;

inline constexpr int kMaxUsesPerName = 50;

// The pattern file, compiled (see probes/data/python_patterns.yaml).
class PythonPatterns {
 public:
  PythonPatterns();
  ~PythonPatterns();
  PythonPatterns(PythonPatterns&&) noexcept;
  PythonPatterns& operator=(PythonPatterns&&) noexcept;

  // Parse a pattern file. On error returns false and sets *error ("line N: what").
  bool load(std::string_view yaml_text, std::string* error);
  // The same from a tree already read (the built-in file's, engine/yaml_pack.h).
  bool load(const YamlLoad& y, std::string* error);
  // probes/data/python_patterns.yaml as compiled into the binary, loaded once; nullptr (and
  // *error) when it is malformed.
  static const PythonPatterns* builtin(std::string* error);

  std::size_t pattern_count() const;
  // Every distinct fact name the patterns can emit, sorted.
  std::vector<std::string> fact_names() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

struct PythonUsageOptions {
  unsigned threads = 0;        // parse threads (--threads); 0 = std::thread::hardware_concurrency()
  std::uint64_t read_cap = kDefaultReadCap;
  int max_errors = 50;         // ERROR + MISSING nodes tolerated ...
  int error_lines_per = 20;    // ... and at most one per this many lines
};

class PythonUsageProbe : public Probe {
 public:
  PythonUsageProbe() = default;
  // For tests: other patterns and options.
  explicit PythonUsageProbe(const PythonPatterns* patterns, PythonUsageOptions opts = {})
      : patterns_(patterns), opts_(opts) {}

  std::string id() const override { return "python-usage"; }
  int cost() const override { return 2; }  // parses every Python file of the commit
  void declare_reads(const Snapshot& snap) const override;  // every Python file, once
  std::string summary() const override {
    return "Python source: library use resolved through imports (Hydra, W&B, Lightning, FastAPI, "
           "CLI, logging, profiling, ONNX, drift, ...), typing/docstring shares, test categories "
           "(tree-sitter-python)";
  }
  void run(const Snapshot& snap, FactStore& out) const override;

 private:
  const PythonPatterns* patterns_ = nullptr;  // nullptr = builtin
  PythonUsageOptions opts_;
};

// "src/pkg/data.py" -> "pkg.data" (a leading src/ dropped; __init__.py names its package).
std::string python_module_name(std::string_view path);
// A test file by the rule above.
bool is_python_test_file(std::string_view path);

}  // namespace cc
