// A pattern compiled on its first use. An audit process compiled about 450 RE2 patterns (the
// catalog's both template families, every check, the probes' data), a fifth of a small audit's
// CPU, though one audit uses the patterns of one family and of the checks its report reaches.
// The patterns of the built-in data are all compiled by the unit tests (Catalog::load compiles
// at load); an audit compiles what it matches with.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

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

  // RE2::PartialMatch(text, re()), without compiling when the pattern is a plain word or
  // phrase ("create a git repo"): a third of the patterns an audit matches with are, and RE2
  // takes 10-50 us to compile each (matching them is a substring search).
  bool partial_match(std::string_view text) const;

 private:
  std::string pattern_;
  bool icase_;
  bool literal_;  // ASCII, no metacharacter: partial_match searches for it
  std::string folded_;  // literal_ and icase_: the pattern in lower case
  long long max_mem_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<re2::RE2> re_;
};

}  // namespace cc
