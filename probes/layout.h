// Probe "layout": how far the repository tree follows the course's cookiecutter layout
// (src/<pkg>/ with data/model/train modules, tests/, configs/, dockerfiles/, reports/, models/,
// notebooks/, tasks.py, ...). Only the file list is read, no file content.
//
// Fact (one, where: path "", line 0):
//   layout.summary {has_src_package (yes/no), src_package (name or ""), package_dir (src/<pkg> or
//                   <pkg> or ""), has_tests, has_configs, has_dockerfiles, has_reports, has_models,
//                   has_notebooks, has_tasks_py, has_data_module, has_model_module,
//                   has_train_module (yes/no), score (0-100), matched (n), expected (n),
//                   missing (","-joined names of expected entries not found, sorted)}
// The score is the share of the expected entries of probes/data/layout.yaml that the tree has.
// Vendored trees (skip_paths.h) are not looked at.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/facts.h"
#include "engine/snapshot.h"
#include "probes/probe.h"

namespace cc {

class LayoutProbe : public Probe {
 public:
  std::string id() const override { return "layout"; }
  std::string summary() const override {
    return "repository layout against the course cookiecutter (src package, tests, configs, "
           "dockerfiles, reports, ...)";
  }
  void run(const Snapshot& snap, FactStore& out) const override;
};

// Glob over '/'-separated paths: '*' and '?' match within one segment, a "**" segment matches
// any number of segments (zero included). No character classes. Iterative per segment; patterns
// come from our data files, paths from the repository.
bool path_glob(std::string_view pattern, std::string_view path);

// The cookiecutter package of the tree: the src/<name>/ (or top-level <name>/) directory holding
// an __init__.py with the most Python files; "" when none. Returns the directory ("src/pkg").
std::string find_package_dir(const Snapshot& snap);

}  // namespace cc
