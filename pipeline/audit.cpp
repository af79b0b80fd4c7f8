#include "pipeline/audit.h"
#include "pipeline/stats.h"


#include <algorithm>
#include <atomic>
#include <chrono>  // time budget (issue 11)
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <sstream>
#include <system_error>
#include <thread>
#include <tuple>
#include <ctime>  // answer claims (issue 5)


#include "engine/claims_judge.h"  // answer claims (issue 5)
#include "engine/embedded.h"
#include "engine/git_snapshot.h"
#include "engine/heap_pages.h"
#include "engine/history.h"
#include "engine/memory_snapshot.h"
#include "engine/rules.h"
#include "engine/strings.h"
#include "engine/test_count.h"
#include "engine/yaml_pack.h"
#include "pipeline/dvc_history.h"
#include "pipeline/report_discovery.h"
#include "probes/probe.h"
#include "probes/read/parse_cache.h"  // --stats: how many Python files were parsed
#include "probes/secret_detectors.h"  // hygiene (issue 12)
#include "reports/answer_claims.h"  // answer claims (issue 5)
#include "reports/claims.h"
#include "reports/contradictions.h"
#include "reports/report.h"
#include "reports/template_catalog.h"

namespace cc {
namespace {

constexpr const char* kDefaultReport = "reports/README.md";
constexpr std::uint64_t kReportCap = 8ull * 1024 * 1024;

// A whole file's bytes (the caller has checked that it is a regular file, and its size).
std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::unique_ptr<Snapshot> open(const AuditOptions& opt) {
  SnapshotRequest req;
  req.repo_path = opt.repo;
  req.rev = opt.rev;
  req.at = opt.at;
  req.worktree = opt.worktree;
  try {
    return open_snapshot(req);
  } catch (const SnapshotError& e) {
    throw RunError(kExitFatal, e.what());
  }
}

// --- time budget (issue 11) -------------------------------------------------------------------
// --time-budget: the audit starts no new probe or stage once the budget is spent; a stage that
// has started runs to its end (each is bounded by its own caps). What was skipped becomes one
// input problem naming the cap, and no item is accused on the evidence that was never read.
class TimeBudget {
 public:
  explicit TimeBudget(double seconds)
      : enabled_(seconds >= 0),
        end_(std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                 std::chrono::duration<double>(enabled_ ? seconds : 0))),
        seconds_(seconds) {}
  // True (and `what` recorded as skipped) when the budget is spent before `what` starts.
  bool skip(const std::string& what) {
    if (!enabled_ || std::chrono::steady_clock::now() < end_) return false;
    std::lock_guard<std::mutex> lock(mu_);  // probes ask from two threads
    skipped_.push_back(what);
    return true;
  }
  bool skipped_evidence() const { return skipped_evidence_; }
  void mark_evidence() { skipped_evidence_ = skipped_evidence_ || !skipped_.empty(); }
  // "the time budget of 2.5 s (--time-budget) was spent: not run": the same words for every
  // skipped probe, so that the input problems merge into one line listing the probes.
  std::string cap() const {
    std::ostringstream secs;
    secs << seconds_;
    return "the time budget of " + secs.str() + " s (--time-budget) was spent: not run";
  }
  // The stages after the probes that were skipped, as one problem (probes report their own).
  void report_stages(FactStore& facts) const {
    std::string list;
    for (const auto& s : skipped_)
      if (s.rfind("probe ", 0) != 0) list += (list.empty() ? "" : ", ") + s;
    if (!list.empty()) facts.problem("", 0, cap() + ": " + list, "time-budget");
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point end_;
  double seconds_;
  std::mutex mu_;
  std::vector<std::string> skipped_;
  bool skipped_evidence_ = false;  // a probe or the history was skipped (not only claim checks)
};

// Items whose evidence was cut short by the budget: a status that would accuse (partial, absent)
// is not shown as one, unless the report itself says the item was not done.
void unaccuse_after_budget(std::vector<ItemVerdict>& checklist) {
  for (ItemVerdict& v : checklist) {
    if (v.contradiction || (v.status != "partial" && v.status != "absent")) continue;
    v.status = "unverifiable";
    v.verdict = verdict_for(v.status, v.ticked);
    v.reason = "the time budget (--time-budget) ran out before every probe and the history were "
               "read, so a missing piece proves nothing; " + v.reason;
  }
}
// --- end time budget ---------------------------------------------------------------------------

// The probes of one audit, on `threads` threads (the caller's and threads - 1 helpers). The
// probes that read no past start at once on the helpers, while the caller walks the history;
// finish() hands over the walk's past versions, runs the past readers first (the longest probes)
// and then what is left of the queue beside the helpers. Each probe writes its own fact store,
// merged in registry order: the facts do not depend on the threads or on who ran what.
class ProbeRun {
 public:
  ProbeRun(const Snapshot& snap, TimeBudget* budget, AuditStats* stats, int threads)
      : snap_(snap), budget_(budget), stats_(stats), probes_(all_probes(unsigned(std::max(threads, 1)))),
        out_(probes_.size()) {
    for (std::size_t k = 0; k < probes_.size(); ++k) (probes_[k]->reads_past() ? past_queue_ : head_queue_).push_back(k);
    // The costliest first, so that the short ones fill in around them (longest processing time
    // first); registry order among equals.
    std::stable_sort(head_queue_.begin(), head_queue_.end(),
                     [this](std::size_t a, std::size_t b) { return probes_[a]->cost() > probes_[b]->cost(); });
    // Every probe's announced reads before any probe reads (a tree is then kept until its last
    // announced reader has it). Only a hint: a probe that cannot tell still runs as it would.
    for (const auto& p : probes_) {
      try {
        p->declare_reads(snap_);
      } catch (const std::exception&) {
      }
    }
    for (int t = 1; t < threads; ++t) {
      try {
        helpers_.emplace_back([this] { help(); });
      } catch (const std::system_error&) {  // no thread to be had: the caller does the rest
        break;
      }
    }
  }
  ~ProbeRun() { join(); }  // finish() not reached (an exception): the helpers still end

  void finish(const PastVersions& past, FactStore& facts) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      past_ = &past;
      past_ready_ = true;
    }
    ready_.notify_all();
    drain(past_queue_, next_past_, past);
    drain(head_queue_, next_head_, kNoPast);
    join();
    if (stats_) stats_->count("Python files parsed", long(snap_.artifacts().made(kPythonTreeKind)));
    for (auto& f : out_) facts.absorb(std::move(f));
    facts.redact();  // a probe may quote a line holding a secret another one found (issue 12)
    facts.sort();
  }

