#include "batch/merge.h"

#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace cc {
namespace {

struct InRow {
  std::string grp, url, branch, report, deadline, state, reason;
  long long line = 0, audit = 0, fetch_ms = 0, audit_ms = 0, peak_kb = 0;
};

// The output's run for a label: created by the first shard merged, widened by the others.
long long target_run(Store& out, const RunInfo& in) {
  const std::string uuid = "merge:" + in.label;
  Stmt f(out.db().get(), "SELECT id FROM runs WHERE uuid=?");
  f.bind(1, uuid);
  if (f.step()) {
    long long id = f.integer(0);
    Stmt(out.db().get(),
         "UPDATE runs SET started=min(started, ?), finished=CASE WHEN finished IS NULL OR ? = '' THEN NULL "
         "ELSE max(finished, ?) END, skipped_rows=max(skipped_rows, ?) WHERE id=?")
        .bind(1, in.started).bind(2, in.finished).bind(3, in.finished).bind(4, in.skipped_rows).bind(5, id)
        .run();
    return id;
  }
  Stmt ins(out.db().get(),
           "INSERT INTO runs(uuid, label, started, finished, roster, at, shard, engine, catalog, options, skipped_rows) "
           "VALUES(?,?,?,?,?,?,'merged',?,?,?,?)");
  ins.bind(1, uuid).bind(2, in.label).bind(3, in.started);
  if (in.finished.empty()) ins.bind_null(4);
  else ins.bind(4, in.finished);
  ins.bind(5, in.roster).bind(6, in.at).bind(7, in.engine).bind(8, in.catalog).bind(9, in.options)
      .bind(10, in.skipped_rows)
      .run();
  return out.db().last_id();
}

long long repo_id(Store& out, const std::string& grp, const std::string& url) {
  Stmt(out.db().get(), "INSERT INTO repositories(grp, url) VALUES(?, ?) ON CONFLICT(grp) DO UPDATE SET url=excluded.url")
      .bind(1, grp).bind(2, url).run();
  Stmt id(out.db().get(), "SELECT id FROM repositories WHERE grp=?");
  id.bind(1, grp);
  id.step();
  return id.integer(0);
}

// Copies audit `audit` of the input into the output (or finds the same one there).
long long copy_audit(Store& out, Db& in, long long audit, long long repo, long long run, MergeSummary& sum) {
  Stmt a(in.get(),
         "SELECT commit_id, tip, engine, catalog, options, created, overclaimed, weak, unverifiable, underclaimed, ok, "
         "not_claimed, not_checked, partial, json, activity FROM audits WHERE id=?");
  a.bind(1, audit);
  if (!a.step()) throw std::invalid_argument("audit " + std::to_string(audit) + " is missing from an input database");
  Stmt same(out.db().get(),
            "SELECT id FROM audits WHERE repo_id=? AND commit_id=? AND engine=? AND catalog=? AND options=? AND json=?");
  same.bind(1, repo).bind(2, a.text(0)).bind(3, a.text(2)).bind(4, a.text(3)).bind(5, a.text(4)).bind(6, a.text(14));
  if (same.step()) return same.integer(0);
  Stmt ins(out.db().get(),
           "INSERT INTO audits(repo_id, run_id, commit_id, tip, engine, catalog, options, created, overclaimed, weak, "
           "unverifiable, underclaimed, ok, not_claimed, not_checked, partial, json, activity) "
           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  ins.bind(1, repo).bind(2, run);
  for (int i = 0; i < 6; ++i) ins.bind(3 + i, a.text(i));
  for (int i = 6; i < 14; ++i) {
    if (a.null(i)) ins.bind_null(3 + i);
    else ins.bind(3 + i, a.integer(i));
  }
  ins.bind(17, a.text(14)).bind(18, a.text(15)).run();
  long long id = out.db().last_id();
  index_audit_json(out.db(), id, a.text(14));
  ++sum.audits_copied;
  return id;
}

}  // namespace

MergeSummary merge_databases(Store& out, const std::vector<std::string>& inputs) {
  MergeSummary sum;
  for (const auto& path : inputs) {
    if (access(path.c_str(), R_OK) != 0) throw std::invalid_argument("cannot read the database " + path);
    Store in(path);  // checks the schema version
    for (long long rid : in.run_ids()) {
      RunInfo r = *in.run(rid);
      Stmt done(out.db().get(), "SELECT 1 FROM merged_runs WHERE uuid=?");
      done.bind(1, r.uuid);
      if (done.step()) {
        ++sum.runs_skipped;
        continue;
      }
      Transaction tx(out.db());
      long long run = target_run(out, r);
      Stmt rows(in.db().get(),
                "SELECT g.grp, rr.url, rr.branch, rr.report, rr.deadline, rr.state, rr.reason, rr.line, "
                "coalesce(rr.audit_id, 0), coalesce(rr.fetch_ms, 0), coalesce(rr.audit_ms, 0), coalesce(rr.peak_kb, 0) "
                "FROM run_repos rr JOIN repositories g ON g.id = rr.repo_id WHERE rr.run_id=? ORDER BY g.grp");
      rows.bind(1, rid);
      Stmt put(out.db().get(),
               "INSERT OR REPLACE INTO run_repos(run_id, repo_id, line, url, branch, report, deadline, state, reason, "
               "audit_id, fetch_ms, audit_ms, peak_kb) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
      while (rows.step()) {
        InRow x{rows.text(0), rows.text(1), rows.text(2), rows.text(3), rows.text(4), rows.text(5), rows.text(6),
                rows.integer(7), rows.integer(8), rows.integer(9), rows.integer(10), rows.integer(11)};
        long long repo = repo_id(out, x.grp, x.url);
        long long audit = x.audit ? copy_audit(out, in.db(), x.audit, repo, run, sum) : 0;
        put.reset();
        put.bind(1, run).bind(2, repo).bind(3, x.line).bind(4, x.url).bind(5, x.branch).bind(6, x.report)
            .bind(7, x.deadline).bind(8, x.state).bind(9, x.reason);
        if (audit) put.bind(10, audit);
        else put.bind_null(10);
        put.bind(11, x.fetch_ms).bind(12, x.audit_ms).bind(13, x.peak_kb).run();
        ++sum.rows;
      }
      Stmt(out.db().get(), "INSERT INTO merged_runs(uuid, into_run) VALUES(?, ?)").bind(1, r.uuid).bind(2, run).run();
      tx.commit();
      ++sum.runs_merged;
    }
  }
  return sum;
}

}  // namespace cc
