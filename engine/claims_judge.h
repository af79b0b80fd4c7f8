// Judging the claims of the answers (coverage, paths, figures, CI prose) against the repository
// snapshot and the probes' facts. Pure engine logic: the claims come in engine types
// (engine/audit.h), extracted by reports/; the history comes through PathSeenLookup, so that this
// file needs no git.
//
// Coverage: compared with `coverage.artifact` facts that carry a `percent` (a committed coverage.xml,
// coverage.json, htmlcov/, badge, ...). Tolerance: +-2 points for a plain number or a pasted TOTAL
// row, +-5 for "approximately", at least N-0.5 for "over"/"at least", N-5..N+0.5 for "almost", at
// most N+0.5 for "fewer than"/"at most", the range +-2 for "between". Several artefacts: the claim
// is ok when it matches one of them. No artefact with a percent: `unverifiable`, the evidence saying
// what exists (a coverage step in a workflow, pytest --cov in the configuration, or nothing).
//
// Paths: a link resolves from its base_dir (the report's folder), like GitHub renders it; a mention
// in code or text from the repository root, then from the report's folder, then, for a bare file
// name, anywhere (any file with that name), then as a suffix of a path (`pkg/train.py` for
// src/pkg/train.py). A folder counts when files exist under it. A directory-like mention (no file
// extension) whose first folder does not exist is dropped: it was not a path (`train/loss`).
// When absent: `nearest` = the same file name elsewhere (closest by edit distance), else the path
// with the same extension at the smallest edit distance (at most max(2, a third of its length);
// at most 20,000 candidates compared), and `seen_at` from the history.
//
// Figures: relative to the report's folder; outside the repository (../../.., absolute): exists
// false, never read; a Git LFS pointer or a file without an image signature: exists, with a note.
//
// CI prose: operating systems against `workflow.combo` os, Python versions against combo python
// (3.11 matches 3.11.x), caching against active `workflow.step` class cache, linting against class
// lint (a named tool must be among the steps' tools). `holds` is "true", "false" or "unverifiable"
// (a matrix that could not be expanded, or no Python version set anywhere).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/audit.h"
#include "engine/facts.h"
#include "engine/snapshot.h"

namespace cc {

// Where a path that is not at the audited commit was seen in the history (nullopt: never).
class PathSeenLookup {
 public:
  virtual ~PathSeenLookup() = default;
  virtual std::optional<SeenAt> seen_at(std::string_view path) const = 0;
};

void judge_coverage(CoverageCheck& c, const FactStore& facts);
// Drops directory-like mentions that are not paths (see above).
void judge_paths(std::vector<PathCheck>& paths, const Snapshot& snap, const PathSeenLookup* history);
void judge_figures(std::vector<FigureCheck>& figures, const Snapshot& snap, const std::string& report_dir);
void judge_ci_prose(std::vector<CiProseCheck>& claims, const FactStore& facts);

// "https://github.com/o/r/blob/main/src/x.py#L3" -> "src/x.py" (percent-decoded); also tree/raw
// links and raw.githubusercontent.com/o/r/<ref>/<path>. "" when the URL is none of these. The owner
// and repository are not compared (a fork or a renamed repository links the same files).
std::string github_link_path(std::string_view url);

// Levenshtein distance, or limit+1 as soon as it must exceed `limit` (inputs cut at 256 bytes).
size_t bounded_edit_distance(std::string_view a, std::string_view b, size_t limit);

// True when the bytes start like a Git LFS pointer file.
bool is_lfs_pointer(std::string_view head);

}  // namespace cc