 private:
  void help() {
    advise_thread_heap();
    drain(head_queue_, next_head_, kNoPast);
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [this] { return past_ready_; });
    if (cancelling_) return;  // unwinding: no past was handed over
    const PastVersions* past = past_;
    lock.unlock();
    drain(past_queue_, next_past_, *past);
  }

  void drain(const std::vector<std::size_t>& queue, std::atomic<std::size_t>& next, const PastVersions& past) {
    for (std::size_t i; !cancelling_ && (i = next.fetch_add(1)) < queue.size();) run_one(queue[i], past);
  }

  void run_one(std::size_t k, const PastVersions& past) {
    const Probe& p = *probes_[k];
    AuditStats::Scope timed(stats_, "  probe " + p.id());
    if (budget_ && budget_->skip("probe " + p.id())) {
      // Attributed to the probe, as an unreadable file is: rules that weigh a probe's problems
      // (the test count and pytest) treat its missing facts as unknown, not as absent.
      out_[k].problem("", 0, budget_->cap(), p.id());
      return;
    }
    try {
      p.run_with_past(snap_, past, out_[k]);
    } catch (const std::exception& e) {
      // A probe bug must not take the audit down: report it as a partial result.
      out_[k].problem("", 0, "probe " + p.id() + " stopped early: " + e.what(), p.id());
    }
  }

  void join() {
    if (helpers_.empty()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!past_ready_) {  // unwinding before finish(): the helpers stop after their probe
        cancelling_ = true;
        past_ready_ = true;
      }
    }
    ready_.notify_all();
    for (auto& h : helpers_) h.join();
    helpers_.clear();
  }

  static inline const PastVersions kNoPast{};  // for the probes that read no past
  const Snapshot& snap_;
  TimeBudget* budget_;
  AuditStats* stats_;
  const std::vector<std::unique_ptr<Probe>> probes_;
  std::vector<FactStore> out_;
  std::vector<std::size_t> head_queue_, past_queue_;  // registry indexes
  std::atomic<std::size_t> next_head_{0}, next_past_{0};
  std::mutex mu_;
  std::condition_variable ready_;
  const PastVersions* past_ = nullptr;
  bool past_ready_ = false;
  std::atomic<bool> cancelling_{false};  // unwinding: the helpers start no new probe
  std::vector<std::thread> helpers_;
};

void run_probes(const Snapshot& snap, FactStore& facts, const PastVersions& past = {},
                TimeBudget* budget = nullptr, AuditStats* stats = nullptr, int threads = 1) {
  ProbeRun run(snap, budget, stats, threads);
  run.finish(past, facts);
}

int probe_threads(const AuditOptions& opt) {
  if (opt.probe_threads > 0) return opt.probe_threads;
  return std::thread::hardware_concurrency() >= 2 ? 2 : 1;
}

// The history of the audited commit, walked once per audit: provenance and the answer claims
// both read it. `error` says why it could not be read (then `history` is empty).
struct AuditedHistory {
  std::optional<History> history;
  std::string error;
  // With --at, HEAD's history is walked too (deadline findings): the two walks share the tree
  // diffs of the commits they both reach, computed once.
  std::shared_ptr<HistoryDiffs> diffs;
};

AuditedHistory walk_history(const Snapshot& snap, const AuditOptions& opt) {
  AuditedHistory a;
  HistoryOptions ho;
  if (!opt.at.empty()) ho.diffs = a.diffs = make_history_diffs();
  try {
    a.history = History::of(snap, opt.repo, ho);
  } catch (const std::exception& e) {
    a.error = e.what();
  }
  return a;
}

// --- past versions and hygiene (issue 12) ------------------------------------------------------
// The probes that read past versions of files (secrets, committed-data) get the walk's versions
// and a reader of blobs by id: the audited commit's repository, or HEAD's for a worktree audit.
struct PastReader {
  std::unique_ptr<Snapshot> head;  // worktree audit: HEAD, whose repository reads the blobs
  std::unique_ptr<GitSnapshot> objects;  // the past's own reader (may run on another thread)
  PastVersions past;
};

// A second reader of a repository's objects, opened on its first read (from the thread that reads
// beside the first); the snapshot's own reader, under its lock, if it cannot be opened.
class ReaderBeside {
 public:
  explicit ReaderBeside(const GitSnapshot& source) : source_(source) {}
  Blob read(const std::string& id, std::uint64_t cap) {
    std::call_once(once_, [this] {
      try {
        own_ = source_.object_reader();
      } catch (const std::exception&) {
      }
    });
    return (own_ ? *own_ : source_).read_object(id, cap);
  }

 private:
  const GitSnapshot& source_;
  std::once_flag once_;
  std::unique_ptr<GitSnapshot> own_;
};

// `objects`: a reader of the audited commit's objects already open (the walk's own), or null.
// With `threads` > 1, a second reader is offered for reading beside the first.
PastReader past_of(const Snapshot& snap, const AuditedHistory& hist, const AuditOptions& opt,
                   std::unique_ptr<GitSnapshot> objects = nullptr, int threads = 1) {
  PastReader p;
  if (!hist.history) return p;
  const auto* g = dynamic_cast<const GitSnapshot*>(&snap);
  if (!g && snap.commit_id() == "worktree") {
    try {
      AuditOptions head = opt;
      head.worktree = false;
      head.at.clear();
      p.head = open(head);
      g = dynamic_cast<const GitSnapshot*>(p.head.get());
    } catch (const std::exception&) {
      return p;  // no commit to read past versions from: the probes read the worktree only
    }
  }
  if (!g) return p;
  try {
    p.objects = objects && !p.head ? std::move(objects) : g->object_reader();
    g = p.objects.get();
  } catch (const std::exception&) {
    // The snapshot's own handle still reads the past (one thread at a time, under its lock).
  }
  p.past.history = &*hist.history;
  p.past.read_blob = [g](const std::string& id, std::uint64_t cap) { return g->read_object(id, cap); };
  if (threads > 1) {
    auto beside = std::make_shared<ReaderBeside>(*g);
    p.past.read_blob_beside = [beside](const std::string& id, std::uint64_t cap) { return beside->read(id, cap); };
  }
  return p;
}

// hygiene[]: the secrets probe's findings first (in the audited commit first), then the
// committed-data probe's (in the audited commit first, largest first); notes from their scans.
void collect_hygiene(const FactStore& facts, AuditResult& r) {
  auto line_of = [](const Fact* f) { return f->where.line; };
  std::vector<const Fact*> secrets = facts.of_kind("secret.found");
  std::stable_sort(secrets.begin(), secrets.end(), [&](const Fact* a, const Fact* b) {
    return std::make_tuple(a->attr("in_head") != "yes", a->where.path, line_of(a)) <
           std::make_tuple(b->attr("in_head") != "yes", b->where.path, line_of(b));
  });
  for (const Fact* f : secrets)
    r.hygiene.push_back({"secret", f->where.path, f->where.line, f->attr("commit"), f->detail,
                         f->attr("in_head") == "yes"});
  std::vector<const Fact*> data = facts.of_kind("data.committed");
  auto size = [](const Fact* f) { return std::stoull("0" + f->attr("size")); };
  std::stable_sort(data.begin(), data.end(), [&](const Fact* a, const Fact* b) {
    return std::make_tuple(a->attr("in_head") != "yes", -static_cast<double>(size(a)), a->where.path) <
           std::make_tuple(b->attr("in_head") != "yes", -static_cast<double>(size(b)), b->where.path);
  });
  for (const Fact* f : data)
    r.hygiene.push_back({f->attr("kind"), f->where.path, 0, f->attr("commit"), f->detail, f->attr("in_head") == "yes"});
  for (const Fact* f : facts.of_kind("secret.scan"))
    if (f->attr("capped") == "yes" || f->attr("too_large") != "0" || f->attr("history") != "yes" ||
        f->attr("unlisted") != "0")
      r.hygiene_notes.push_back(f->detail);
  for (const Fact* f : facts.of_kind("data.scan")) r.hygiene_notes.push_back(f->detail);
}

