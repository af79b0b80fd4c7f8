// Probe "dependencies": how the project declares its Python environment, read statically.
//
// Reads (anywhere in the tree, outside virtual environments and vendored folders):
//   pyproject.toml (toml++ via probes/read/toml.h), requirements*.txt / *requirements*.txt /
//   requirements/*.txt (and *.in) with `-r`/`--requirement` includes followed inside the repository
//   (cycle-safe), uv.lock, poetry.lock, environment.y*ml, pixi.toml, .python-version, setup.py
//   (tree-sitter: setup(install_requires=[...])), setup.cfg, Pipfile.
// Emits, each with its file and line:
//   deps.file      {path, kind (pyproject|requirements|uv.lock|poetry.lock|environment.yml|pixi.toml|
//                   .python-version|setup.py|setup.cfg|Pipfile), packages (count declared in it, or
//                   locked for lock files), build_backend (pyproject)}
//   deps.declared  {name (PEP 503 normalised), source (project | optional:<extra> | group:<name> |
//                   poetry | requirements:<file> | conda:<file> | pipfile | pixi | setup.py |
//                   setup.cfg), spec (what follows the name, cut at 200 bytes), file}
//   deps.script    {name, target, file} from [project.scripts], [project.gui-scripts],
//                   [tool.poetry.scripts]
//   deps.python    {version, file} from requires-python, .python-version, poetry's python,
//                   Pipfile [requires], environment.yml python=..., setup python_requires
//   pyproject.tool {tool, file} per [tool.X] table of every pyproject.toml
//   deps.import_check {imported (count of distinct third-party top-level imports), declared_found
//                   (count of those declared), missing (comma list, sorted), transitive (imports
//                   only installed through a declared package, e.g. numpy via torch), imports
//                   (comma list of third-party imports, at most 100), files (Python files read),
//                   declared (count of distinct declared names)}: the imports of the project's own
//                   code (src/, top-level packages with __init__.py, else top-level modules; tests
//                   excluded) against everything declared. Import->distribution names, namespace
//                   prefixes, transitive providers and the standard library list come from
//                   probes/data/python_packages.yaml.
// Reading problems (unparsable TOML/YAML, includes that leave the repository, circular includes,
// missing include files) are input.problem facts; the audit continues.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/snapshot.h"
#include "probes/probe.h"

namespace cc {

struct DependenciesOptions {
  std::uint64_t read_cap = kDefaultReadCap;   // per file
  std::size_t max_source_files = 3000;        // Python files read for the import check
  std::uint64_t max_source_bytes = 64ull << 20;
  int max_include_depth = 16;                 // nested -r includes
};

class DependenciesProbe : public Probe {
 public:
  explicit DependenciesProbe(DependenciesOptions opt = {}) : opt_(opt) {}
  std::string id() const override { return "dependencies"; }
  int cost() const override { return 1; }  // every requirements and lock file, every import
  std::string summary() const override;
  void run(const Snapshot& snap, FactStore& out) const override;
  void declare_reads(const Snapshot& snap) const override;  // the import check's source files

 private:
  DependenciesOptions opt_;
};

// PEP 503 normalisation: lower case, runs of '-', '_' and '.' as one '-'.
std::string normalize_dist_name(std::string_view name);

// A PEP 508 requirement (or a requirements.txt line without options): the distribution name as
// written ("" when none can be read: a path, a URL without #egg=) and what follows it (extras,
// version specifiers, "@ url", markers), trimmed.
struct Requirement {
  std::string name;
  std::string spec;
};
Requirement parse_requirement(std::string_view text);


}  // namespace cc
