// AuditResult: everything one run of `claimcheck check` found, in engine-level types that the
// renderers (render_text.cpp, render_json.cpp) print. The cli fills it from the Report, the facts
// and the rule verdicts; the engine itself knows nothing of markdown.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cc {

struct Evidence {
  std::string path;
  int line = 0;
  std::string detail;
  std::string origin;  // "group" / "scaffold-stock" / "" when not applicable
};

// Something worth knowing about an item that does not defeat it (DESIGN.md's accusation policy):
// shown under the item, never a downgrade. JSON: checklist[].notes[] {detail, path, line}.
struct ItemNote {
  std::string detail;
  std::string path;  // "" when not about one file
  int line = 0;
};

// The report's own answer saying a ticked item was not done ("we did not get to profiling").
struct ReportQuote {
  int question = 0;   // the answer's question number
  int line = 0;       // line of the quote in the report file
  std::string quote;  // the sentence, as written (cut to a few hundred characters)
  std::string cue;    // the words that say it was not done ("did not get to")
};

struct ItemVerdict {
  std::string text;
  std::string module;
  bool ticked = false;
  std::string mark;     // what stood in the box
  int line = 0;
  std::string rule;     // catalog rule id, "" when no rule matched
  std::string status;   // supported | partial | absent | unverifiable | not-checked
  std::string verdict;  // ok | weak | overclaimed | unverifiable | underclaimed | not-claimed | not-checked
  std::vector<Evidence> evidence;
  std::string reason;      // why this status, one or two sentences
  std::string looked_for;  // what would have supported it (when not supported)
  std::vector<ItemNote> notes;               // observations that leave the status alone
  std::optional<ReportQuote> contradiction;  // the report says it was not done
};

struct AnswerSummary {
  int question = 0;
  int line = 0;
  int words = 0;
  int images = 0;
  std::optional<int> min_words, max_words, min_images, max_images;
  bool placeholder = false;
};

struct TestCountCheck {
  int question = 0;
  std::string quote;
  std::optional<long long> claimed;
  std::optional<long long> claimed_max;    // upper end of a range ("40-50 tests")
  std::optional<long long> claimed_files;
  std::string wording;    // the words as written, e.g. "approximately 45 tests"
  std::string qualifier;  // normalised: "", "approximately", "over", "at least", "between", ...
  std::string unit;       // "tests" | "test files"
  std::string note;       // why a number could not be read
  long long files = 0, functions = 0, items = 0;
  bool items_exact = true;
  std::string tolerance;  // the range the wording allows, in words
  std::string verdict;    // ok | overclaimed | underclaimed | unverifiable | no-claim
  std::string reason;
};

// ---- Claims in the answers beyond the test count (issue 5). Extracted by reports/answer_claims.cpp
// (the claim fields), judged by engine/claims_judge.cpp (the verdict fields).

// Q8: "65%", "approximately **45%**", a pasted `coverage report` table's TOTAL row.
struct CoverageCheck {
  int question = 8;
  std::string quote;
  std::optional<double> claimed;      // percent
  std::optional<double> claimed_max;  // upper end of a range ("60-70%")
  std::string wording;                // as written, e.g. "approximately 45%"
  std::string qualifier;              // normalised like TestCountCheck::qualifier; "table" for a TOTAL row
  std::string note;                   // why a number could not be read
  std::optional<double> measured;     // percent in the coverage artefact compared with
  std::string tolerance;              // in words
  std::vector<Evidence> evidence;     // artefacts, or what exists when there is none
  std::string verdict;  // ok | overclaimed | underclaimed | unverifiable | no-claim
  std::string reason;
};

// When a path absent at the audited commit existed at another commit (from the history walk).
struct SeenAt {
  std::string commit;  // 40 hex
  std::string date;    // ISO 8601 of the commit
  std::string detail;  // e.g. "last present in 1a2b3c4 (2026-01-12), deleted later"
};

// A repository path mentioned in an answer.
struct PathCheck {
  int question = 0;
  std::string quote;     // the sentence or command line around it
  std::string mention;   // as written
  std::string source;    // "code" (backticks), "command" (code block), "link", "github" (blob/tree URL), "text"
  std::string base_dir;  // folder a relative link starts from (the report's folder), "" = repository root
  std::string path;      // the repository path it was resolved to ("" when it leaves the repository)
  bool outside = false;  // "../../.." past the root, or absolute
  bool exists = false;
  bool directory = false;              // resolved to a folder (files under it exist)
  std::optional<std::string> nearest;  // when absent: the closest existing path
  std::optional<SeenAt> seen_at;       // when absent: a commit where it existed
  std::string note;
};