// --- end past versions and hygiene --------------------------------------------------------------


// --- provenance (issue 3) ---------------------------------------------------------------------
// The history gives every fact's origin: "scaffold-stock" when its file is still the
// template's, unchanged since the scaffold commit, else "group" (also facts without a path).
// Returns the scaffold commit for the rules' stock downgrade.
EvalContext apply_provenance(const AuditedHistory& hist, FactStore& facts) {
  EvalContext ctx;
  try {
    if (!hist.history) throw std::runtime_error(hist.error);
    const History& h = *hist.history;
    if (const CommitInfo* s = h.scaffold()) ctx.scaffold_commit = s->id;
    // A cut or damaged history (its length cap, a corrupt commit) makes origins partial: said,
    // never silent (issue 11).
    for (const auto& n : h.notes()) facts.problem("", 0, "history: " + n, "history");
    std::map<std::string, std::string> origin;  // per path: many facts share a file
    // In place: the store also keeps the secrets its probes found (masking later texts).
    for (Fact& f : facts.all_mutable()) {
      if (!f.where.path.empty() && f.kind != kInputProblem) {
        auto it = origin.find(f.where.path);
        if (it == origin.end()) it = origin.emplace(f.where.path, h.origin_of(f.where.path)).first;
        f.origin = it->second;
      }
    }
    facts.sort();
  } catch (const std::exception& e) {
    facts.problem("", 0, std::string("the history could not be read (") + e.what() +
                             "): every file counts as the group's", "history");
    facts.sort();
  }
  return ctx;
}
// --- end provenance ----------------------------------------------------------------------------

// Replace invalid UTF-8 and NUL bytes so that a damaged report still parses (and say so).
std::string sanitize(std::string_view in, bool& changed) {
  changed = false;
  if (in.find('\0') == std::string_view::npos && is_valid_utf8(in)) return std::string(in);  // the usual report
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  while (i < in.size()) {
    unsigned char c = in[i];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (c == 0 || len == 0 || i + len > in.size() || !is_valid_utf8(in.substr(i, len))) {
      out += "\xEF\xBF\xBD";
      changed = true;
      ++i;
      continue;
    }
    out.append(in.substr(i, len));
    i += len;
  }
  return out;
}

struct LoadedReport {
  std::string text;
  std::optional<Report> parsed;  // parse_report(text, path), when finding the report parsed it
  std::string path;
  std::string source;
  std::string found_by;    // "default" | "option" | "search"
  std::string found_note;  // with "search": what was taken and why
  std::vector<std::string> problems;
};

// "a.md, b.md, c.md and 4 more": the files a failed report search read.
std::string list_paths(const std::vector<std::string>& paths) {
  constexpr size_t kListed = 5;
  std::string s;
  for (size_t i = 0; i < paths.size() && i < kListed; ++i) s += (i ? ", " : "") + paths[i];
  if (paths.size() > kListed) s += " and " + std::to_string(paths.size() - kListed) + " more";
  return s;
}

// The report: --report as given; else reports/README.md when it looks like a report (a checklist
// item or a "Question N" heading); else the best markdown file of the commit (report_discovery.h).
LoadedReport load_report(const Snapshot& snap, const AuditOptions& opt) {
  LoadedReport r;
  std::string raw;
  if (!opt.report.empty()) {
    auto in_repo = normalize_repo_path("", opt.report);
    if (in_repo && snap.exists(*in_repo)) {
      Blob b = snap.read(*in_repo, kReportCap);
      if (!b.ok())
        throw RunError(kExitFatal, "cannot read the report " + *in_repo + ": " + b.note +
                                       " (give another one with --report PATH)");
      raw = std::move(b.data);
      r.path = *in_repo;
      r.source = "repo";
    } else if (std::filesystem::is_regular_file(opt.report)) {
      std::error_code ec;
      auto size = std::filesystem::file_size(opt.report, ec);
      if (ec || size > kReportCap)
        throw RunError(kExitFatal, "the report file " + opt.report + " is larger than " +
                                       std::to_string(kReportCap) + " bytes");
      raw = read_file(opt.report);
      r.path = opt.report;
      r.source = "file";
    } else {
      throw RunError(kExitFatal, "no report at " + opt.report + " in " + snap.describe() +
                                     " (give its path with --report PATH, in the repository or a file)");
    }
    r.found_by = "option";
  } else {
    std::string why_not;  // why reports/README.md is not the report
    if (!snap.exists(kDefaultReport)) {
      why_not = std::string("there is no ") + kDefaultReport;
    } else if (Blob b = snap.read(kDefaultReport, kReportCap); !b.ok()) {
      why_not = std::string(kDefaultReport) + " cannot be read (" + b.note + ")";
    } else if (Report parsed = parse_report(b.data, kDefaultReport); !looks_like_report(parsed)) {
      why_not = std::string(kDefaultReport) + " has no checklist and no questions";
    } else {
      r.parsed.emplace(std::move(parsed));
      raw = std::move(b.data);
      r.path = kDefaultReport;
      r.source = "repo";
      r.found_by = "default";
    }
    if (!why_not.empty()) {
      FoundReport found = search_report(snap, kDefaultReport, why_not);
      if (!found.found) {
        std::string looked = found.looked_at.empty()
                                 ? "no other markdown file to read"
                                 : "none of the markdown files read (" + list_paths(found.looked_at) +
                                       ") has a checklist item or a \"Question N\" heading";
        if (found.passed_over > 0)
          looked += "; " + std::to_string(found.passed_over) +
                    " more were passed over (too large, binary or past the cap)";
        throw RunError(kExitFatal, "no report in " + snap.describe() + ": " + why_not + ", and " + looked +
                                       " (give its path with --report PATH, in the repository or a file)");
      }
      raw = std::move(found.text);
      r.path = found.path;
      r.source = "repo";
      r.found_by = "search";
      r.found_note = found.note;
    }
  }
  bool changed = false;
  r.text = sanitize(raw, changed);
  if (changed) {
    r.problems.push_back("the report holds bytes that are not UTF-8 text; they were replaced");
    r.parsed.reset();  // of the text before the replacement
  }
  return r;
}

}  // namespace

