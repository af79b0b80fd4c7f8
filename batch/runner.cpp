#include "batch/runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "batch/activity.h"
#include "batch/dashboard.h"
#include "batch/fetch.h"
#include "batch/identity.h"
#include "engine/git_snapshot.h"
#include "engine/render.h"
#include "pipeline/audit.h"

namespace cc {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

constexpr std::uintmax_t kMaxRosterBytes = 64ull << 20;  // ~200 groups fit in a few KiB

long long ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

std::string random_uuid() {
  unsigned char b[16] = {};
  std::ifstream f("/dev/urandom", std::ios::binary);
  f.read(reinterpret_cast<char*>(b), sizeof b);
  std::string out;
  char hex[3];
  for (unsigned char c : b) {
    std::snprintf(hex, sizeof hex, "%02x", c);
    out += hex;
  }
  return out;
}

// What the result of an audit depends on besides the commit, engine and catalog.
std::string options_key(const RosterRow& row, const std::string& deadline) {
  json j;
  j["branch"] = row.branch;
  j["report"] = row.report;
  j["deadline"] = deadline;
  return j.dump();
}

struct Job {
  RunRow row;
  std::optional<PriorAudit> prior;
  std::string deadline;  // the row's, else the batch's --at
  pid_t pid = -1;
  Clock::time_point started;
  std::string result_path;
};

struct Settings {
  std::string cache, catalog_dir, engine, catalog, html_dir;
  int timeout_s = 900;
  std::uint64_t max_bytes = 0;
  int probe_threads = 0;  // 1 when several workers already share the cores
};

void write_result(const std::string& path, const json& j) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << j.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  fs::rename(tmp, path);
}

// The worker: fetch, resolve the commit, skip when unchanged, audit. Never returns.
[[noreturn]] void worker(const Job& job, const Settings& s) {
  json out;
  out["state"] = "failed";
  try {
    Clock::time_point t0 = Clock::now();
    FetchLimits limits;
    limits.deadline = job.started + std::chrono::seconds(s.timeout_s);
    limits.max_bytes = s.max_bytes;
    FetchResult f = fetch_mirror(job.row.row.repo, s.cache, cache_key(job.row.row.group, job.row.row.repo), limits);
    out["fetch_ms"] = ms_since(t0);
    if (!f.error.empty()) {
      out["reason"] = "fetch: " + f.error;
      write_result(job.result_path, out);
      _exit(0);
    }
    Clock::time_point t1 = Clock::now();
    SnapshotRequest req;
    req.repo_path = f.path;
    req.rev = job.row.row.branch.empty() ? "" : "refs/heads/" + job.row.row.branch;
    std::string tip = open_snapshot(req)->commit_id();
    req.at = job.deadline;
    std::string commit = req.at.empty() ? tip : open_snapshot(req)->commit_id();
    std::string options = options_key(job.row.row, job.deadline);
    out["commit"] = commit;
    out["tip"] = tip;
    out["options"] = options;
    const auto& p = job.prior;
    // The tip matters only with a deadline: later commits change the deadline findings.
    if (p && p->commit == commit && p->engine == s.engine && p->catalog == s.catalog && p->options == options &&
        (job.deadline.empty() || p->tip == tip)) {
      out["state"] = "unchanged";
      out["carried_audit"] = p->id;
    } else {
      AuditOptions a;
      a.repo = f.path;
      a.rev = req.rev;
      a.at = job.deadline;
      a.report = job.row.row.report;
      a.catalog_dir = s.catalog_dir;
      a.probe_threads = s.probe_threads;
      AuditResult r = run_audit(a);
      out["json"] = render_json(r);
      if (!s.html_dir.empty()) {  // the examiner's page for this group, linked by the dashboard
        std::shared_ptr<const Catalog> cat = load_catalog(a);
        RenderOptions ro;
        ro.questions = &cat->questions();
        std::error_code ec;
        fs::create_directories(s.html_dir, ec);
        std::ofstream html(fs::path(s.html_dir) / (safe_file_name(job.row.row.group) + ".html"), std::ios::binary);
        html << render_html(r, ro);
        if (!html) out["html_error"] = "the HTML report could not be written to " + s.html_dir;
      }
      try {
        out["activity"] = git_activity_json(f.path, commit);
      } catch (const std::exception& e) {
        out["activity"] = json{{"error", e.what()}}.dump();
      }
      out["state"] = "audited";
    }
    out["audit_ms"] = ms_since(t1);
  } catch (const SnapshotError& e) {
    out["reason"] = std::string("repository: ") + e.what();
  } catch (const RunError& e) {
    out["reason"] = std::string("audit: ") + e.what();
  } catch (const std::exception& e) {
    out["reason"] = std::string("internal error: ") + e.what();
  }
  try {
    write_result(job.result_path, out);
  } catch (...) {
    _exit(3);
  }
  _exit(0);
}

