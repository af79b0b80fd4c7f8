// `claimcheck batch`: every roster row fetched and audited by a pool of worker processes, each
// outcome stored in its own transaction. Workers are processes, not threads: a repository that
// crashes or hangs an audit takes down only its worker (recorded as failed with the reason), the
// time cap is a kill that always works, and each repository's peak memory is measurable.
// Only the parent touches the database.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "batch/roster.h"
#include "batch/store.h"

namespace cc {

struct BatchOptions {
  std::string roster;       // CSV path (not needed with resume)
  std::string db;
  std::string cache;        // folder of bare mirrors (with resume: "" = the run's own)
  int jobs = 0;             // 0 = the number of cores
  std::string at;           // deadline for every row without its own
  std::string catalog_dir;  // --catalog
  std::string html_dir;     // --html: each audited group's HTML report, DIR/<group>.html
  std::string shard;        // "K/N" or ""
  std::string label;        // runs with the same label are one night (merge joins them); "" = today's UTC date
  int timeout_s = 900;      // per repository, fetch and audit together
  double max_repo_mb = 2048;
  bool resume = false;      // finish the latest unfinished run instead of starting one
};

struct BatchEvent {
  // kSkippedRow comes first, once per bad roster row (line, detail), before any work starts.
  enum Kind { kSkippedRow, kStarted, kFinished } kind = kStarted;
  int line = 0;  // kSkippedRow
  std::string group;
  std::string state;   // finished: audited | unchanged | failed
  std::string detail;  // finished: commit and counts, or the failure reason
  long long done = 0, failed = 0, total = 0;
  std::vector<std::string> in_flight;  // groups being worked on, roster order
};

struct BatchSummary {
  RunInfo run;
  RunCounts counts;
  std::vector<RosterProblem> roster_problems;  // rows skipped this time (empty on resume)
};

// Throws std::invalid_argument for bad options or an unusable roster, SqlError for the database.
BatchSummary run_batch(const BatchOptions& opt, const std::function<void(const BatchEvent&)>& on_event);

}  // namespace cc