namespace {
// The built-in templates and contradiction rules sit beside the catalog's rule files but have
// loaders of their own (template_versions, ContradictionRules::builtin): the catalog skips them
// rather than parse 60 KB to find no rule in them.
bool reads_own_file(std::string_view name) {
  return name == "catalog/templates.yaml" || name == "catalog/contradictions.yaml";
}
}  // namespace

std::shared_ptr<const Catalog> load_catalog(const AuditOptions& opt) {
  if (opt.catalog_dir.empty()) {
    static std::shared_ptr<const Catalog> builtin;
    static std::mutex mu;
    std::lock_guard<std::mutex> lock(mu);
    if (!builtin) {  // a bad built-in catalog throws here, every time it is asked for
      auto cat = std::make_shared<Catalog>();
      try {
        for (const auto& f : embedded_catalog())  // the trees read at build time
          if (!reads_own_file(f.name)) cat->load(std::string(f.name), embedded_yaml(f), /*compile_now=*/false);
        cat->validate();
      } catch (const CatalogError& e) {
        throw RunError(kExitFatal, std::string("bad catalog: ") + e.what());
      }
      builtin = std::move(cat);
    }
    return builtin;
  }
  auto cat = std::make_shared<Catalog>();
  try {
    {
      std::vector<std::filesystem::path> files;
      std::error_code ec;
      for (const auto& e : std::filesystem::directory_iterator(opt.catalog_dir, ec))
        if (e.path().extension() == ".yaml") files.push_back(e.path());
      if (ec || files.empty())
        throw RunError(kExitUsage, "no *.yaml catalog files in " + opt.catalog_dir);
      std::sort(files.begin(), files.end());
      for (const auto& p : files) cat->load(p.string(), read_file(p));
    }
    cat->validate();
  } catch (const CatalogError& e) {
    throw RunError(kExitFatal, std::string("bad catalog: ") + e.what());
  }
  return cat;
}

namespace {

// contradictions.yaml: from --catalog DIR when it has one (read into `own`), else the built-in
// rules, compiled once per process (their hundreds of patterns are not rebuilt for every audit).
const ContradictionRules& load_contradictions(const AuditOptions& opt, std::optional<ContradictionRules>& own) {
  try {
    if (!opt.catalog_dir.empty()) {
      std::filesystem::path p = std::filesystem::path(opt.catalog_dir) / "contradictions.yaml";
      if (std::filesystem::is_regular_file(p)) {
        own.emplace();
        own->load(read_file(p), p.string());
        return *own;
      }
    }
    return ContradictionRules::builtin();
  } catch (const ContradictionError& e) {
    throw RunError(kExitFatal, std::string("bad catalog: ") + e.what());
  }
}

// The report's own answers against its items (DESIGN.md's accusation policy): an answer saying
// an item was not done drops its status (supported/partial -> partial, absent/unverifiable ->
// absent) with the quote as evidence; an answer saying the thing lives outside this repository
// turns "absent" into "unverifiable".
// The catalog rule of a checklist item: its family's, else another family's (a report may carry
// an item of another year); null when none matches.
const ItemRule* rule_of(const ChecklistItem& item, const std::string& family, const Catalog& cat) {
  const ItemRule* rule = cat.match_item(family, item.text);
  for (const auto& other : cat.families())
    if (!rule) rule = cat.match_item(other, item.text);
  return rule;
}

// The distinct catalog rules of a report's checklist items, in checklist order.
std::vector<const ItemRule*> rules_of(const Report& report, const std::string& family, const Catalog& cat) {
  std::vector<const ItemRule*> out;
  for (const auto& item : report.checklist)
    if (const ItemRule* rule = rule_of(item, family, cat))
      if (std::find(out.begin(), out.end(), rule) == out.end()) out.push_back(rule);
  return out;
}

// What the report's answers say against its items (`items`: their rules, rules_of): it depends on
// the report and the items' rules, not on the facts, so it is looked for beside other work.
std::vector<Contradiction> find_contradictions(const ContradictionRules& rules, const Report& report,
                                               const std::vector<const ItemRule*>& items) {
  std::vector<std::string> ids;
  for (const ItemRule* rule : items)
    if (std::find(ids.begin(), ids.end(), rule->id) == ids.end()) ids.push_back(rule->id);
  if (ids.empty() || rules.empty()) return {};
  return rules.find(report, ids);
}

void apply_contradictions(const std::vector<Contradiction>& found, const LoadedReport& lr,
                          std::vector<ItemVerdict>& items) {
  const std::string where = lr.source == "repo" ? lr.path : "";
  for (const Contradiction& c : found) {
    for (auto& v : items) {
      if (v.rule != c.item || v.status == "not-checked") continue;
      Evidence quote{where, c.line, "question " + std::to_string(c.question) + ": \"" + c.quote + "\"", "report"};
      if (c.kind == "not-done") {
        const bool shows = v.status == "supported" || v.status == "partial";
        v.status = shows ? "partial" : "absent";
        v.reason = "The report's answer to question " + std::to_string(c.question) + " says it was not done (\"" +
                   c.cue + "\"). What the repository shows: " + v.reason;
        v.contradiction = ReportQuote{c.question, c.line, c.quote, c.cue};
        v.evidence.insert(v.evidence.begin(), quote);
      } else if (v.status == "absent") {
        v.status = "unverifiable";
        v.reason = "The report's answer to question " + std::to_string(c.question) +
                   " says this lives outside the repository, so the repository cannot show it. " + v.reason;
        v.evidence.insert(v.evidence.begin(), quote);
      } else {
        v.notes.push_back({"the report says it lives outside this repository: \"" + c.quote + "\"", where, c.line});
        continue;
      }
      if (v.looked_for.empty()) v.looked_for = "the item done in this repository, and an answer that agrees with the tick";
      v.verdict = verdict_for(v.status, v.ticked);
    }
  }
}

ItemVerdict judge_item(const ChecklistItem& item, const std::string& family, const Catalog& cat,
                       const FactStore& facts, const EvalContext& ctx,
                       std::map<std::string, CheckResult>& cache) {
  ItemVerdict v;
  v.text = item.text;
  v.ticked = item.ticked;
  v.mark = item.mark;
  v.line = item.line;
  const ItemRule* rule = rule_of(item, family, cat);
  v.module = !item.module.empty() ? item.module : rule ? rule->module : "";
  if (!rule) {
    v.status = "not-checked";
    v.reason = "No catalog rule matches this item's wording.";
  } else if (rule->check.empty()) {
    v.rule = rule->id;
    v.status = "not-checked";
    v.reason = "claimcheck has no check for this item yet.";
  } else {
    v.rule = rule->id;
    const Check* check = cat.check(rule->check);
    auto it = cache.find(check->id);
    if (it == cache.end()) it = cache.emplace(check->id, cat.evaluate(*check, facts, ctx)).first;
    v.status = it->second.status;
    v.reason = it->second.reason;
    v.evidence = it->second.evidence;
    v.notes = it->second.notes;
    if (v.status != "supported") v.looked_for = check->looked_for;
  }
  v.verdict = verdict_for(v.status, v.ticked);
  if (item.odd_mark)
    v.reason += " The box holds '" + item.mark + "', which is neither [x] nor [ ].";
  return v;
}

TestCountCheck judge_tests(const TestCountClaim& claim, const FactStore& facts) {
  TestCountCheck t;
  t.question = claim.question;
  t.quote = claim.quote;
  t.claimed = claim.claimed;
  t.claimed_max = claim.claimed_max;
  t.claimed_files = claim.files_claimed;
  t.wording = claim.wording;
  t.qualifier = claim.qualifier;
  t.unit = claim.unit;
  t.note = claim.note;
  bool partial = false;
  for (const Fact* f : facts.of_kind("pytest.summary")) {
    t.files = std::stoll("0" + f->attr("files"));
    t.functions = std::stoll("0" + f->attr("functions"));
    t.items = std::stoll("0" + f->attr("items"));
    t.items_exact = f->attr("items_exact") != "no";
  }
  for (const Fact* f : facts.of_kind(kInputProblem)) partial = partial || f->attr("probe") == "pytest";
  judge_test_count(t, partial);
  return t;
}

// --- answer claims and deadline (issue 5) ------------------------------------------------------
// Coverage, paths, figures and CI prose of the answers, judged against the snapshot and facts;
// `seen_at` and, with --at, the deadline findings from one history: of HEAD (or --rev) when --at
// is given and HEAD is a later commit (it holds the deadline commit and what came later: a second
// walk, since History answers for the commit it starts from), else the audited commit's, the walk
// provenance already read.

class HistorySeen : public PathSeenLookup {
 public:
  HistorySeen(const History& h, std::int64_t audited_time) : h_(h), audited_time_(audited_time) {}
  std::optional<SeenAt> seen_at(std::string_view path) const override {
    auto ph = h_.path(path);
    if (!ph) return std::nullopt;
    if (ph->present && ph->added) {  // the walk is of a later commit (--at): it came after
      const CommitInfo& c = *ph->added;
      return SeenAt{c.id, commit_date(c),
                    "added later, in " + short_id(c.id) + " (" + commit_date(c) + ")" +
                        (c.commit_time > audited_time_ ? ", after the audited commit" : "")};
    }
    const CommitInfo* c = ph->last_seen ? ph->last_seen : ph->first_seen;
    if (!c) return std::nullopt;
    std::string detail = "existed at " + short_id(c->id) + " (" + commit_date(*c) + ")";
    if (ph->first_seen && ph->first_seen != c)
      detail = "existed from " + short_id(ph->first_seen->id) + " (" + commit_date(*ph->first_seen) + ") to " +
               short_id(c->id) + " (" + commit_date(*c) + ")";
    return SeenAt{c->id, commit_date(*c), detail};
  }