RepoOutcome read_outcome(const Job& job, int status, const rusage& ru, bool timed_out, const Settings& s) {
  RepoOutcome o;
  o.repo_id = job.row.repo_id;
  o.state = "failed";
  o.peak_kb = ru.ru_maxrss;
  std::ifstream f(job.result_path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  json j = text.empty() ? json() : json::parse(text, nullptr, false);
  std::error_code ec;
  fs::remove(job.result_path, ec);
  if (timed_out) {
    o.reason = "stopped after the time cap of " + std::to_string(s.timeout_s) + " s (fetch and audit)";
    return o;
  }
  if (!j.is_object()) {
    if (WIFSIGNALED(status))
      o.reason = "the audit process died (signal " + std::to_string(WTERMSIG(status)) + ")";
    else
      o.reason = "the audit process ended without a result (exit " + std::to_string(WEXITSTATUS(status)) + ")";
    return o;
  }
  o.state = j.value("state", "failed");
  o.reason = j.value("reason", "");
  o.commit = j.value("commit", "");
  o.tip = j.value("tip", "");
  o.options = j.value("options", "");
  o.json = j.value("json", "");
  o.activity = j.value("activity", "{}");
  o.carried_audit = j.value("carried_audit", 0LL);
  o.fetch_ms = j.value("fetch_ms", 0LL);
  o.audit_ms = j.value("audit_ms", 0LL);
  if (o.state == "unchanged") o.reason = "commit, engine and catalog as in audit " + std::to_string(o.carried_audit);
  return o;
}

std::string describe(const RepoOutcome& o) {
  if (o.state == "failed") return o.reason;
  std::string d = o.commit.substr(0, 7);
  if (o.state == "audited") {
    json j = json::parse(o.json, nullptr, false);
    if (j.is_object() && j.contains("summary")) {
      const auto& s = j["summary"];
      d += ": " + std::to_string(s.value("overclaimed", 0)) + " overclaimed, " + std::to_string(s.value("weak", 0)) +
           " weak, " + std::to_string(s.value("ok", 0)) + " ok";
    }
  }
  return d;
}

}  // namespace

