#include "pipeline/report_discovery.h"

#include <algorithm>
#include <optional>

#include "probes/skip_paths.h"

namespace cc {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

bool is_markdown(std::string_view lower_path) {
  return ends_with(lower_path, ".md") || ends_with(lower_path, ".markdown");
}

// Where a report is most likely, first: root README.md, reports/*.md, report*.md, docs/**, the rest.
int tier(std::string_view path) {
  const std::string p = lower(path);
  const size_t slash = p.rfind('/');
  const std::string_view base =
      slash == std::string::npos ? std::string_view(p) : std::string_view(p).substr(slash + 1);
  if (p == "readme.md") return 0;
  if (p.rfind("reports/", 0) == 0 && slash == 7) return 1;
  if (base.rfind("report", 0) == 0) return 2;
  if (p.rfind("docs/", 0) == 0) return 3;
  return 4;
}

int percent(double similarity) { return static_cast<int>(similarity * 100 + 0.5); }

}  // namespace

bool looks_like_report(const Report& r) { return !r.checklist.empty() || !r.answers.empty(); }

FoundReport search_report(const Snapshot& snap, std::string_view exclude, std::string_view why_not_default) {
  FoundReport out;
  const PathSkipper skipped(snap);
  std::vector<std::pair<int, const FileEntry*>> candidates;
  for (const auto& f : snap.files()) {
    if (f.symlink || f.path == exclude || !is_markdown(lower(f.path)) || skipped(f.path)) continue;
    candidates.emplace_back(tier(f.path), &f);
  }
  // files() is in path order; a stable sort keeps it within each tier (deterministic).
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  struct Best {
    double similarity = -1;
    size_t size = 0;  // checklist items + questions
    Report report;
  };
  std::optional<Best> best;
  std::uint64_t total = 0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const FileEntry& f = *candidates[i].second;
    if (out.looked_at.size() >= kMaxCandidates) {
      out.passed_over += candidates.size() - i;
      break;
    }
    if (f.size > kMaxCandidateBytes || total + f.size > kMaxCandidateTotal) {
      ++out.passed_over;
      continue;
    }
    Blob b = snap.read(f.path, kMaxCandidateBytes);
    if (!b.ok() || looks_binary(b.data)) {
      ++out.passed_over;
      continue;
    }
    total += b.data.size();
    out.looked_at.push_back(f.path);
    Report r = parse_report(b.data, f.path);
    if (!looks_like_report(r)) continue;
    const size_t size = r.checklist.size() + r.answers.size();
    const double sim = r.tmpl.similarity;
    // Earlier candidates win ties: the search order is the order of likelihood.
    const bool better = !best || sim > best->similarity + 1e-9 ||
                        (sim > best->similarity - 1e-9 && size > best->size);
    if (!better) continue;
    best = Best{sim, size, std::move(r)};
    out.path = f.path;
    out.text = std::move(b.data);
  }
  if (!best) return out;
  out.found = true;
  const size_t n = out.looked_at.size();
  std::string why_this;
  if (!best->report.tmpl.version.empty())
    why_this = "the closest to template " + best->report.tmpl.version + " (" +
               std::to_string(percent(best->similarity)) + "%)";
  else
    why_this = "the one with the most checklist items and questions (" +
               std::to_string(best->report.checklist.size()) + " items, " +
               std::to_string(best->report.answers.size()) + " questions)";
  out.note = std::string(why_not_default) + "; took " + out.path + ", " + why_this +
             (n == 1 ? ", the only markdown file read" : " of the " + std::to_string(n) + " markdown files read");
  return out;
}

}  // namespace cc
