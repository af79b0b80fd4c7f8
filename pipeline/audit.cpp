#include "pipeline/audit.h"

#include <algorithm>
#include <chrono>  // time budget (issue 11)
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <sstream>
#include <ctime>  // answer claims (issue 5)

#include <git2.h>  // DVC remote history (issue 4)

#include "engine/claims_judge.h"  // answer claims (issue 5)
#include "engine/embedded.h"
#include "engine/git_snapshot.h"
#include "engine/history.h"
#include "engine/odb_guard.h"  // worktree audits read DVC history through the guard too
#include "engine/rules.h"
#include "engine/strings.h"
#include "engine/test_count.h"
#include "pipeline/report_discovery.h"
#include "probes/dvc.h"  // DVC remote history (issue 4)
#include "probes/probe.h"
#include "reports/answer_claims.h"  // answer claims (issue 5)
#include "reports/claims.h"
#include "reports/contradictions.h"
#include "reports/report.h"

namespace cc {
namespace {

constexpr const char* kDefaultReport = "reports/README.md";
constexpr std::uint64_t kReportCap = 8ull * 1024 * 1024;

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

void run_probes(const Snapshot& snap, FactStore& facts, TimeBudget* budget = nullptr) {
  for (const auto& p : all_probes()) {
    if (budget && budget->skip("probe " + p->id())) {
      // Attributed to the probe, as an unreadable file is: rules that weigh a probe's problems
      // (the test count and pytest) treat its missing facts as unknown, not as absent.
      facts.problem("", 0, budget->cap(), p->id());
      continue;
    }
    try {
      p->run(snap, facts);
    } catch (const std::exception& e) {
      // A probe bug must not take the audit down: report it as a partial result.
      facts.problem("", 0, "probe " + p->id() + " stopped early: " + e.what(), p->id());
    }
  }
  facts.sort();
}

// The history of the audited commit, walked once per audit: provenance and the answer claims
// both read it. `error` says why it could not be read (then `history` is empty).
struct AuditedHistory {
  std::optional<History> history;
  std::string error;
};

AuditedHistory walk_history(const Snapshot& snap, const AuditOptions& opt) {
  AuditedHistory a;
  try {
    a.history = History::of(snap, opt.repo);
  } catch (const std::exception& e) {
    a.error = e.what();
  }
  return a;
}

// --- DVC remote history (issue 4) --------------------------------------------------------------
// A DVC remote on a GCS bucket that the group replaced: .dvc/config is read at every commit of the
// audited commit's first-parent line (newest first, at most kMaxDvcVersions distinct versions,
// each under kDvcConfigCap bytes; larger or unreadable versions carry no evidence), and each gs://
// remote that some past version had but the audited version lacks becomes a fact
// dvc.remote_history {url, scheme, from, from_date, until, until_date, days, current_schemes}:
// `from` is the first commit of its last stretch, `until` the commit that removed or replaced it.
constexpr const char* kDvcConfig = ".dvc/config";
constexpr std::size_t kMaxDvcVersions = 50;
constexpr std::size_t kDvcConfigCap = 64 * 1024;

struct PathAtCommit {
  int commit = -1;   // index in History::commits()
  int version = -1;  // index into the versions read; -1: absent or unreadable
};

struct DvcVersions {
  std::vector<PathAtCommit> line;  // oldest first
  std::vector<std::vector<std::pair<std::string, std::string>>> remotes;  // per version
};

// The blob id of `path` in the tree of commit `id`; false when absent (or not a regular file).
// Every object passes the loose-object guard before libgit2 parses it; throws on unreadable ones.
bool blob_at(git_repository* repo, const std::string& objects_dir, const git_oid& id, std::string_view path,
             git_oid& out) {
  auto guard = [&](const git_oid* o) {
    std::string bad = check_loose_object(objects_dir, o);
    if (!bad.empty()) throw std::runtime_error(bad);
  };
  guard(&id);
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo, &id) < 0) throw std::runtime_error("a commit cannot be read");
  git_oid tree_id = *git_commit_tree_id(c);
  git_commit_free(c);
  std::size_t pos = 0;
  while (true) {
    guard(&tree_id);
    git_tree* t = nullptr;
    if (git_tree_lookup(&t, repo, &tree_id) < 0) throw std::runtime_error("a tree cannot be read");
    std::size_t slash = path.find('/', pos);
    std::string name(path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
    const git_tree_entry* e = git_tree_entry_byname(t, name.c_str());
    bool last = slash == std::string_view::npos;
    bool ok = e && (last ? git_tree_entry_type(e) == GIT_OBJECT_BLOB && git_tree_entry_filemode(e) != GIT_FILEMODE_LINK
                         : git_tree_entry_type(e) == GIT_OBJECT_TREE);
    if (ok) (last ? out : tree_id) = *git_tree_entry_id(e);
    git_tree_free(t);
    if (!ok) return false;
    if (last) return true;
    pos = slash + 1;
  }
}

DvcVersions read_dvc_versions(git_repository* repo, const std::string& objects_dir, const History& h) {
  DvcVersions v;
  const auto& commits = h.commits();
  const CommitInfo* start = h.start();
  if (!start || commits.empty()) return v;
  std::vector<git_oid> ids;  // distinct blob ids seen, parallel to version slots
  std::vector<bool> readable;
  for (int i = static_cast<int>(start - commits.data()); i >= 0; i = commits[i].first_parent) {
    git_oid cid;
    if (git_oid_fromstr(&cid, commits[i].id.c_str()) < 0) break;
    git_oid blob;
    PathAtCommit at{i, -1};
    if (blob_at(repo, objects_dir, cid, kDvcConfig, blob)) {
      auto it = std::find_if(ids.begin(), ids.end(), [&](const git_oid& o) { return git_oid_equal(&o, &blob); });
      if (it == ids.end()) {
        if (ids.size() >= kMaxDvcVersions) break;  // older versions are not read
        ids.push_back(blob);
        it = ids.end() - 1;
      }
      at.version = static_cast<int>(it - ids.begin());
    }
    v.line.push_back(at);
  }
  std::reverse(v.line.begin(), v.line.end());
  v.remotes.resize(ids.size());
  readable.assign(ids.size(), false);
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (!check_loose_object(objects_dir, &ids[k]).empty()) continue;
    git_blob* b = nullptr;
    if (git_blob_lookup(&b, repo, &ids[k]) < 0) continue;
    auto size = static_cast<std::size_t>(git_blob_rawsize(b));
    if (size < kDvcConfigCap) {
      v.remotes[k] = dvc_config_remotes(std::string_view(static_cast<const char*>(git_blob_rawcontent(b)), size));
      readable[k] = true;
    }
    git_blob_free(b);
  }
  // Unreadable or oversized versions carry no evidence: drop those commits from the line.
  std::erase_if(v.line, [&](const PathAtCommit& a) { return a.version >= 0 && !readable[a.version]; });
  return v;
}