 private:
  const History& h_;
  std::int64_t audited_time_;
};

// The commit after `deadline` that brought a path to its state, or null.
const CommitInfo* late_commit(const History& h, const std::string& path, std::int64_t deadline) {
  auto ph = h.path(path);
  if (!ph || !ph->present) return nullptr;
  if (ph->added && ph->added->commit_time > deadline) return ph->added;
  if (ph->last_changed && ph->last_changed->commit_time > deadline) return ph->last_changed;
  return nullptr;
}

void deadline_findings(const Snapshot& snap, const Snapshot& head, const History& h, const AuditOptions& opt,
                       const LoadedReport& lr, const Report& report, const std::string& family,
                       const Catalog& cat, AuditResult& r) {
  DeadlineCheck d;
  d.deadline = opt.at;
  d.audited_commit = snap.commit_id();
  std::int64_t deadline = 0;
  try {
    deadline = parse_instant(opt.at);
  } catch (const std::exception& e) {
    d.note = std::string("the deadline could not be read: ") + e.what();
    r.claims.deadline = std::move(d);
    return;
  }
  constexpr std::int64_t kLastHours = 6;
  // Report edits after the deadline.
  if (lr.source == "repo")
    if (const CommitInfo* c = late_commit(h, lr.path, deadline))
      d.findings.push_back({"report-edited-after", lr.path, 0, c->id, commit_date(*c),
                            "the report was changed after the deadline, in " + short_id(c->id) + " (" +
                                commit_date(*c) + "): " + c->summary});
  // Items absent at the deadline: does HEAD show them, and since when? (probes re-run at HEAD, once)
  bool any_absent = false;
  for (const auto& i : r.checklist) any_absent = any_absent || i.status == "absent";
  if (any_absent && head.commit_id() != snap.commit_id()) {
    FactStore hf;
    run_probes(head, hf, {}, nullptr, nullptr, probe_threads(opt));
    EvalContext ctx;
    if (const CommitInfo* s = h.scaffold()) ctx.scaffold_commit = s->id;
    std::map<std::string, CheckResult> cache;
    for (size_t k = 0; k < r.checklist.size() && k < report.checklist.size(); ++k) {
      const ItemVerdict& at_deadline = r.checklist[k];
      if (at_deadline.status != "absent") continue;
      ItemVerdict later = judge_item(report.checklist[k], family, cat, hf, ctx, cache);
      if (later.status != "supported" && later.status != "partial") continue;
      const CommitInfo* first = nullptr;
      std::string where;
      for (const auto& e : later.evidence) {
        const CommitInfo* c = e.path.empty() ? nullptr : late_commit(h, e.path, deadline);
        if (c && (!first || c->commit_time < first->commit_time)) {
          first = c;
          where = e.path;
        }
      }
      DeadlineFinding f{"appeared-later", at_deadline.text, at_deadline.line, "", "", ""};
      if (first) {
        f.commit = first->id;
        f.date = commit_date(*first);
        f.detail = "absent at the deadline, " + later.status + " at " + short_id(head.commit_id()) + ": " + where +
                   " came in " + short_id(first->id) + " (" + f.date + ")";
      } else {
        f.detail = "absent at the deadline, " + later.status + " at " + short_id(head.commit_id()) +
                   " (the commit that brought it is not known)";
      }
      d.findings.push_back(std::move(f));
    }
  }
  // Evidence whose only commits are in the last hours before the deadline.
  for (const auto& i : r.checklist) {
    if (!i.ticked || (i.status != "supported" && i.status != "partial")) continue;
    const CommitInfo* latest = nullptr;
    bool all_late = false;
    for (const auto& e : i.evidence) {
      if (e.path.empty()) continue;
      auto ph = h.path(e.path);
      const CommitInfo* added = ph ? ph->added : nullptr;
      bool late = added && added->commit_time <= deadline && added->commit_time > deadline - kLastHours * 3600;
      if (!late) {
        all_late = false;
        break;
      }
      all_late = true;
      if (!latest || added->commit_time > latest->commit_time) latest = added;
    }
    if (all_late && latest)
      d.findings.push_back({"last-minute", i.text, i.line, latest->id, commit_date(*latest),
                            "all its evidence was added in the last " + std::to_string(kLastHours) +
                                " hours before the deadline (latest " + short_id(latest->id) + ", " +
                                commit_date(*latest) + ")"});
  }
  for (const auto& n : h.notes()) d.note += (d.note.empty() ? "" : "; ") + n;
  r.claims.deadline = std::move(d);
}

// Links are relative to the report's folder; a report given as a file outside the repository is
// read as if it stood at reports/README.md.
std::string report_dir_of(const LoadedReport& lr) {
  if (lr.source != "repo") return "reports";
  size_t s = lr.path.rfind('/');
  return s == std::string::npos ? "" : lr.path.substr(0, s);
}

// The report's figures as facts (kind report.figure), so that rules can judge items whose only
// evidence is a figure, such as the architectural diagram (question 29 of the 2025 template).
// `figures` are already judged (judge_figures).
void add_report_figure_facts(const std::vector<FigureCheck>& figures, const LoadedReport& lr,
                             const Report& report, FactStore& facts) {
  for (const auto& fig : figures) {
    const Answer* a = report.answer(fig.question);
    std::string prompt = a ? lower_ascii(a->prompt) : "";
    bool architecture = prompt.find("architecture") != std::string::npos ||
                        prompt.find("diagram") != std::string::npos;
    bool image = fig.exists.value_or(false) && fig.note.empty();
    Fact f;
    f.kind = "report.figure";
    f.where = {lr.source == "repo" ? lr.path : "", a ? a->line : 0};
    f.attrs = {{"question", std::to_string(fig.question)},
               {"link", fig.link},
               {"path", fig.path},
               {"exists", fig.exists ? (*fig.exists ? "yes" : "no") : "external"},
               {"image", image ? "yes" : "no"},
               {"topic", architecture ? "architecture" : ""}};
    f.detail = "question " + std::to_string(fig.question) + " shows " + fig.link + ": " +
               (image ? "the image is in the repository" : fig.note.empty() ? "not in the repository" : fig.note);
    facts.add(std::move(f));
  }
}

void judge_answer_claims(const Snapshot& snap, const AuditedHistory& audited, const AuditOptions& opt,
                         const LoadedReport& lr, const Report& report, const std::string& family,
                         const Catalog& cat, const FactStore& facts, ExtractedAnswerClaims ex,
                         AuditResult& r) {
  if (auto c = extract_coverage(report)) {
    judge_coverage(*c, facts);
    r.claims.coverage = std::move(*c);
  }
  r.claims.notes = ex.notes;

  std::unique_ptr<Snapshot> head;
  std::optional<History> head_hist;  // --at: HEAD's, when HEAD is not the audited commit
  const History* hist = nullptr;
  try {
    if (!opt.at.empty() && !opt.worktree) {
      AuditOptions later = opt;
      later.at.clear();
      head = open(later);
      if (head->commit_id() != snap.commit_id()) {
        HistoryOptions ho;
        ho.diffs = audited.diffs;
        head_hist = History::of(*head, opt.repo, ho);
        hist = &*head_hist;
      }
    }
    if (!hist) {
      if (!audited.history) throw std::runtime_error(audited.error);
      hist = &*audited.history;
    }
  } catch (const std::exception& e) {
    r.claims.notes.push_back(std::string("the history could not be read (") + e.what() +
                             "): seen_at and the deadline findings are missing");
  }
  std::int64_t audited_time = 0;
  if (hist)
    for (const auto& c : hist->commits())
      if (c.id == snap.commit_id()) audited_time = c.commit_time;
  std::optional<HistorySeen> seen;
  if (hist) seen.emplace(*hist, audited_time);
  judge_paths(ex.paths, snap, seen ? &*seen : nullptr);
  judge_ci_prose(ex.ci_prose, facts);
  r.claims.paths = std::move(ex.paths);
  r.claims.figures = std::move(ex.figures);
  r.claims.ci_prose = std::move(ex.ci_prose);
  if (!opt.at.empty() && hist && head) deadline_findings(snap, *head, *hist, opt, lr, report, family, cat, r);
}
// --- end answer claims (issue 5) ----------------------------------------------------------------

// input_problems: one entry per (path, line), in that order. Several probes often report the same
// file (pytest and python-usage both read tests/*.py); their entry lists each distinct detail,
// in text order, followed by the probes that gave it in brackets: "detail A [python-usage];
// detail B [pytest]". A place reported once keeps its detail as it is. The rules still see every
// problem fact (they select on its probe).
std::vector<Evidence> merged_input_problems(const FactStore& facts) {
  std::map<std::pair<std::string, int>, std::map<std::string, std::set<std::string>>> places;
  for (const Fact* f : facts.of_kind(kInputProblem)) {
    std::set<std::string>& probes = places[{f->where.path, f->where.line}][f->detail];
    if (!f->attr("probe").empty()) probes.insert(f->attr("probe"));
  }
  std::vector<Evidence> out;
  for (const auto& [place, details] : places) {
    std::string detail;
    bool once = details.size() == 1 && details.begin()->second.size() <= 1;
    for (const auto& [d, probes] : details) {
      if (!detail.empty()) detail += "; ";
      detail += d;
      if (once || probes.empty()) continue;
      std::string names;
      for (const auto& p : probes) names += (names.empty() ? "" : ", ") + p;
      detail += " [" + names + "]";
    }
    out.push_back({place.first, place.second, detail, ""});
  }
  return out;
}

}  // namespace

