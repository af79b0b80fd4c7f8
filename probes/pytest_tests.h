// Probe "pytest": the project's tests as pytest would collect them, read statically with
// tree-sitter-python. Nothing is run.
//
// Test files: *.py files whose basename matches a python_files pattern (fnmatch; a pattern with a
// '/' is matched against the whole path), under the configured testpaths (entries may be globs;
// an entry naming a .py file is collected whatever its name; when no entry exists, pytest falls
// back to the rootdir and so do we), else anywhere. Directories skipped like pytest's
// norecursedirs and virtualenv detection (skip_paths.h, SkipRule::python_tooling): hidden ones
// (".*"), venv, build, dist, *.egg, ..., vendored trees (site-packages, node_modules, ...) and
// virtualenvs of any name (a pyvenv.cfg, or lib/python*/ inside). conftest.py is never a test file. rootdir = the repository root (see pytest_config.h).
//
// Collection, as pytest does it:
//   - module-level functions whose name matches python_functions (prefix, or glob when the option
//     has * ? [); a name defined twice counts once (the module namespace keeps the last);
//   - classes matching python_classes with no __init__ / __new__ and no `__test__ = False`: their
//     methods matching python_functions, and nested classes by the same rules. Only methods defined
//     in the class body count: inherited methods are not followed (documented simplification);
//   - classes deriving from unittest.TestCase (any name; a base written TestCase, X.TestCase,
//     IsolatedAsyncioTestCase, or a class of the same file that is one): methods starting "test",
//     one item each (pytest does not parametrize unittest methods).
// Items: @pytest.mark.parametrize(argnames, argvalues) multiplies by the number of argvalues when
// they are a literal list/tuple (pytest.param(...) = 1; a name bound at module or class level to a
// literal list/tuple; range(...)/list(range(...)) with integer literals); an empty list gives one
// (skipped) item, as pytest does. Stacked decorators multiply; marks on a class (decorator or
// `pytestmark = ...` in its body) and module-level `pytestmark` apply to every test below them.
// Fixtures with literal params (@pytest.fixture(params=[...])) defined in the test file or in a
// conftest.py of its directory or any parent multiply every test that requests them, directly or
// through other fixtures of those files (a fixture named like a parametrize argname is overridden).
// Anything else (comprehensions, calls, names not bound to a literal, *splats) counts 1 and sets
// items_exact=no; so does a pytest_generate_tests hook in the file or a conftest above it (every
// test of the file becomes items_exact=no). Not modelled: autouse or usefixtures-requested
// parametrized fixtures, fixtures defined in a class for its nested classes, inherited test methods. Aliases resolved: `import pytest as pt`, `from pytest import mark, param,
// fixture`, `import unittest as ut`, `from unittest import TestCase, skip`.
// Skips: pytest.mark.skip/skipif, unittest.skip/skipIf/skipUnless (on the test, its classes or the
// module's pytestmark) give skip=yes, still collected; skip_kind says "always" or "conditional".
//
// Project imports: `import a.b`, `from a.b import c`, `from .m import n`, `from ..p import q`
// resolve when a/b.py or a/b/__init__.py (or a directory of Python files: a namespace package,
// path given as "a/b/") exists relative to the test's pytest basedir (first ancestor that is not a
// package), a configured pythonpath entry, the repository root or src/; relative imports resolve
// against the test file's directory only. Everything else is third-party and ignored.
//
// Facts (all attribute values are strings; lists are ","-joined, sorted, unique):
//   pytest.config  {file, section, testpaths, python_files, python_classes, python_functions,
//                   pythonpath, addopts}               where: config file + section line ("" if none)
//   pytest.file    {path, status, functions, items, items_exact, classes, skipped,
//                   project_imports, project_import_paths, imported_names}   where: file, line 0
//   pytest.test    {file, name, kind, items, items_exact, skip, skip_kind, line}
//                                                      where: file + line of the def
//   pytest.summary {files, functions, items, items_exact, classes, skipped, testpaths}  once
//   input.problem  (probe "pytest") for unreadable/unparsable files and config problems.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/facts.h"
#include "engine/snapshot.h"
#include "probes/probe.h"
#include "probes/pytest_config.h"

namespace cc {

class PytestProbe : public Probe {
 public:
  std::string id() const override { return "pytest"; }
  std::string summary() const override {
    return "pytest configuration and test files: collected tests, parametrize expansion, "
           "project imports (tree-sitter-python)";
  }
  void run(const Snapshot& snap, FactStore& out) const override;
  void declare_reads(const Snapshot& snap) const override;  // each test file, once
};

// Python's fnmatch.fnmatchcase: * (anything, '/' included), ?, [seq], [!seq].
bool fnmatch(std::string_view pattern, std::string_view name);
// pytest's python_classes / python_functions rule: prefix match, or fnmatch when the option has
// glob characters.
bool pytest_name_matches(std::string_view name, const std::vector<std::string>& options);
// The test files of the snapshot under `cfg`, in path order.
std::vector<std::string> pytest_test_files(const Snapshot& snap, const PytestConfig& cfg);

}  // namespace cc
