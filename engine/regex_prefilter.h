// What a text must hold for a pattern to match, read from the pattern's syntax without RE2.
//
// An audit matches most of its patterns (checklist wording, where-tests, the contradiction cues)
// against texts they cannot match, and RE2 takes 10-50 us to compile each one it is asked about:
// a tenth of a small group's audit. "\bdid(?:n't| not) (?:get to|use)" cannot match a text
// without "did"; asked about such a text, LazyRegex answers no without compiling.
//
// The condition is necessary, never sufficient: a list of sets, and the text must hold one
// literal of every set. It is read conservatively, like RE2's own prefilter (FilteredRE2): an
// optional atom adds nothing, an alternation adds one literal per branch or nothing, and syntax
// the reader does not follow (the i flag, \Q...\E, a repeat it cannot read, non-ASCII) gives no
// condition at all, which only means the pattern is compiled as before.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cc {

// A pattern that is a choice of plain strings, anchored or not: "create a git repo",
// "^wandb\.init$", "^(?:push|pull_request)$", "(ruff|flake8|black)", "^(yes)?$". A third of the
// patterns an audit asks about are; they are answered by comparing strings, never compiled.
// Whether RE2 matches `pattern` ignoring case: case_insensitive, or a leading (?i) (then
// removed from `pattern`, for the readers below, which take it so).
bool folds_case(std::string_view& pattern, bool case_insensitive);

class LiteralPattern {
 public:
  // Nothing when the pattern is anything else (or holds non-ASCII, which RE2 folds by Unicode's
  // rules). RE2's ^ and $ are the start and the end of the text (no multi-line mode here). A
  // leading (?i) is read as case_insensitive.
  static std::optional<LiteralPattern> of(std::string_view pattern, bool case_insensitive);
  // As RE2::PartialMatch. Under case_insensitive the caller must not ask about a text holding
  // the Kelvin sign or the long s (see RequiredLiterals).
  bool matches(std::string_view text) const;

 private:
  bool icase_ = false, at_start_ = false, at_end_ = false;
  std::vector<std::string> choices_;  // lower case under icase_
};

class RequiredLiterals {
 public:
  RequiredLiterals() = default;  // no condition: every text may match

  // case_insensitive: as RE2's option (or a leading (?i)); the literals are then kept in lower
  // case. Then the caller must not ask about a text holding the Kelvin sign or the long s,
  // which RE2 folds with k and s (LazyRegex checks).
  static RequiredLiterals of(std::string_view pattern, bool case_insensitive);

  bool any() const { return !sets_.empty(); }
  // False only when the pattern cannot match `text`: some set has none of its literals there.
  bool may_match(std::string_view text) const;
  const std::vector<std::vector<std::string>>& sets() const { return sets_; }

 private:
  bool icase_ = false;
  std::vector<std::vector<std::string>> sets_;
};

}  // namespace cc