// ---- the audit, stage by stage ----------------------------------------------------------------
// Each stage produces what the next consumes, and none runs twice:
//   1. evidence  the snapshot, the one history walk of the audited commit, the probes (with the
//                walk's past versions), the DVC remote history, provenance of every fact
//   2. report    the report found and read, the secrets the probes found masked in it, parsed; the
//                answers' claims extracted and their figures judged (rules read them as facts)
//   3. verdicts  checklist items by the catalog's rules, the report's contradictions, the test
//                count, the answers' claims and (with --at) the deadline, input problems, hygiene
// (With --at, the deadline findings also need HEAD, a second commit: its own walk and probe run.)
namespace {

struct Evidence_ {
  std::shared_ptr<Snapshot> snap;  // shared with the report read beside the probes
  std::future<void> freeing;       // what the probes kept, freed beside the later stages
  AuditedHistory hist;
  FactStore facts;
  EvalContext ctx;
};

// `budget` (--time-budget) is consulted before each probe and stage; it outlives the stages.
// `on_open`: called with the snapshot as soon as it is open (the report is read beside the probes).
Evidence_ collect_evidence(const AuditOptions& opt, TimeBudget& budget,
                           const std::function<void(std::shared_ptr<const Snapshot>)>& on_open = {}) {
  Evidence_ e;
  {
    AuditStats::Scope timed(opt.stats, "open snapshot");
    e.snap = open(opt);
  }
  if (on_open) on_open(e.snap);
  // The probes that read no past start now, beside the walk, which reads through its own
  // repository handle (a libgit2 repository is one thread's at a time) and then serves the past
  // readers (issue 12).
  const int threads = probe_threads(opt);
  std::unique_ptr<GitSnapshot> walker;
  if (const auto* g = dynamic_cast<const GitSnapshot*>(e.snap.get()); g && threads > 1) {
    try {
      walker = g->object_reader();
    } catch (const std::exception&) {  // the snapshot's own handle walks, under its lock
    }
  }
  {
    AuditStats::Scope timed(opt.stats, "history walk and probes");
    ProbeRun probes(*e.snap, &budget, opt.stats, threads);
    if (budget.skip("history walk")) {
      e.hist.error = "skipped: the time budget (--time-budget) was spent";
    } else {
      AuditStats::Scope walk_timed(opt.stats, "  history walk");
      e.hist = walk_history(walker ? *walker : *e.snap, opt);  // the one walk of the audited commit
    }
    PastReader past = past_of(*e.snap, e.hist, opt, std::move(walker), threads);  // past versions (issue 12)
    probes.finish(past.past, e.facts);
    // What the probes kept (parsed trees, inflated files) and the past readers (their pack
    // caches) are freed on another thread: nothing after the probes reads them.
    auto freed = [kept = e.snap->release_caches(), readers = std::move(past)]() mutable {
      kept.reset();
      readers = PastReader{};
    };
    if (threads > 1) {  // --threads 1: freed here
      try {
        e.freeing = std::async(std::launch::async, std::move(freed));
      } catch (const std::system_error&) {  // no thread: freed here, when `freed` goes
      }
    }
  }
  if (!budget.skip("DVC remote history")) {
    AuditStats::Scope timed(opt.stats, "DVC remote history");
    add_dvc_remote_history(*e.snap, e.hist.history ? &*e.hist.history : nullptr, opt.repo, e.facts);
  }
  budget.mark_evidence();
  AuditStats::Scope timed(opt.stats, "provenance");
  e.ctx = apply_provenance(e.hist, e.facts);  // provenance (issue 3)
  return e;
}

struct ReadReport {
  LoadedReport lr;
  Report report;
  ExtractedAnswerClaims claims;
  Redactor secrets;  // every secret value, for texts made later (deadline details)
};

// The report read and parsed beside the probes, before the secrets they find are known (and its
// contradictions found, with the built-in rules): used when masking those secrets leaves the text
// as it is, which is every report that quotes none of them.
struct EarlyReport {
  LoadedReport lr;
  Report report;
  std::optional<std::vector<Contradiction>> contradictions;
};

EarlyReport read_report_early(const Snapshot& snap, const AuditOptions& opt,
                              const std::shared_future<std::shared_ptr<const Catalog>>& catalog) {
  EarlyReport r;
  r.lr = load_report(snap, opt);
  r.report = r.lr.parsed ? std::move(*r.lr.parsed) : parse_report(r.lr.text, r.lr.path);
  r.lr.parsed.reset();
  if (opt.catalog_dir.empty() && catalog.valid()) {
    const Catalog& cat = *catalog.get();
    const std::string family = r.report.tmpl.family.empty() ? "2025" : r.report.tmpl.family;
    const std::vector<const ItemRule*> items = rules_of(r.report, family, cat);
    r.contradictions = find_contradictions(ContradictionRules::builtin(), r.report, items);
    // The checks the items will be judged by: their patterns compiled now, not after the probes.
    for (const ItemRule* rule : items)
      if (const Check* check = rule->check.empty() ? nullptr : cat.check(rule->check)) cat.compile_patterns(*check);
  }
  return r;
}

ReadReport read_report(const Evidence_& e, const AuditOptions& opt, FactStore& facts,
                       std::optional<EarlyReport> early, std::optional<std::vector<Contradiction>>& contradictions) {
  ReadReport rr;
  rr.lr = early ? std::move(early->lr) : load_report(*e.snap, opt);
  // The report quotes no secret: those the probes found, and those of a report file given from
  // outside the repository (not scanned with it, so not hygiene findings), are masked in it.
  rr.secrets = facts.secrets();
  if (rr.lr.source != "repo")
    for (const auto& hit : find_secrets(rr.lr.path, rr.lr.text))
      for (const auto& piece : secret_redaction_pieces(hit.value)) rr.secrets.add(piece);
  std::string masked = rr.secrets.apply(rr.lr.text);
  if (early && masked == rr.lr.text) {
    rr.report = std::move(early->report);
    contradictions = std::move(early->contradictions);
  } else if (rr.lr.parsed && masked == rr.lr.text) {  // no early read (one thread): parsed when found
    rr.report = std::move(*rr.lr.parsed);
  } else {
    rr.lr.text = std::move(masked);
    rr.report = parse_report(rr.lr.text, rr.lr.path);
  }
  rr.lr.parsed.reset();
  // The answers' claims are extracted once; their figures are judged now, as rules read them.
  rr.claims = extract_answer_claims(rr.report, report_dir_of(rr.lr));
  judge_figures(rr.claims.figures, *e.snap, report_dir_of(rr.lr));
  add_report_figure_facts(rr.claims.figures, rr.lr, rr.report, facts);
  return rr;
}

AuditResult judge(const AuditOptions& opt, const Catalog& cat, Evidence_& e, ReadReport rr, TimeBudget& budget,
                  std::optional<std::vector<Contradiction>> found_early) {
  const Report& report = rr.report;
  const LoadedReport& lr = rr.lr;
  AuditResult r;
  r.repo_path = opt.repo;
  r.commit = e.snap->commit_id();
  r.repo_described = e.snap->describe();
  r.report_path = lr.path;
  r.report_source = lr.source;
  r.report_found_by = lr.found_by;
  r.report_found_note = lr.found_note;
  r.template_version = report.tmpl.version;
  r.template_family = report.tmpl.family;
  r.template_similarity = report.tmpl.similarity;
  r.template_differences = report.tmpl.differences;
  r.report_problems = lr.problems;
  r.report_problems.insert(r.report_problems.end(), report.problems.begin(), report.problems.end());

  const std::string family = report.tmpl.family.empty() ? "2025" : report.tmpl.family;
  std::optional<ContradictionRules> own_contradictions;
  const ContradictionRules& contradiction_rules = load_contradictions(opt, own_contradictions);
  auto find = [&] { return find_contradictions(contradiction_rules, report, rules_of(report, family, cat)); };
  std::future<std::vector<Contradiction>> contradictions;
  if (!found_early && probe_threads(opt) > 1) {  // --threads 1 (the batch's workers): one thread
    try {
      contradictions = std::async(std::launch::async, [&find] {
        advise_thread_heap();
        return find();
      });
    } catch (const std::system_error&) {  // no thread to be had: looked for after the rules
    }
  }
  std::map<std::string, CheckResult> cache;
  {
    AuditStats::Scope timed(opt.stats, "checklist rules");
    for (const auto& item : report.checklist)
      r.checklist.push_back(judge_item(item, family, cat, e.facts, e.ctx, cache));
  }
  {
    const char* stage = found_early ? "contradictions (found early)"
                        : contradictions.valid() ? "contradictions (waited for)" : "contradictions";
    AuditStats::Scope timed(opt.stats, stage);
    std::vector<Contradiction> found = found_early         ? std::move(*found_early)
                                       : contradictions.valid() ? contradictions.get()
                                                                : find();
    apply_contradictions(found, lr, r.checklist);
  }

  for (const auto& a : report.answers) {
    AnswerSummary s;
    s.question = a.question;
    s.line = a.line;
    s.words = a.words;
    s.images = a.images;
    s.min_words = a.min_words;
    s.max_words = a.max_words;
    s.min_images = a.min_images;
    s.max_images = a.max_images;
    s.placeholder = a.placeholder;
    r.answers.push_back(s);
  }
  if (auto claim = extract_test_count(report)) r.test_count = judge_tests(*claim, e.facts);
  AuditStats::Scope timed(opt.stats, "answer claims, hygiene");
  if (!budget.skip("answer claim checks"))
    judge_answer_claims(*e.snap, e.hist, opt, lr, report, family, cat, e.facts, std::move(rr.claims),
                        r);  // answer claims (issue 5)
  budget.report_stages(e.facts);
  if (budget.skipped_evidence()) unaccuse_after_budget(r.checklist);
  r.input_problems = merged_input_problems(e.facts);
  collect_hygiene(e.facts, r);  // issue 12
  if (r.claims.deadline)  // commit messages quote what they removed; the files were scanned
    for (auto& f : r.claims.deadline->findings) f.detail = rr.secrets.apply(f.detail);
  return r;
}

}  // namespace

