#include "cli/audit.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/embedded.h"
#include "engine/git_snapshot.h"
#include "engine/rules.h"
#include "engine/test_count.h"
#include "probes/probe.h"
#include "reports/claims.h"
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

void run_probes(const Snapshot& snap, FactStore& facts) {
  for (const auto& p : all_probes()) {
    try {
      p->run(snap, facts);
    } catch (const std::exception& e) {
      // A probe bug must not take the audit down: report it as a partial result.
      facts.problem("", 0, "probe " + p->id() + " stopped early: " + e.what(), p->id());
    }
  }
  facts.sort();
}

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
  std::vector<std::string> problems;
};

LoadedReport load_report(const Snapshot& snap, const AuditOptions& opt) {
  LoadedReport r;
  std::string raw;
  std::string wanted = opt.report.empty() ? kDefaultReport : opt.report;
  auto in_repo = normalize_repo_path("", wanted);
  if (in_repo && snap.exists(*in_repo)) {
    Blob b = snap.read(*in_repo, kReportCap);
    if (!b.ok())
      throw RunError(kExitFatal, "cannot read the report " + *in_repo + ": " + b.note +
                                     " (give another one with --report PATH)");
    raw = std::move(b.data);
    r.path = *in_repo;
    r.source = "repo";
  } else if (!opt.report.empty() && std::filesystem::is_regular_file(opt.report)) {
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
    throw RunError(kExitFatal, "no report at " + wanted + " in " + snap.describe() +
                                   " (give its path with --report PATH, in the repository or a file)");
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

ItemVerdict judge_item(const ChecklistItem& item, const std::string& family, const Catalog& cat,
                       const FactStore& facts, std::map<std::string, CheckResult>& cache) {
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
    if (it == cache.end()) it = cache.emplace(check->id, cat.evaluate(*check, facts)).first;
    v.status = it->second.status;
    v.reason = it->second.reason;
    v.evidence = it->second.evidence;
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

}  // namespace

FactStore collect_facts(const AuditOptions& opt, std::string* commit) {
  auto snap = open(opt);
  if (commit) *commit = snap->commit_id();
  FactStore facts;
  run_probes(*snap, facts);
  return facts;
}

AuditResult run_audit(const AuditOptions& opt) {
  Catalog cat = load_catalog(opt);
  auto snap = open(opt);
  LoadedReport lr = load_report(*snap, opt);
  Report report = parse_report(lr.text, lr.path);
  FactStore facts;
  run_probes(*snap, facts);

  AuditResult r;
  r.repo_path = opt.repo;
  r.commit = snap->commit_id();
  r.repo_described = snap->describe();
  r.report_path = lr.path;
  r.report_source = lr.source;
  r.template_version = report.tmpl.version;
  r.template_family = report.tmpl.family;
  r.template_similarity = report.tmpl.similarity;
  r.template_differences = report.tmpl.differences;
  r.report_problems = lr.problems;
  r.report_problems.insert(r.report_problems.end(), report.problems.begin(), report.problems.end());

  std::string family = report.tmpl.family.empty() ? "2025" : report.tmpl.family;
  std::map<std::string, CheckResult> cache;
  for (const auto& item : report.checklist)
    r.checklist.push_back(judge_item(item, family, cat, facts, cache));

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
  for (const Fact* f : facts.of_kind(kInputProblem))
    r.input_problems.push_back({f->where.path, f->where.line, f->detail, ""});
  return r;
}

}  // namespace cc