std::string iso_time(std::int64_t t, int offset_min) {
  std::time_t shifted = static_cast<std::time_t>(t + static_cast<std::int64_t>(offset_min) * 60);
  std::tm tm{};
  gmtime_r(&shifted, &tm);
  char buf[64];
  int off = offset_min < 0 ? -offset_min : offset_min;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, offset_min < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}
std::string commit_date(const CommitInfo& c) { return iso_time(c.commit_time, c.commit_offset); }
std::string short_id(const std::string& id) { return id.substr(0, 7); }
std::string date_of(const CommitInfo& c) { return commit_date(c).substr(0, 10); }  // YYYY-MM-DD

void add_dvc_remote_history(const Snapshot& snap, const AuditedHistory& hist, const AuditOptions& opt,
                            FactStore& facts) {
  if (!hist.history || !hist.history->path(kDvcConfig)) return;
  const History& h = *hist.history;
  DvcVersions v;
  try {
    auto read = [&](git_repository* repo, const std::string& objects_dir) {
      v = read_dvc_versions(repo, objects_dir, h);
    };
    if (auto* g = dynamic_cast<const GitSnapshot*>(&snap)) {
      g->with_repository(read);
    } else if (snap.commit_id() == "worktree") {
      ensure_libgit2();
      git_repository* repo = nullptr;
      if (git_repository_open_ext(&repo, opt.repo.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0) return;
      if (!install_object_guard(repo).empty()) {  // the history reports the corrupt pack
        git_repository_free(repo);
        return;
      }
      const char* common = git_repository_commondir(repo);
      try {
        read(repo, std::string(common ? common : "") + "objects/");
      } catch (...) {
        git_repository_free(repo);
        throw;
      }
      git_repository_free(repo);
    } else {
      return;
    }
  } catch (const std::exception& e) {
    facts.problem(kDvcConfig, 0, std::string("the past versions of .dvc/config could not be read: ") + e.what(),
                  "history");
    return;
  }
  if (v.line.empty()) return;

  // The audited version: the snapshot's file (the worktree's, in a worktree audit).
  std::vector<std::pair<std::string, std::string>> current;
  if (snap.find(kDvcConfig)) {
    Blob b = snap.read_text(kDvcConfig, kDvcConfigCap);
    if (!b.ok()) return;  // the dvc probe reports why
    current = dvc_config_remotes(b.data);
  }
  std::set<std::string> current_urls;
  std::vector<std::string> schemes;
  for (const auto& [name, url] : current) {
    current_urls.insert(url);
    std::string s = dvc_url_scheme(url);
    if (std::find(schemes.begin(), schemes.end(), s) == schemes.end()) schemes.push_back(s);
  }
  std::string current_schemes;
  for (const auto& s : schemes) current_schemes += (current_schemes.empty() ? "" : ",") + s;

  auto has = [&](const PathAtCommit& a, const std::string& url) {
    if (a.version < 0) return false;
    for (const auto& r : v.remotes[a.version])
      if (r.second == url) return true;
    return false;
  };
  std::set<std::string> done;
  const auto& commits = h.commits();
  for (std::size_t k = v.line.size(); k-- > 0;) {  // newest first: each url's last stretch
    if (v.line[k].version < 0) continue;
    for (const auto& r : v.remotes[v.line[k].version]) {
      const std::string& url = r.second;
      if (dvc_url_scheme(url) != "gs" || current_urls.count(url) || !done.insert(url).second) continue;
      if (k + 1 >= v.line.size()) continue;  // only the worktree dropped it: no commit to name
      std::size_t first = k;
      while (first > 0 && has(v.line[first - 1], url)) --first;
      const CommitInfo& from = commits[v.line[first].commit];
      const CommitInfo& until = commits[v.line[k + 1].commit];
      std::int64_t days = (until.commit_time - from.commit_time) / 86400;
      if (days < 0) days = 0;
      Fact f;
      f.kind = "dvc.remote_history";
      f.where = {kDvcConfig, 0};
      f.attrs = {{"url", url.size() > 300 ? url.substr(0, 300) + "..." : url},
                 {"scheme", "gs"},
                 {"from", short_id(from.id)},
                 {"from_date", date_of(from)},
                 {"until", short_id(until.id)},
                 {"until_date", date_of(until)},
                 {"days", std::to_string(days)},
                 {"current_schemes", current_schemes}};
      f.detail = "DVC pointed at a GCS bucket (" + f.attrs["url"] + ") from " + date_of(from) + " (" +
                 short_id(from.id) + ") to " + date_of(until) + " (" + short_id(until.id) + "), " +
                 std::to_string(days) + (days == 1 ? " day" : " days") + ", before it was " +
                 (v.line[k + 1].version < 0 ? "removed" : "replaced") + "; the audited commit uses " +
                 (current_schemes.empty() ? "no DVC remote" : current_schemes);
      facts.add(std::move(f));
    }
  }
}
// --- end DVC remote history --------------------------------------------------------------------

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
    FactStore out;
    for (Fact f : facts.all()) {
      if (!f.where.path.empty() && f.kind != kInputProblem) {
        auto it = origin.find(f.where.path);
        if (it == origin.end()) it = origin.emplace(f.where.path, h.origin_of(f.where.path)).first;
        f.origin = it->second;
      }
      out.add(std::move(f));
    }
    out.sort();
    facts = std::move(out);
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
  std::string out;
  out.reserve(in.size());
  changed = false;
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
      std::ifstream f(opt.report, std::ios::binary);
      std::ostringstream ss;
      ss << f.rdbuf();
      raw = ss.str();
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
    } else if (!looks_like_report(parse_report(b.data, kDefaultReport))) {
      why_not = std::string(kDefaultReport) + " has no checklist and no questions";
    } else {
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
  if (changed) r.problems.push_back("the report holds bytes that are not UTF-8 text; they were replaced");
  return r;
}