// An image link in an answer: ![..](..) or <img src="..">.
struct FigureCheck {
  int question = 0;
  std::string quote;
  std::string link;             // as written
  std::string path;             // resolved repository path ("" when outside or external)
  std::optional<bool> exists;   // null for an external URL (not checked)
  std::string note;             // "Git LFS pointer, not an image", "outside the repository", ...
};

// A statement about CI in the CI question (Q11): "runs on windows", "Python 3.11", "caches pip".
struct CiProseCheck {
  int question = 0;
  std::string quote;
  std::string claim;    // normalised, e.g. "runs on windows", "does not run on macos", "tests Python 3.11"
  std::string subject;  // "os" | "python" | "cache" | "lint"
  std::string value;    // "windows", "3.11", "" (cache/lint)
  bool negated = false; // the answer says CI does NOT do it
  std::string holds;    // "true" | "false" | "unverifiable"
  std::vector<Evidence> evidence;
  std::string reason;
};

// Deadline (--at): late evidence and late report edits, from one history walk.
struct DeadlineFinding {
  std::string kind;    // "appeared-later" | "report-edited-after" | "last-minute"
  std::string item;    // checklist item text or path concerned
  int line = 0;        // checklist line, when about an item
  std::string commit;  // 40 hex
  std::string date;
  std::string detail;
};

struct DeadlineCheck {
  std::string deadline;            // as given to --at
  std::string audited_commit;
  std::vector<DeadlineFinding> findings;
  std::string note;                // e.g. why part of it could not be done
};

// Everything under "claims" beside the test count.
struct AnswerClaims {
  std::optional<CoverageCheck> coverage;
  std::vector<PathCheck> paths;
  std::vector<FigureCheck> figures;
  std::vector<CiProseCheck> ci_prose;
  std::optional<DeadlineCheck> deadline;
  std::vector<std::string> notes;  // caps reached, etc.
};

// Repository hygiene (issue 12), shown after the checklist: what a course should tell a group
// first although no box asks for it. Leaked secrets (masked: the detail shows only the first and
// last 2 characters), then data and model files committed to git. JSON hygiene[].
struct HygieneFinding {
  std::string kind;    // "secret" | "model" | "dataset" | "notebook" | "large-file"
  std::string path;
  int line = 0;        // 0 when about the whole file
  std::string commit;  // 40 hex: the first commit that had it; "" when not known
  std::string detail;
  bool in_head = true;  // false: only in past versions (removed, still in every clone)
};

struct AuditResult {
  std::string repo_path;
  std::string commit;          // 40 hex or "worktree"
  std::string repo_described;  // one line
  std::string report_path;
  std::string report_source;   // "repo" | "file"
  std::string report_found_by;  // "default" (reports/README.md) | "option" (--report) | "search"
  std::string report_found_note;  // with "search": which file was taken and why, one sentence
  std::string template_version;
  std::string template_family;
  double template_similarity = 0;
  std::vector<std::string> template_differences;
  std::vector<std::string> report_problems;
  std::vector<ItemVerdict> checklist;
  std::vector<AnswerSummary> answers;
  std::optional<TestCountCheck> test_count;
  AnswerClaims claims;  // coverage, paths, figures, CI prose, deadline (issue 5)
  std::vector<Evidence> input_problems;  // files that could not be read or parsed: partial result
  std::vector<HygieneFinding> hygiene;       // secrets first, then committed data (issue 12)
  std::vector<std::string> hygiene_notes;    // what the hygiene scan did not read (caps)

  bool overclaimed() const;
  bool secrets_found() const;  // some hygiene finding is a secret (--fail-on secrets)
  // Whether the run should exit 1 under `--fail-on THRESHOLD`: "overclaimed" (the default, as
  // overclaimed()), "weak" (also a weak ticked item), "unverifiable" (also an unverifiable one),
  // "never".
  bool fails_at(const std::string& threshold) const;
};

// Verdict from a status and the tick (DESIGN.md's vocabulary).
std::string verdict_for(const std::string& status, bool ticked);

}  // namespace cc
