// Report discovery: which markdown file of the audited commit is the group's report when the
// default one (reports/README.md) is missing or holds neither a checklist nor numbered questions.
// Groups move the report to the root README.md, a docs page or a report.md of their own.
//
// Candidates: every *.md / *.markdown file outside vendored directories (probes/skip_paths.h),
// in this order: root README.md, reports/*.md, report*.md anywhere, docs/**, everything else;
// at most kMaxCandidates files of at most kMaxCandidateBytes each and kMaxCandidateTotal bytes in
// all (a hostile repository holds thousands of huge or binary markdown files). Each is parsed;
// one that has no checklist item and no "Question N" heading is not a report. The best is the one
// closest to a template version (recognise_template's similarity), then the one with the most
// checklist items plus questions, then the earlier in the order above.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/snapshot.h"
#include "reports/report.h"

namespace cc {

inline constexpr std::size_t kMaxCandidates = 200;
inline constexpr std::uint64_t kMaxCandidateBytes = 2ull * 1024 * 1024;
inline constexpr std::uint64_t kMaxCandidateTotal = 32ull * 1024 * 1024;

// A parsed file that looks like a report: a checklist item or a "Question N" heading.
bool looks_like_report(const Report& r);

struct FoundReport {
  bool found = false;
  std::string path;    // the file taken (repository path)
  std::string text;    // its bytes as read
  std::string note;    // one sentence: why the default was not taken, what was taken and why
  std::vector<std::string> looked_at;  // the files parsed, in search order
  std::size_t passed_over = 0;         // candidates left out by the caps, binary or unreadable
};

// Search the snapshot for the report. `exclude` is the default path already rejected;
// `why_not_default` says why ("reports/README.md has no checklist and no questions") and opens
// the note. Never throws on hostile content.
FoundReport search_report(const Snapshot& snap, std::string_view exclude, std::string_view why_not_default);

}  // namespace cc