Catalog load_catalog(const AuditOptions& opt) {
  Catalog cat;
  try {
    if (opt.catalog_dir.empty()) {
      for (const auto& f : embedded_catalog()) cat.load(std::string(f.name), f.data);
    } else {
      std::vector<std::filesystem::path> files;
      std::error_code ec;
      for (const auto& e : std::filesystem::directory_iterator(opt.catalog_dir, ec))
        if (e.path().extension() == ".yaml") files.push_back(e.path());
      if (ec || files.empty())
        throw RunError(kExitUsage, "no *.yaml catalog files in " + opt.catalog_dir);
      std::sort(files.begin(), files.end());
      for (const auto& p : files) {
        std::ifstream f(p);
        std::ostringstream ss;
        ss << f.rdbuf();
        cat.load(p.string(), ss.str());
      }
    }
    cat.validate();
  } catch (const CatalogError& e) {
    throw RunError(kExitFatal, std::string("bad catalog: ") + e.what());
  }
  return cat;
}

// contradictions.yaml: from --catalog DIR when it has one, else the built-in file.
ContradictionRules load_contradictions(const AuditOptions& opt) {
  try {
    if (!opt.catalog_dir.empty()) {
      std::filesystem::path p = std::filesystem::path(opt.catalog_dir) / "contradictions.yaml";
      if (std::filesystem::is_regular_file(p)) {
        std::ifstream f(p);
        std::ostringstream ss;
        ss << f.rdbuf();
        ContradictionRules r;
        r.load(ss.str(), p.string());
        return r;
      }
    }
    ContradictionRules r;
    std::string_view text = find_embedded(embedded_catalog(), "catalog/contradictions.yaml");
    if (!text.empty()) r.load(text, "catalog/contradictions.yaml");
    return r;
  } catch (const ContradictionError& e) {
    throw RunError(kExitFatal, std::string("bad catalog: ") + e.what());
  }
}