namespace {
// The probes parse their data files (probes/data/*.yaml) on first use: one file of each kind
// they read makes each of them do so now.
void preload_probe_data() {
  MemorySnapshot warm({{".github/workflows/ci.yml", "on: push\njobs: {}\n"},
                       {"tests/test_x.py", "def test_x():\n    assert True\n"},
                       {"src/x/__init__.py", "import torch\n"},
                       {"pyproject.toml", "[project]\nname = \"x\"\n"},
                       {"requirements.txt", "torch\n"},
                       {"Dockerfile", "FROM python:3.11\nRUN pip install x\n"},
                       {"configs/config.yaml", "lr: 1\n"},
                       {".pre-commit-config.yaml", "repos: []\n"},
                       {"Makefile", "all:\n\ttrue\n"},
                       {"cloudbuild.yaml", "steps: []\n"},
                       {"mkdocs.yml", "site_name: x\n"},
                       {"data.dvc", "outs: []\n"},
                       {"README.md", "# x\n"}});
  FactStore facts;
  run_probes(warm, facts);
}

// The rules an audit judges with: the catalog, and the built-in templates and contradictions
// (each parsed once per process).
std::shared_ptr<const Catalog> preload_rules(const AuditOptions& opt) {
  auto cat = load_catalog(opt);
  template_versions();
  if (opt.catalog_dir.empty()) ContradictionRules::builtin();
  return cat;
}
}  // namespace

