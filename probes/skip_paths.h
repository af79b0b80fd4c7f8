// Which directories the probes pass over: one list for every probe (probes/data/skip_dirs.yaml).
//
// SkipRule::vendored (every probe): third-party and generated trees (virtualenvs, site-packages,
// node_modules, tool caches, .git, ...), plus any directory that is a virtualenv by its layout
// (<dir>/lib/python*/ or <dir>/Lib/python*/) or by its pyvenv.cfg.
// SkipRule::python_tooling: the same, and what pytest's default norecursedirs skips (every hidden
// directory, build, dist, *.egg, CVS, ...): for the probes that collect Python files as pytest
// does (pytest, python-usage and the project import index), whose counts must match pytest's.
//
// Only directory components are looked at, never the file name itself -- except the course's own
// files (course_files in skip_dirs.yaml, e.g. reports/report.py), which are never the group's code.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "engine/snapshot.h"

namespace cc {

enum class SkipRule { vendored, python_tooling };

// A directory name skipped under `rule` (the names and patterns of skip_dirs.yaml).
bool skipped_dir_name(std::string_view name, SkipRule rule = SkipRule::vendored);

// Directories of the snapshot holding a pyvenv.cfg: virtualenvs of any name.
std::set<std::string> venv_dirs(const Snapshot& snap);

// Is a directory of `path` skipped: by name, as a virtualenv by its layout, or as one of `venvs`?
// Only the components starting at byte `from` are looked at (their own names and layout; `venvs`
// are whole directory paths).
bool in_skipped_dir(std::string_view path, SkipRule rule = SkipRule::vendored,
                    const std::set<std::string>& venvs = {}, std::size_t from = 0);

// in_skipped_dir bound to one snapshot, whose pyvenv.cfg directories it finds once.
class PathSkipper {
 public:
  explicit PathSkipper(const Snapshot& snap, SkipRule rule = SkipRule::vendored)
      : rule_(rule), venvs_(venv_dirs(snap)) {}
  bool operator()(std::string_view path, std::size_t from = 0) const {
    return in_skipped_dir(path, rule_, venvs_, from);
  }

 private:
  SkipRule rule_;
  std::set<std::string> venvs_;
};

// A file inside the run folder of an experiment tracker (skip_dirs.yaml tool_runs, e.g.
// wandb/run-*): what the tool wrote there (W&B's pip-freeze requirements.txt, its config.yaml)
// describes the machine of one run, not what the group declares.
bool in_tool_run(std::string_view path);

// One of the course's own files (skip_dirs.yaml course_files), given as a whole repository path.
bool course_file(std::string_view path);

// Why skip_dirs.yaml could not be read ("" when it was): a build problem, checked by the tests.
const std::string& skip_dirs_error();

}  // namespace cc
