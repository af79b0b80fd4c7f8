// Can a workflow's `paths:` filter ever fire? GitHub matches the filter against the files a push
// changes; when no file of the repository matches it (typically data/** or models/** kept out of
// git by DVC and .gitignore), the trigger never fires. Part of the github-workflows probe.
#pragma once

#include <string>
#include <string_view>

#include "engine/facts.h"
#include "engine/snapshot.h"

namespace cc {

// GitHub's filter pattern syntax as an RE2 pattern for a full match: `**` any characters, `*` any
// but '/', `?` one character but '/', `[...]` a class; everything else literal.
std::string github_path_filter_regex(std::string_view pattern);

// For every workflow.trigger fact in `out` with a `paths` filter, sets its attr reachable=yes|no
// and emits
// workflow.trigger_paths_unmatched {workflow, event, paths, ignored} when no file of the snapshot
// matches any of its (non-negated) patterns. `ignored` names the .gitignore entry that keeps the
// filtered folder out of git, when there is one.
void check_trigger_paths(const Snapshot& snap, FactStore& out);

}  // namespace cc
