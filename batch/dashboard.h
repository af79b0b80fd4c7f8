// `claimcheck dashboard`: one static, self-contained HTML page over a results database (works
// offline: Chart.js, the data and the script are inlined). Groups table sortable by flags,
// over-claim rate per checklist item across groups, each group's trend over the runs, git
// activity per group; each group's latest audit JSON beside it, and a link to its HTML report
// when DIR/reports/<group>.html exists.
#pragma once

#include <string>

#include "batch/store.h"

namespace cc {

struct DashboardSummary {
  long long run = 0;    // the run the table shows (the latest)
  long long groups = 0;
};

// Writes DIR/index.html and DIR/audits/<group>.json. Throws std::invalid_argument when the
// database has no runs, std::runtime_error when DIR cannot be written.
DashboardSummary write_dashboard(Store& store, const std::string& dir);

// A group id as a file name: [A-Za-z0-9-] kept, anything else as _XX (hex), so distinct ids
// give distinct names.
std::string safe_file_name(const std::string& group);

}  // namespace cc
