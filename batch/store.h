// The batch's results in one SQLite file (WAL mode): runs, repositories, each run's rows, audits
// (repository, commit, engine, catalog, time, summary counts and the full JSON), item verdicts and
// claims. One transaction per repository, so a run killed at any moment loses at most the
// repositories in flight, and `batch --resume` finishes it from the rows still pending.
//
// Tables (see schema() in store.cpp):
//   runs(id, uuid, label, started, finished, roster, at, shard, engine, catalog, options, skipped_rows)
//   repositories(id, grp, url)
//   run_repos(run_id, repo_id, line, url, branch, report, deadline, state, reason, audit_id,
//             fetch_ms, audit_ms, peak_kb)     state: pending | audited | unchanged | failed
//   audits(id, repo_id, run_id, commit_id, tip, engine, catalog, options, created, <summary counts>,
//          json, activity)
//   item_verdicts(audit_id, idx, rule, module, text, line, ticked, status, verdict)
//   claims(audit_id, idx, kind, question, claim, verdict, detail)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "batch/roster.h"
#include "batch/sqlite.h"

namespace cc {

struct RunInfo {
  long long id = 0;
  std::string uuid, label, started, finished, roster, at, shard, engine, catalog;
  std::string options;  // JSON: what --resume needs (cache, jobs, caps, catalog folder)
  long long skipped_rows = 0;
};

// One row of a run still to do (or done).
struct RunRow {
  long long repo_id = 0;
  RosterRow row;  // as the roster gave it when the run started
  std::string state, reason;
};

// The latest audit of a group, for the incremental check.
struct PriorAudit {
  long long id = 0;
  std::string commit, tip, engine, catalog, options;
};

// What happened to one repository in a run.
struct RepoOutcome {
  long long repo_id = 0;
  std::string state;   // audited | unchanged | failed
  std::string reason;  // failed: why; unchanged: which audit was carried over
  long long carried_audit = 0;  // unchanged: the audit carried over
  std::string commit, tip, options, json, activity;  // audited
  long long fetch_ms = 0, audit_ms = 0, peak_kb = 0;
};

struct RunCounts {
  long long audited = 0, unchanged = 0, failed = 0, pending = 0;
};

class Store {
 public:
  explicit Store(const std::string& path);
  Db& db() { return db_; }

  // Creates the run and one pending row per roster row, in one transaction.
  RunInfo begin_run(RunInfo info, const std::vector<RosterRow>& rows);
  std::optional<RunInfo> run(long long id);
  std::optional<RunInfo> latest_unfinished_run();
  std::vector<long long> run_ids();  // oldest first
  std::vector<RunRow> rows(long long run_id, bool pending_only);
  std::optional<PriorAudit> prior_audit(long long repo_id);
  // One repository's outcome, in its own transaction.
  void record(long long run_id, const RepoOutcome& o, const std::string& engine, const std::string& catalog);
  void finish_run(long long run_id);
  RunCounts counts(long long run_id);

 private:
  Db db_;
};

// Fills item_verdicts and claims of an audit from its JSON (the documented claimcheck/1 format,
// so the tables follow what users see). Also used by merge.
void index_audit_json(Db& db, long long audit_id, const std::string& json);

std::string utc_now_iso();

}  // namespace cc
