// `claimcheck merge`: shard databases (batch --shard K/N) combined into one. The runs of the
// inputs that share a label (one night) become one run of the output; audits are copied once
// (an audit already there, same group, commit, engine, catalog, options and JSON, is reused);
// an input run already merged (by its uuid) is skipped, so merging again changes nothing.
#pragma once

#include <string>
#include <vector>

#include "batch/store.h"

namespace cc {

struct MergeSummary {
  long long runs_merged = 0, runs_skipped = 0, rows = 0, audits_copied = 0;
};

// Throws SqlError / std::invalid_argument (an input that is not a results database).
MergeSummary merge_databases(Store& out, const std::vector<std::string>& inputs);

}  // namespace cc
