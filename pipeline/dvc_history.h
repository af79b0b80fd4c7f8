// The DVC remote's history: a DVC remote on a GCS bucket that the group replaced. .dvc/config is
// read at every commit of the audited commit's first-parent line (from the one history walk,
// History::commits()), newest first, at most 50 distinct versions of under 64 KiB each; each gs://
// remote that some past version had but the audited version lacks becomes a fact
// dvc.remote_history {url, scheme, from, from_date, until, until_date, days, current_schemes}.
// It sits in pipeline/, not engine/history, because it reads .dvc/config with the dvc probe's
// parser (engine/ depends on no other folder).
#pragma once

#include <string>

#include "engine/facts.h"
#include "engine/history.h"
#include "engine/snapshot.h"

namespace cc {

// `history`: the audited commit's walk (null when it could not be read: nothing is added).
// `repo_dir`: the repository folder, for a worktree audit (whose snapshot holds no repository).
// Past versions that cannot be read are reported as an input problem of probe "history".
void add_dvc_remote_history(const Snapshot& snap, const History* history, const std::string& repo_dir,
                            FactStore& facts);

}  // namespace cc