// The report's own answers against its items (DESIGN.md's accusation policy): an answer saying
// an item was not done drops its status (supported/partial -> partial, absent/unverifiable ->
// absent) with the quote as evidence; an answer saying the thing lives outside this repository
// turns "absent" into "unverifiable".
void apply_contradictions(const ContradictionRules& rules, const Report& report, const LoadedReport& lr,
                          std::vector<ItemVerdict>& items) {
  std::vector<std::string> ids;
  for (const auto& v : items)
    if (!v.rule.empty() && std::find(ids.begin(), ids.end(), v.rule) == ids.end()) ids.push_back(v.rule);
  if (ids.empty() || rules.empty()) return;
  const std::string where = lr.source == "repo" ? lr.path : "";
  for (const Contradiction& c : rules.find(report, ids)) {
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
  const ItemRule* rule = cat.match_item(family, item.text);
  for (const auto& other : cat.families())  // a report may carry an item of another year
    if (!rule) rule = cat.match_item(other, item.text);
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
    run_probes(head, hf);
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
        head_hist = History::of(*head, opt.repo);
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

FactStore collect_facts(const AuditOptions& opt, std::string* commit) {
  auto snap = open(opt);
  if (commit) *commit = snap->commit_id();
  FactStore facts;
  run_probes(*snap, facts);
  const AuditedHistory hist = walk_history(*snap, opt);
  add_dvc_remote_history(*snap, hist, opt, facts);  // DVC remote history (issue 4)
  apply_provenance(hist, facts);  // provenance (issue 3)
  return facts;
}

AuditResult run_audit(const AuditOptions& opt) {
  Catalog cat = load_catalog(opt);
  auto snap = open(opt);
  LoadedReport lr = load_report(*snap, opt);
  Report report = parse_report(lr.text, lr.path);
  FactStore facts;
  TimeBudget budget(opt.time_budget);  // time budget (issue 11)
  run_probes(*snap, facts, &budget);
  AuditedHistory hist;
  if (budget.skip("history walk")) hist.error = "skipped: the time budget (--time-budget) was spent";
  else hist = walk_history(*snap, opt);  // the one walk of the audited commit
  if (!budget.skip("DVC remote history"))
    add_dvc_remote_history(*snap, hist, opt, facts);  // DVC remote history (issue 4)
  budget.mark_evidence();
  const EvalContext ctx = apply_provenance(hist, facts);  // provenance (issue 3)

  AuditResult r;
  r.repo_path = opt.repo;
  r.commit = snap->commit_id();
  r.repo_described = snap->describe();
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

  std::string family = report.tmpl.family.empty() ? "2025" : report.tmpl.family;
  // The answers' claims are extracted once; their figures are judged now, as rules read them.
  ExtractedAnswerClaims answer_claims = extract_answer_claims(report, report_dir_of(lr));
  judge_figures(answer_claims.figures, *snap, report_dir_of(lr));
  add_report_figure_facts(answer_claims.figures, lr, report, facts);
  std::map<std::string, CheckResult> cache;
  for (const auto& item : report.checklist)
    r.checklist.push_back(judge_item(item, family, cat, facts, ctx, cache));
  apply_contradictions(load_contradictions(opt), report, lr, r.checklist);

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
  if (auto claim = extract_test_count(report)) r.test_count = judge_tests(*claim, facts);
  if (!budget.skip("answer claim checks"))
    judge_answer_claims(*snap, hist, opt, lr, report, family, cat, facts, std::move(answer_claims),
                        r);  // answer claims (issue 5)
  budget.report_stages(facts);
  if (budget.skipped_evidence()) unaccuse_after_budget(r.checklist);
  r.input_problems = merged_input_problems(facts);
  return r;
}

}  // namespace cc
