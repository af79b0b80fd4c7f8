// Probe "project-commands": the commands a project defines for itself, read statically.
//
//   tasks.py (invoke; also tasks/*.py) parsed with tree-sitter-python (probes/read/python_syntax.h):
//     task.def   {name (function name), cli (invoke's name: '_' -> '-'), commands (the first argument
//                 of every <ctx>.run(...) / <ctx>.sudo(...) call in the function, string literals
//                 unquoted, f-strings as written, joined " ; ", cut at 2000 bytes), runs (count),
//                 file} per function decorated with @task, @task(...) or @invoke.task
//   Makefile, makefile, GNUmakefile, *.mk and justfile, Justfile, .justfile, *.just:
//     make.target {file, name, commands (recipe lines without @/-/+ prefixes, joined " ; ", cut at
//                 2000 bytes), kind (make|just)} per explicit target / recipe (special targets such
//                 as .PHONY, pattern rules and variable assignments are not targets)
// The commands are kept whole so that catalog rules can look for docker build, dvc pull, pytest,
// coverage, gcloud, mkdocs and the like. Unreadable or unparsable files are input.problem facts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/facts.h"
#include "engine/snapshot.h"
#include "probes/probe.h"

namespace cc {

struct ProjectCommandsOptions {
  std::uint64_t read_cap = kDefaultReadCap;
};

class ProjectCommandsProbe : public Probe {
 public:
  explicit ProjectCommandsProbe(ProjectCommandsOptions opt = {}) : opt_(opt) {}
  std::string id() const override { return "project-commands"; }
  std::string summary() const override;
  void run(const Snapshot& snap, FactStore& out) const override;

 private:
  ProjectCommandsOptions opt_;
};

struct CommandTarget {
  std::string name;
  std::vector<std::string> commands;
  int line = 0;
};

// Targets of a Makefile / recipes of a justfile, in file order (exposed for tests).
std::vector<CommandTarget> makefile_targets(std::string_view text);
std::vector<CommandTarget> justfile_recipes(std::string_view text);

bool is_makefile_name(std::string_view path);
bool is_justfile_name(std::string_view path);

}  // namespace cc
