// Python imports, shared by the probes that read Python (pytest, python-usage): which files are
// the project's Python files, the import statements of a parsed file with the names they bind,
// and the resolution of imports to the project's own modules.
//
// Project files: *.py outside the directories Python tooling skips (skip_paths.h,
// SkipRule::python_tooling: vendored trees and virtualenvs of any name, plus pytest's
// norecursedirs: hidden ones such as .tox and .ipynb_checkpoints, build, dist, *.egg).
//
// Resolution: `import a.b`, `from a.b import c`, `from .m import n`, `from ..p import q` resolve
// when a/b.py or a/b/__init__.py (or a directory of Python files: a namespace package, path given
// as "a/b/") exists under one of the import roots (see import_roots); relative imports resolve
// against the importing file's directory only. Everything else is third-party.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/snapshot.h"
#include "engine/strings.h"
#include "probes/read/python_syntax.h"

namespace cc::py {

// "a . b" -> "a.b": dotted names as written, whitespace and line continuations removed.
std::string compact_dotted(std::string_view s);

using cc::basename_of;  // engine/strings.h
using cc::dirname_of;
std::string join_path(const std::string& a, const std::string& b);

struct FromImport {
  int level = 0;                    // leading dots
  std::string module;               // dotted after the dots (may be empty)
  std::vector<std::string> names;   // imported names ("*" for a wildcard)
  int line = 0;
};

// A name an import statement binds in the importing module.
struct ImportBinding {
  std::string local;       // the bound name: "wb", "np", "main", "torch" (for `import torch.nn`)
  std::string target;      // what it names: "wandb", "hydra.main", "torch"; relative imports
                           // keep their dots: ".data.load" for `from .data import load`
  std::string module;      // the module of the statement ("hydra" for `from hydra import main`)
  bool from_import = false;
  bool aliased = false;    // written with `as`
  int line = 0;
};

// The imports of one file, gathered statement by statement.
struct PyImports {
  std::vector<std::string> plain_imports;  // import a.b.c -> "a.b.c"
  std::vector<FromImport> from_imports;
  // Reads an import_statement / import_from_statement node; appends the bindings it makes.
  void note_import(const PyNode& n, std::vector<ImportBinding>& bindings);
  void note_from_import(const PyNode& n, std::vector<ImportBinding>& bindings);
};

struct ProjectIndex {
  std::set<std::string> py_files;  // every .py outside skipped dirs
  std::set<std::string> py_dirs;   // their ancestor directories
  std::vector<std::string> pythonpath;
};

// The index of the snapshot's project files (see above).
ProjectIndex build_project_index(const Snapshot& snap, std::vector<std::string> pythonpath = {});

// "src/pkg/data.py" -> "src.pkg.data"; ".../__init__.py" -> its package.
std::string dotted_from_path(std::string p);
// The module file for `rel` ("a/b") under `root`: a/b.py, a/b/__init__.py, else (when allowed)
// the namespace directory "a/b/".
std::optional<std::string> module_file(const ProjectIndex& idx, const std::string& root,
                                       const std::string& rel, bool allow_namespace);

// The directory above the topmost package holding `file` (pytest's rootdir-relative basedir).
std::string package_basedir(const ProjectIndex& idx, const std::string& file);
// Roots that absolute imports of `file` are looked up in, in order: its package basedir, the
// index's pythonpath entries, the repository root, src/.
std::vector<std::string> import_roots(const ProjectIndex& idx, const std::string& file);

struct ResolvedImports {
  std::set<std::string> modules;  // dotted project modules ("pkg.data")
  std::set<std::string> paths;    // their files ("src/pkg/data.py", or "pkg/sub/" for a namespace)
  std::set<std::string> names;    // names imported from project modules ("load_data", "*")
};

// The project modules that `imports` of `file` reach.
ResolvedImports resolve_project_imports(const PyImports& imports, const ProjectIndex& idx,
                                        const std::string& file);

}  // namespace cc::py
