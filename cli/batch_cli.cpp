#include "cli/batch_cli.h"

#include <unistd.h>

#include <iostream>

#include "batch/dashboard.h"
#include "batch/merge.h"
#include "batch/query.h"
#include "batch/runner.h"
#include "pipeline/audit.h"

namespace cc {
namespace {

// The progress bar on a terminal: one line redrawn in place.
void draw_bar(const BatchEvent& e) {
  constexpr int kWidth = 30;
  int filled = e.total ? static_cast<int>(kWidth * e.done / e.total) : kWidth;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::string now;
  for (const auto& g : e.in_flight) now += (now.empty() ? "" : ", ") + g;
  if (now.size() > 40) now = now.substr(0, 37) + "...";
  std::cout << "\r\033[K[" << bar << "] " << e.done << "/" << e.total << " done, " << e.failed << " failed, "
            << (e.total - e.done) << " left" << (now.empty() ? "" : "  " + now) << std::flush;
}

}  // namespace

struct BatchCli::Impl {
  BatchOptions batch;
  CLI::App* batch_cmd = nullptr;
  std::string db, group, format = "text";
  long long run_a = 0, run_b = 0;
  CLI::App* history_cmd = nullptr;
  CLI::App* diff_cmd = nullptr;
  std::vector<std::string> inputs;
  CLI::App* merge_cmd = nullptr;
  std::string out_dir;
  CLI::App* dashboard_cmd = nullptr;
};

BatchCli::BatchCli(CLI::App& app) : d_(std::make_unique<Impl>()) {
  auto& b = d_->batch;
  auto* cmd = app.add_subcommand("batch", "fetch and audit every group of a roster, results in a SQLite database");
  cmd->add_option("roster", b.roster, "CSV with a header: group,repo[,branch,report,deadline]");
  cmd->add_option("--db", b.db, "the results database (SQLite, created when missing)")->required();
  cmd->add_option("--cache", b.cache, "folder of the fetched repositories (bare mirrors, kept between runs)");
  cmd->add_option("--jobs,-j", b.jobs, "repositories audited at once (default: the number of cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--at", b.at, "the hand-in deadline for every group (a roster deadline overrides it)");
  cmd->add_option("--catalog", b.catalog_dir, "read the catalog (rules) from this folder of *.yaml files");
  cmd->add_option("--html", b.html_dir,
                  "write each audited group's HTML report to DIR/<group>.html (a dashboard in D links "
                  "D/reports/<group>.html: give --html D/reports)");
  cmd->add_option("--shard", b.shard, "run shard K of N (1 <= K <= N): the groups whose id hashes to it");
  cmd->add_option("--label", b.label, "name of this night's run (default: today's UTC date); merge joins equal labels");
  cmd->add_option("--timeout", b.timeout_s, "seconds per repository, fetch and audit together")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  cmd->add_option("--max-repo-mb", b.max_repo_mb, "size cap of one repository, transferred and on disk (MiB)")
      ->check(CLI::Range(0.001, 1e7))
      ->capture_default_str();
  cmd->add_flag("--resume", b.resume, "finish the latest unfinished run of --db (after a crash or a kill)");
  d_->batch_cmd = cmd;

  auto* h = app.add_subcommand("history", "a group's audits in a results database, newest first");
  h->add_option("group", d_->group, "the group id (as in the roster)")->required();
  h->add_option("--db", d_->db, "the results database")->required();
  h->add_option("--format", d_->format, "output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  d_->history_cmd = h;

  auto* df = app.add_subcommand("diff", "what changed between two runs: boxes, over-claims, claims, commits");
  df->add_option("run_a", d_->run_a, "the earlier run id")->required();
  df->add_option("run_b", d_->run_b, "the later run id")->required();
  df->add_option("--db", d_->db, "the results database")->required();
  df->add_option("--format", d_->format, "output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  d_->diff_cmd = df;

  auto* m = app.add_subcommand("merge", "combine shard databases (batch --shard K/N) into one");
  m->add_option("inputs", d_->inputs, "the shard databases")->required();
  m->add_option("--db", d_->db, "the combined database (created when missing)")->required();
  d_->merge_cmd = m;

  auto* dash = app.add_subcommand("dashboard", "write a static HTML dashboard (one offline file) over a results database");
  dash->add_option("--db", d_->db, "the results database")->required();
  dash->add_option("-o,--output", d_->out_dir, "the folder to write index.html (and audits/) into")->required();
  d_->dashboard_cmd = dash;
}

namespace {

// history, diff, dashboard and merge read an existing database: never create an empty one.
Store open_existing(const std::string& path) {
  if (access(path.c_str(), R_OK) != 0) throw RunError(kExitFatal, "cannot read the database " + path);
  return Store(path);
}

}  // namespace

BatchCli::~BatchCli() = default;

int BatchCli::run_batch_command() {
  auto& b = d_->batch;
  if (!b.resume && (b.roster.empty() || b.cache.empty()))
    throw RunError(kExitUsage, "batch needs a ROSTER and --cache DIR (or --resume to finish a run)");
  if (b.resume && (!b.roster.empty() || !b.shard.empty() || !b.at.empty() || !b.catalog_dir.empty() ||
                   !b.html_dir.empty()))
    throw RunError(kExitUsage, "--resume finishes a run with its own roster and options: give only --db, and --jobs or --cache if needed");
  const bool tty = isatty(STDOUT_FILENO);
  BatchSummary s = run_batch(b, [&](const BatchEvent& e) {
    if (e.kind == BatchEvent::kSkippedRow) {
      std::cerr << "claimcheck: " << b.roster << ":" << e.line << ": " << e.detail << "; row skipped\n";
    } else if (tty) {
      draw_bar(e);
    } else if (e.kind == BatchEvent::kFinished) {
      std::cout << e.group << ": " << e.state << (e.detail.empty() ? "" : " " + e.detail) << "\n" << std::flush;
    }
  });
  if (tty) std::cout << "\r\033[K";
  std::cout << "batch: " << s.counts.audited << " audited, " << s.counts.unchanged << " unchanged, "
            << s.counts.failed << " failed (run " << s.run.id << ")\n";
  return s.counts.failed ? kExitOverclaimed : kExitClean;
}

int BatchCli::run() {
  try {
    if (*d_->batch_cmd) return run_batch_command();
    if (*d_->history_cmd) {
      Store store = open_existing(d_->db);
      std::cout << (d_->format == "json" ? history_json(store, d_->group) : history_text(store, d_->group));
      return kExitClean;
    }
    if (*d_->diff_cmd) {
      Store store = open_existing(d_->db);
      std::cout << (d_->format == "json" ? diff_json(store, d_->run_a, d_->run_b)
                                         : diff_text(store, d_->run_a, d_->run_b));
      return kExitClean;
    }
    if (*d_->merge_cmd) {
      Store out(d_->db);
      MergeSummary m = merge_databases(out, d_->inputs);
      std::cout << "merge: " << m.runs_merged << " run(s) merged, " << m.runs_skipped << " already there, " << m.rows
                << " repository rows, " << m.audits_copied << " audits copied\n";
      return kExitClean;
    }
    if (*d_->dashboard_cmd) {
      Store store = open_existing(d_->db);
      DashboardSummary ds = write_dashboard(store, d_->out_dir);
      std::cout << "dashboard: " << d_->out_dir << "/index.html (run " << ds.run << ", " << ds.groups << " groups)\n";
      return kExitClean;
    }
  } catch (const std::invalid_argument& e) {
    throw RunError(kExitUsage, e.what());
  } catch (const SqlError& e) {
    throw RunError(kExitFatal, e.what());
  }
  return -1;
}

}  // namespace cc