BatchSummary run_batch(const BatchOptions& opt, const std::function<void(const BatchEvent&)>& on_event) {
  Store store(opt.db);
  BatchSummary sum;
  Settings s;
  s.engine = engine_version();
  json options;
  if (opt.resume) {
    auto r = store.latest_unfinished_run();
    if (!r) throw std::invalid_argument("no unfinished run in " + opt.db + " to resume");
    sum.run = *r;
    options = json::parse(r->options, nullptr, false);
    if (!options.is_object()) throw std::invalid_argument("run " + std::to_string(r->id) + " has unreadable options");
  } else {
    if (opt.cache.empty()) throw std::invalid_argument("--cache DIR is needed");
    std::ifstream f(opt.roster, std::ios::binary);
    if (!f) throw std::invalid_argument("cannot read the roster " + opt.roster);
    std::error_code size_ec;
    if (fs::file_size(opt.roster, size_ec) > kMaxRosterBytes)
      throw std::invalid_argument("the roster " + opt.roster + " is over 64 MiB: is it the right file?");
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::string base = fs::absolute(opt.roster).parent_path().string();
    Roster roster = parse_roster(text, base);
    sum.roster_problems = roster.skipped;
    std::vector<RosterRow> rows;
    if (!opt.shard.empty()) {
      Shard sh = parse_shard(opt.shard);
      for (auto& r : roster.rows)
        if (in_shard(r.group, sh)) rows.push_back(std::move(r));
    } else {
      rows = std::move(roster.rows);
    }
    if (!opt.at.empty()) {
      try {
        parse_instant(opt.at);  // a bad --at is a usage error before anything runs
      } catch (const SnapshotError& e) {
        throw std::invalid_argument(e.what());
      }
    }
    options["cache"] = fs::absolute(opt.cache).lexically_normal().string();
    options["catalog_dir"] = opt.catalog_dir.empty() ? "" : fs::absolute(opt.catalog_dir).string();
    options["html_dir"] = opt.html_dir.empty() ? "" : fs::absolute(opt.html_dir).string();
    options["timeout_s"] = opt.timeout_s;
    options["max_repo_mb"] = opt.max_repo_mb;
    RunInfo info;
    info.uuid = random_uuid();
    info.started = utc_now_iso();
    info.label = opt.label.empty() ? info.started.substr(0, 10) : opt.label;
    info.roster = fs::absolute(opt.roster).string();
    info.at = opt.at;
    info.shard = opt.shard;
    info.engine = s.engine;
    try {
      info.catalog = catalog_hash(options["catalog_dir"].get<std::string>());
    } catch (const std::runtime_error& e) {
      throw std::invalid_argument(e.what());  // a bad --catalog fails the run, not every audit
    }
    info.options = options.dump();
    info.skipped_rows = static_cast<long long>(roster.skipped.size());
    sum.run = store.begin_run(info, rows);
  }
  s.cache = opt.cache.empty() || !opt.resume ? options.value("cache", "") : fs::absolute(opt.cache).string();
  s.catalog_dir = options.value("catalog_dir", "");
  s.html_dir = options.value("html_dir", "");
  s.catalog = catalog_hash(s.catalog_dir);
  s.timeout_s = opt.resume ? options.value("timeout_s", 900) : opt.timeout_s;
  s.max_bytes = static_cast<std::uint64_t>((opt.resume ? options.value("max_repo_mb", 2048.0) : opt.max_repo_mb) *
                                           1048576.0);
  const std::string at = sum.run.at;

  fs::path results = fs::path(s.cache) / ".results";
  fs::create_directories(results);
  // One batch per cache: the workers treat lock files in the mirrors as stale. flock is released
  // by the kernel when this process dies, even by kill -9, so a resume can always take it.
  int lock_fd = open((fs::path(s.cache) / ".batch.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) throw std::invalid_argument("cannot create a lock file in the cache " + s.cache);
  if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    close(lock_fd);
    throw std::invalid_argument("another claimcheck batch is using the cache " + s.cache + "; wait for it to end");
  }
  struct Unlock {
    int fd;
    ~Unlock() { close(fd); }
  } unlock{lock_fd};
  int jobs = opt.jobs > 0 ? opt.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  s.probe_threads = jobs > 1 ? 1 : 0;  // the workers use the cores; one thread each

  std::deque<Job> queue;
  for (auto& r : store.rows(sum.run.id, true)) {
    Job j;
    j.prior = store.prior_audit(r.repo_id);
    j.deadline = r.row.deadline.empty() ? at : r.row.deadline;
    j.result_path = (results / ("run" + std::to_string(sum.run.id) + "-" + std::to_string(r.repo_id) + ".json")).string();
    j.row = std::move(r);
    queue.push_back(std::move(j));
  }
  for (const auto& p : sum.roster_problems) {
    BatchEvent skipped;
    skipped.kind = BatchEvent::kSkippedRow;
    skipped.line = p.line;
    skipped.detail = p.detail;
    on_event(skipped);
  }
  RunCounts before = store.counts(sum.run.id);
  BatchEvent ev;
  ev.total = before.audited + before.unchanged + before.failed + before.pending;
  ev.done = ev.total - before.pending;
  ev.failed = before.failed;

  std::map<pid_t, Job> running;
  const pid_t parent = getpid();
  auto in_flight = [&] {
    std::vector<std::pair<int, std::string>> v;
    for (const auto& [pid, j] : running) v.emplace_back(j.row.row.line, j.row.row.group);
    std::sort(v.begin(), v.end());
    std::vector<std::string> out;
    for (auto& p : v) out.push_back(p.second);
    return out;
  };
  std::fflush(nullptr);  // buffered output must not be written twice by the children
  {
    // Built-in data parsed here once, not in every worker: a fork shares it (copy on write).
    AuditOptions warm;
    warm.catalog_dir = s.catalog_dir;
    try {
      preload_builtin_data(warm);
    } catch (const std::exception&) {
      // A bad --catalog is every worker's own error, reported per group as before.
    }
  }
  while (!queue.empty() || !running.empty()) {
    while (!queue.empty() && static_cast<int>(running.size()) < jobs) {
      Job j = std::move(queue.front());
      queue.pop_front();
      std::error_code ec;
      fs::remove(j.result_path, ec);  // a stale result of a killed run is not this run's
      j.started = Clock::now();
      pid_t pid = fork();
      if (pid < 0) throw std::runtime_error("cannot start a worker process");
      if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed batch takes its workers with it
        if (getppid() != parent) _exit(1);
        worker(j, s);
      }
      j.pid = pid;
      running.emplace(pid, std::move(j));
      ev.kind = BatchEvent::kStarted;
      ev.group = running[pid].row.row.group;
      ev.in_flight = in_flight();
      on_event(ev);
    }
    int status = 0;
    rusage ru{};
    pid_t pid = wait4(-1, &status, WNOHANG, &ru);
    if (pid <= 0) {
      // Nothing ended: enforce the time caps, then look again shortly.
      for (auto& [p, j] : running)
        if (Clock::now() - j.started > std::chrono::seconds(s.timeout_s)) kill(p, SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    Job j = std::move(it->second);
    running.erase(it);
    bool timed_out = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
                     Clock::now() - j.started > std::chrono::seconds(s.timeout_s);
    RepoOutcome o = read_outcome(j, status, ru, timed_out, s);
    store.record(sum.run.id, o, s.engine, s.catalog);
    ++ev.done;
    if (o.state == "failed") ++ev.failed;
    ev.kind = BatchEvent::kFinished;
    ev.group = j.row.row.group;
    ev.state = o.state;
    ev.detail = describe(o);
    ev.in_flight = in_flight();
    on_event(ev);
  }
  store.finish_run(sum.run.id);
  sum.run = *store.run(sum.run.id);
  sum.counts = store.counts(sum.run.id);
  return sum;
}

}  // namespace cc
