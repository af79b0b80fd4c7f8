// A pattern compiled on its first use. An audit process compiled about 450 RE2 patterns (the
// catalog's both template families, every check, the probes' data), a fifth of a small audit's
// CPU, though one audit uses the patterns of one family and of the checks its report reaches.
// The patterns of the built-in data are all compiled by the unit tests (Catalog::load compiles
// at load); an audit compiles what it matches with.
#pragma once

#include <memory>
#include <mutex>
#include <string>

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

 private:
  std::string pattern_;
  bool icase_;
  long long max_mem_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<re2::RE2> re_;
};

}  // namespace cc
