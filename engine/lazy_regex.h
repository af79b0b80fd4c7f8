// A pattern compiled on its first use. An audit process compiled about 450 RE2 patterns (the
// catalog's both template families, every check, the probes' data), a fifth of a small audit's
// CPU, though one audit uses the patterns of one family and of the checks its report reaches.
// The patterns of the built-in data are all compiled by the unit tests (Catalog::load compiles
// at load); an audit compiles what it matches with.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "engine/regex_prefilter.h"

namespace re2 {
class RE2;
}

namespace cc {

class LazyRegex {
 public:
  // max_mem: RE2's memory budget for the compiled program (0: RE2's default).
  LazyRegex(std::string pattern, bool case_insensitive, long long max_mem = 0);
  ~LazyRegex();
  LazyRegex(const LazyRegex&) = delete;
  LazyRegex& operator=(const LazyRegex&) = delete;

  // Compiled on the first call, once, whichever thread asks. A pattern that does not compile
  // matches nothing (error() says why).
  const re2::RE2& re() const;
  const std::string& pattern() const { return pattern_; }
  // "" when the pattern compiles (compiles it).
  std::string error() const;

  // RE2::PartialMatch(text, re()), without compiling when the pattern is a choice of plain
  // strings ("create a git repo", "^(?:push|pull_request)$"; LiteralPattern): a third of the
  // patterns an audit matches with are, and RE2 takes 10-50 us to compile each. Nor when the
  // text lacks what the pattern needs (RequiredLiterals): most patterns are asked about texts
  // they cannot match.
  bool partial_match(std::string_view text) const;
  // The same, with the text of the pattern's first group in `group` (RE2::PartialMatch's
  // argument); compiled only when the text may match (may_match).
  bool partial_match(std::string_view text, std::string* group) const;
  // RE2::FullMatch(text, re()), compiled only when the text may match (may_match).
  bool full_match(std::string_view text) const;
  // False only when the pattern cannot match anywhere in `text`; never compiles. For callers
  // that need re() itself (submatches, Consume): asked first, it spares most compiles.
  bool may_match(std::string_view text) const;

 private:
  // may_match, told whether the text holds a character RE2 folds with k or s (then: true).
  bool screen(std::string_view text, bool folds) const;

  std::string pattern_;
  bool icase_;
  bool folds_;  // matched ignoring case: icase_, or a leading (?i)
  std::optional<LiteralPattern> literal_;  // plain strings: partial_match compares
  // !literal_: what a matching text holds, read on the first question (an audit constructs
  // the patterns of every check and both template families, and asks about a fifth of them).
  mutable std::once_flag required_once_;
  mutable RequiredLiterals required_;
  long long max_mem_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<re2::RE2> re_;
};

}  // namespace cc
