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

struct AuditResult {
  std::string repo_path;
  std::string commit;          // 40 hex or "worktree"
  std::string repo_described;  // one line
  std::string report_path;
  std::string report_source;   // "repo" | "file"
  std::string template_version;
  std::string template_family;
  double template_similarity = 0;
  std::vector<std::string> template_differences;
  std::vector<std::string> report_problems;
  std::vector<ItemVerdict> checklist;
  std::vector<AnswerSummary> answers;
  std::optional<TestCountCheck> test_count;
  std::vector<Evidence> input_problems;  // files that could not be read or parsed: partial result

  bool overclaimed() const;
};

// Verdict from a status and the tick (DESIGN.md's vocabulary).
std::string verdict_for(const std::string& status, bool ticked);

}  // namespace cc