void preload_builtin_data(const AuditOptions& opt) {
  preload_rules(opt)->compile_patterns();
  preload_probe_data();
  (void)compile_secret_detectors();  // compiled on first use otherwise: once here, not per fork
}

FactStore collect_facts(const AuditOptions& opt, std::string* commit) {
  TimeBudget budget(opt.time_budget);
  Evidence_ e = collect_evidence(opt, budget);
  if (commit) *commit = e.snap->commit_id();
  return std::move(e.facts);
}

AuditResult run_audit(const AuditOptions& opt) {
  TimeBudget budget(opt.time_budget);  // --time-budget (issue 11): from the start of the run
  // The built-in data (the probes' data files, then the catalog, templates and contradictions) is
  // parsed on other threads while the snapshot opens and the evidence is collected: nothing
  // reads the rules before the report stage. A --catalog folder is read first, so that bad rules
  // stop the run before any work.
  std::future<std::shared_ptr<const Catalog>> builtin;
  std::future<void> probe_data;
  std::shared_ptr<const Catalog> cat;
  if (opt.catalog_dir.empty() && probe_threads(opt) > 1) {
    try {
      // Two tasks: the probes need their data as soon as the snapshot is open, the rules wait.
      probe_data = std::async(std::launch::async, [] {
        advise_thread_heap();
        preload_probe_data();
      });
      builtin = std::async(std::launch::async, [&opt] {
        advise_thread_heap();
        return preload_rules(opt);
      });
    } catch (const std::system_error&) {  // no thread to be had: read them here
    }
  }
  std::shared_future<std::shared_ptr<const Catalog>> catalog;
  if (!builtin.valid()) {
    AuditStats::Scope timed(opt.stats, "catalog");
    cat = load_catalog(opt);
    std::promise<std::shared_ptr<const Catalog>> ready;
    ready.set_value(cat);
    catalog = ready.get_future().share();
  } else {
    catalog = builtin.share();
  }
  // The report is read (and its contradictions looked for) beside the probes, when there is a
  // thread for it; any error it meets is met again, in its turn, by the reading after the probes.
  std::future<EarlyReport> early;
  auto read_early = [&](std::shared_ptr<const Snapshot> snap) {
    if (probe_threads(opt) < 2) return;
    try {
      early = std::async(std::launch::async, [snap, &opt, &catalog] {
        advise_thread_heap();
        AuditStats::Scope timed(opt.stats, "  report (read beside the probes)");
        return read_report_early(*snap, opt, catalog);
      });
    } catch (const std::system_error&) {
    }
  };
  Evidence_ e = collect_evidence(opt, budget, read_early);
  {
    AuditStats::Scope timed(opt.stats, "catalog (waited for)");
    cat = catalog.get();  // rethrows what the thread threw
  }
  std::optional<EarlyReport> early_read;
  if (early.valid()) {
    AuditStats::Scope timed(opt.stats, "report (waited for)");
    try {
      early_read.emplace(early.get());
    } catch (const std::exception&) {  // read again below, which reports it
    }
  }
  std::optional<ReadReport> rr;
  std::optional<std::vector<Contradiction>> contradictions;
  {
    AuditStats::Scope timed(opt.stats, "report");
    rr.emplace(read_report(e, opt, e.facts, std::move(early_read), contradictions));
  }
  return judge(opt, *cat, e, std::move(*rr), budget, std::move(contradictions));
}

}  // namespace cc
